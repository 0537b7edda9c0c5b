import datetime

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged

from .common import load_dutch


@tagged("post_install", "-at_install")
class TestRegistersReadable(HttpCase):
    """The registers a KAM coordinator works in, in Dutch on a 1440 px screen:
    the incident list, the accident register, the actions, the plan van aanpak
    and the registers of the management system (legal requirements, aspects,
    context, parties, risks and opportunities, documents, toolbox meetings,
    advice, audits) show every column title and every reference and title in full
    (long titles of the registers wrap: <list class="o_kam_wrap_list">), and
    "Export to Excel" on one line."""

    browser_size = "1440,900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        load_dutch(cls.env)
        cls.officer = new_test_user(
            cls.env,
            login="kam_reader",
            groups="kam_management.group_kam_officer",
            name="Pieter Jansen",
            lang="nl_NL",
        )
        department = cls.env["hr.department"].create({"name": "Productie"})
        employees = cls.env["hr.employee"].create(
            [
                {"name": "Ahmed El Amrani", "department_id": department.id},
                {"name": "Ruud Peters", "department_id": department.id},
            ]
        )
        now = fields.Datetime.now()
        Case = cls.env["kam.case"]
        Case.create(
            [
                {
                    "title": "Hand bekneld in kantbank KB-3",
                    "case_type": "incident",
                    "incident_kind": "injury",
                    "incident_datetime": now - datetime.timedelta(days=12),
                    "treatment": "hospital",
                    "absence_days": 9,
                    "injury_type": "fracture",
                    "department_id": department.id,
                    "employee_ids": [Command.set(employees[:1].ids)],
                    "authority_reported_date": now - datetime.timedelta(days=12),
                    "authority_reference": "NLA-2026-118734",
                    "user_id": cls.officer.id,
                },
                {
                    "title": "Heftruck rijdt bijna collega aan bij stelling C",
                    "case_type": "incident",
                    "incident_kind": "near_miss",
                    "incident_datetime": now - datetime.timedelta(days=5),
                    "location": "Magazijn, stelling C",
                    "department_id": department.id,
                    "employee_ids": [Command.set(employees[1:].ids)],
                },
                {
                    "title": "Lekkage koelemulsie in de buitenopslag",
                    "case_type": "incident",
                    "incident_kind": "unsafe",
                    "incident_datetime": now - datetime.timedelta(days=20),
                },
            ]
        )
        case = Case.create({"title": "Braam op stalen montagebeugels", "user_id": cls.officer.id})
        factor = cls.env["kam.risk.factor"]
        risk = cls.env["kam.risk"].create(
            {
                "name": "Bekneld raken in de kantbank",
                "probability_id": factor.search([("axis", "=", "probability")], limit=1).id,
                "exposure_id": factor.search([("axis", "=", "exposure")], limit=1).id,
                "effect_id": factor.search([("axis", "=", "effect")], limit=1).id,
            }
        )
        today = fields.Date.today()
        cls.env["kam.action"].create(
            [
                {
                    "name": "Braamcontrole opnemen in werkinstructie WI-PR-04",
                    "kind": "corrective",
                    "case_id": case.id,
                    "user_id": cls.officer.id,
                    "deadline": today + datetime.timedelta(days=5),
                },
                {
                    "name": "Lichtscherm kantbank KB-3 beveiligen tegen overbruggen",
                    "kind": "preventive",
                    "risk_id": risk.id,
                    "user_id": cls.officer.id,
                    "deadline": today + datetime.timedelta(days=14),
                },
            ]
        )

        # the registers of the management system (ISO 4.1, 4.2, 6.1, 7.3, 7.5, 9.1.2, 9.2)
        factor = cls.env["kam.risk.factor"]

        def first(axis):
            return factor.search([("axis", "=", axis)], limit=1).id

        env = cls.env
        env["kam.requirement"].create(
            {
                "name": "Omgevingsvergunning milieubelastende activiteiten, "
                "Industrieweg 12 Apeldoorn",
                "short_name": "Bal",
                "bwb_id": "BWBR0041330",
                "article": "voorschriften 2 (geluid), 4 (emissies) en 6 "
                "(opslag gevaarlijke stoffen)",
                "user_id": cls.officer.id,
                "next_evaluation_date": today + datetime.timedelta(days=40),
            }
        )
        env["kam.aspect"].create(
            {
                "name": "Lasrook en slijpstof naar de buitenlucht",
                "activity": "Lassen (MIG/MAG) en slijpen in hal 2 en de laswerkplaats",
                "impact": "Luchtverontreiniging door metaaloxiden en fijnstof naar de buitenlucht",
                "user_id": cls.officer.id,
                "department_id": department.id,
                "frequency_id": first("frequency"),
                "severity_id": first("severity"),
            }
        )
        env["kam.context.issue"].create(
            {
                "name": "Krapte op de arbeidsmarkt voor lassers en kantbankoperators",
                "category": "social",
                "user_id": cls.officer.id,
            }
        )
        env["kam.interested.party"].create(
            {
                "name": "Klanten in de bouw en de installatietechniek",
                "category": "customers",
                "user_id": cls.officer.id,
            }
        )
        env["kam.risk.opportunity"].create(
            {
                "name": "Uitval van ervaren kantbankoperators door pensionering",
                "likelihood_id": first("likelihood"),
                "impact_id": first("impact"),
                "user_id": cls.officer.id,
            }
        )
        env["kam.document"].create(
            {
                "code": "WI-PR-04",
                "name": "Werkinstructie ontbramen van montagebeugels",
                "doc_type": "work_instruction",
                "user_id": cls.officer.id,
            }
        )
        env["kam.toolbox"].create(
            {
                "name": "Veilig werken met de heftruck in het magazijn",
                "date": now + datetime.timedelta(days=7),
                "user_id": cls.officer.id,
                "department_id": department.id,
            }
        )
        director = new_test_user(
            env,
            login="kam_director",
            groups="kam_management.group_kam_manager",
            name="Marieke van der Berg",
            lang="nl_NL",
        )
        env["kam.advice"].with_user(cls.officer).create(
            {
                "name": "Lasrookafzuiging in hal 2 vervangen door brandertoortsafzuiging",
                "kind": "unasked",
                "addressee_id": director.id,
                "advice": "<p>Blootstelling boven de halve grenswaarde.</p>",
                "response_deadline": today + datetime.timedelta(days=14),
            }
        ).action_give()
        env["kam.audit"].create(
            {
                "title": "Inkoop en leveranciersbeoordeling",
                "date_planned": today + datetime.timedelta(days=20),
            }
        )

    def test_registers_readable_at_1440(self):
        for action in (
            "kam_management.kam_case_action_incident",
            "kam_management.kam_case_action_accident_register",
            "kam_management.kam_action_action",
            "kam_management.kam_action_action_plan",
            "kam_management.kam_risk_action",
            "kam_management.kam_requirement_action",
            "kam_management.kam_aspect_action",
            "kam_management.kam_context_issue_action",
            "kam_management.kam_interested_party_action",
            "kam_management.kam_risk_opportunity_action",
            "kam_management.kam_document_action",
            "kam_management.kam_toolbox_action",
            "kam_management.kam_advice_action",
            "kam_management.kam_audit_action",
        ):
            with self.subTest(register=action):
                self.start_tour(
                    f"/odoo/action-{action}?view_type=list", "kam_list_readable", login="kam_reader"
                )
