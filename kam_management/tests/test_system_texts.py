import re
from datetime import date, timedelta

import polib

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import html2plaintext
from odoo.tools.misc import file_path
from odoo.tools.translate import TranslationModuleReader

from .common import KamCommon

PLACEHOLDER = re.compile(r"%\([a-z_]+\)[sd]|%[sd]")


@tagged("post_install", "-at_install")
class TestSystemTexts(KamCommon):
    """The translation test for the texts the code writes itself: chatter notes
    (creation notes, the meldplicht note, reopen reasons) in the company's
    language and activity summaries in the assignee's, whoever triggers them.
    An English administrator works in a Dutch company here; every note and
    summary the scenario leaves must be Dutch, and none may match an English
    source text of the module."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("nl_NL")
        cls.env["ir.module.module"].search([("name", "=", "kam_management")])._load_module_terms(
            ["mail", "kam_management"], ["nl_NL"], overwrite=True
        )
        cls.company.partner_id.lang = "nl_NL"
        cls.admin = cls.env.ref("base.user_admin")
        cls.admin.lang = "en_US"
        cls.kam_officer.lang = "nl_NL"
        cls.kam_user.lang = "nl_NL"
        po = polib.pofile(file_path("kam_management/i18n/nl.po"))
        cls.dutch = {e.msgid: e.msgstr for e in po if e.msgstr and not e.obsolete}
        # the module's own source texts of code (python) with their placeholders as wildcards
        reader = TranslationModuleReader(cls.env.cr, modules=["kam_management"])
        cls.english_patterns = {}
        for module, ttype, _name, _res_id, source, _value, _comments in reader:
            if module != "kam_management" or ttype != "code" or len(source) < 12:
                continue
            if cls.dutch.get(source) == source:
                continue
            parts = PLACEHOLDER.split(source)
            pattern = ".+?".join(re.escape(part) for part in parts)
            cls.english_patterns[source] = re.compile(pattern)

    def _dutch(self, msgid, **params):
        text = self.dutch[msgid]
        return text % params if params else text

    def _assert_not_english(self, texts):
        for text in texts:
            for source, pattern in self.english_patterns.items():
                self.assertFalse(
                    pattern.search(text), f"English system text {source!r} written: {text!r}"
                )

    def _notes(self, records):
        messages = self.env["mail.message"].search(
            [("model", "=", records._name), ("res_id", "in", records.ids)]
        )
        return [html2plaintext(m.body) for m in messages if m.body]

    def test_texts_of_an_english_user_in_a_dutch_company(self):
        env = self.env(user=self.admin, context={"lang": "en_US"})
        self.assertEqual(env.lang, "en_US")
        # a case: the creation note
        case = env["kam.case"].create(
            {
                "title": "Braam op beugels",
                "user_id": self.kam_officer.id,
                "date_found": date.today() - timedelta(days=20),
            }
        )
        self.assertIn(
            self._dutch("Case %(reference)s created", reference=case.name), self._notes(case)
        )
        # an action that runs late: the reminder in its owner's language
        action = env["kam.action"].create(
            {
                "name": "Stempel vervangen",
                "case_id": case.id,
                "user_id": self.kam_user.id,
                "deadline": date.today() - timedelta(days=10),
            }
        )
        env["kam.action"]._kam_duty_run()
        summaries = action.activity_ids.mapped("summary")
        self.assertTrue(
            any(
                s and s.startswith(self._dutch("Overdue since %(date)s", date=""))
                for s in summaries
            ),
            summaries,
        )
        # an English owner gets it in English
        english_owner = new_test_user(
            self.env, login="kam_user_en", groups="kam_management.group_kam_user", lang="en_US"
        )
        late_en = env["kam.action"].create(
            {
                "name": "Replace the punch",
                "case_id": case.id,
                "user_id": english_owner.id,
                "deadline": date.today() - timedelta(days=10),
            }
        )
        env["kam.action"]._kam_duty_run()
        self.assertTrue(
            any(
                (s or "").startswith("Overdue since")
                for s in late_en.activity_ids.mapped("summary")
            )
        )
        # a hazard of the RI&E: "<model> created"
        factor = self.env["kam.risk.factor"]
        risk = env["kam.risk"].create(
            {
                "name": "Bekneld raken",
                "probability_id": factor.search([("axis", "=", "probability")], limit=1).id,
                "exposure_id": factor.search([("axis", "=", "exposure")], limit=1).id,
                "effect_id": factor.search([("axis", "=", "effect")], limit=1).id,
            }
        )
        self.assertIn(self._dutch("Hazard created"), self._notes(risk))
        # a notifiable accident: the note to the officers and the officer's activity
        incident = env["kam.case"].create(
            {
                "title": "Hand bekneld",
                "case_type": "incident",
                "incident_kind": "injury",
                "user_id": self.kam_officer.id,
                "incident_datetime": fields.Datetime.now(),
                "treatment": "hospital",
            }
        )
        self.assertTrue(incident.is_notifiable)
        notes = self._notes(incident)
        self.assertTrue(
            any(
                self._dutch(
                    "Notifiable accident (Arbowet art. 9): report %(case)s to the Nederlandse "
                    "Arbeidsinspectie immediately.",
                    case=incident.name,
                )
                in note
                for note in notes
            ),
            notes,
        )
        report = incident.activity_ids.filtered(
            lambda a: (
                a.activity_type_id
                == self.env.ref("kam_management.mail_activity_kam_notify_authority")
            )
        )
        self.assertEqual(report.summary, self._dutch("Report to the Nederlandse Arbeidsinspectie"))
        # reopening records the system's part of the note in Dutch
        case.write({"no_action_needed": True, "no_action_reason": "Eenmalig"})
        action.write({"state": "done"})
        action.write({"state": "verified", "effectiveness_result": "Goed"})
        late_en.write({"state": "done"})
        late_en.write({"state": "verified", "effectiveness_result": "Goed"})
        case.with_user(self.admin).action_close()
        case.with_user(self.admin).action_reopen(reason="Klant belde opnieuw")
        self.assertIn(
            self._dutch("Reopened: %(reason)s", reason="Klant belde opnieuw"), self._notes(case)
        )
        # nothing the scenario wrote is an English source text of the module
        records = [case, action, risk, incident]
        texts = [note for record in records for note in self._notes(record)]
        texts += [
            s
            for record in (case, action, risk, incident)
            for s in record.activity_ids.filtered(lambda a: a.user_id.lang == "nl_NL").mapped(
                "summary"
            )
            if s
        ]
        self.assertTrue(texts)
        self._assert_not_english(texts)

    def test_texts_of_the_registers_and_documents(self):
        """The registers, documents, toolbox plans and advice that came later
        follow the same rule: an English administrator in a Dutch company leaves
        Dutch notes, and the daily job's reminders are in the assignee's language."""
        today = date.today()
        env = self.env(user=self.admin, context={"lang": "en_US"})
        factor = self.env["kam.risk.factor"]
        aspect = env["kam.aspect"].create(
            {
                "name": "Lasrook",
                "activity": "Lassen",
                "impact": "Luchtverontreiniging",
                "user_id": self.kam_officer.id,
                "review_date": today,
                "frequency_id": factor.search([("axis", "=", "frequency")], limit=1).id,
                "severity_id": factor.search([("axis", "=", "severity")], limit=1).id,
            }
        )
        requirement = env["kam.requirement"].create(
            {
                "name": "Arbeidsomstandighedenwet",
                "short_name": "Arbowet",
                "user_id": self.kam_officer.id,
                "next_evaluation_date": today,
            }
        )
        advice = env["kam.advice"].create(
            {
                "name": "Afzuiging vervangen",
                "kind": "unasked",
                "addressee_id": self.kam_officer.id,
                "advice": "<p>Blootstelling boven de halve grenswaarde.</p>",
                "response_deadline": today,
            }
        )
        advice.action_give()
        department = self.env["hr.department"].create({"name": "Productie"})
        plan = env["kam.toolbox.plan"].create(
            {
                "name": "Veilig lassen",
                "user_id": self.kam_officer.id,
                "department_id": department.id,
                "next_date": today + timedelta(days=3),
            }
        )
        document = env["kam.document"].create(
            {
                "code": "WI-12",
                "name": "Lassen met afzuiging",
                "doc_type": "work_instruction",
                "user_id": self.kam_officer.id,
                "reviewer_ids": [(6, 0, self.kam_user.ids)],
            }
        )
        version = env["kam.document.version"].create(
            {"document_id": document.id, "body": "<p>Altijd met afzuiging lassen.</p>"}
        )
        version.action_submit()
        self.assertEqual(
            version.activity_ids.filtered(lambda a: a.user_id == self.kam_user).summary,
            self._dutch("Review the new version"),
        )
        version.action_approve()
        version.action_release()
        self.assertTrue(
            any(
                self._dutch(
                    "Version %(version)s released (%(revision)s).",
                    version=version.name,
                    revision="",
                ).split("(")[0]
                in note
                for note in self._notes(document)
            ),
            self._notes(document),
        )
        self.env["kam.periodic.duty"]._cron_kam_duties()
        self.assertEqual(requirement.activity_ids.summary, self._dutch("Evaluate compliance"))
        self.assertTrue(aspect.activity_ids.summary)
        self.assertEqual(
            advice.activity_ids.summary,
            self._dutch("Answer the advice of %(user)s", user=advice.user_id.name),
        )
        toolbox = self.env["kam.toolbox"].search([("plan_id", "=", plan.id)])
        self.assertEqual(toolbox.activity_ids.summary, self._dutch("Prepare the toolbox meeting"))
        records = [aspect, requirement, advice, plan, toolbox, document, version]
        texts = [note for record in records for note in self._notes(record)]
        texts += [
            s
            for record in records
            if "activity_ids" in record._fields
            for s in record.activity_ids.filtered(lambda a: a.user_id.lang == "nl_NL").mapped(
                "summary"
            )
            if s
        ]
        self.assertGreater(len(texts), 10)
        self._assert_not_english(texts)
