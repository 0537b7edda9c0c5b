import datetime

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestRegistersReadable(HttpCase):
    """The registers a KAM coordinator works in, in Dutch on a 1440 px screen:
    the incident list, the accident register, the actions and the plan van
    aanpak show every column title and every reference and title in full, and
    "Export to Excel" on one line."""

    browser_size = "1440,900"

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"].search([("name", "=", "kam_management")])._load_module_terms(
            ["kam_management"], ["nl_NL"], overwrite=True
        )
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

    def test_registers_readable_at_1440(self):
        for action in (
            "kam_management.kam_case_action_incident",
            "kam_management.kam_case_action_accident_register",
            "kam_management.kam_action_action",
            "kam_management.kam_action_action_plan",
            "kam_management.kam_risk_action",
        ):
            with self.subTest(register=action):
                self.start_tour(
                    f"/odoo/action-{action}?view_type=list", "kam_list_readable", login="kam_reader"
                )
