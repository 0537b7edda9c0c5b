"""Issue 16: complaint acknowledgements in batch, imports that never mail
customers, one notice per action owner, and query counts that stay flat."""

from datetime import date, timedelta

from freezegun import freeze_time

from odoo.exceptions import UserError
from odoo.tests import tagged, users, warmup

from .common import load_dutch
from .test_case import KamCaseCommon
from .test_cron import count_queries


@freeze_time("2026-11-23")
@tagged("post_install", "-at_install")
class TestComplaintAcknowledgementBatch(KamCaseCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.customers = cls.env["res.partner"].create(
            [
                {"name": f"Klant {i}", "email": f"klant{i}@example.com", "lang": "en_US"}
                for i in range(20)
            ]
        )

    def _mails(self, cases):
        return self.env["mail.mail"].search(
            [("model", "=", "kam.case"), ("res_id", "in", cases.ids)]
        )

    def _send(self):
        self.Case._cron_kam_acknowledgements()

    def _complaints(self, count, **vals):
        values = [
            dict(
                {
                    "title": f"Klacht {i}",
                    "case_type": "complaint",
                    "partner_id": self.customers[i].id,
                    "date_received": date(2026, 11, 23),
                },
                **vals,
            )
            for i in range(count)
        ]
        return self.Case.create(values)

    def test_one_queued_acknowledgement_each_in_batch(self):
        self.env["ir.cron.trigger"].search([]).unlink()
        complaints = self._complaints(5)
        job = self.env.ref("kam_management.ir_cron_kam_complaint_acknowledgements")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", job.id)]),
            "the acknowledgement job runs right after the commit",
        )
        self.assertFalse(self._mails(complaints), "nothing rendered inside the create")
        self.assertTrue(all(complaints.mapped("acknowledgement_due")))
        self._send()
        mails = self._mails(complaints)
        self.assertEqual(len(mails), 5, "one acknowledgement per complaint")
        self.assertEqual(set(mails.mapped("state")), {"outgoing"}, "queued, sent after commit")
        for complaint in complaints:
            mail = mails.filtered(lambda m, c=complaint: m.res_id == c.id)
            self.assertIn(complaint.name, mail.subject, "the numbered reference")
            self.assertTrue(complaint.name.startswith("KL/2026/"))
            self.assertEqual(mail.recipient_ids, complaint.partner_id)
            self.assertTrue(complaint.acknowledged_date)
            self.assertEqual(
                complaint.message_ids.filtered(
                    lambda m, ml=mail: m == ml.mail_message_id
                ).subtype_id,
                self.env.ref("mail.mt_comment"),
                "the acknowledgement shows in the complaint's conversation",
            )
        queue = self.env.ref("mail.ir_cron_mail_scheduler_action")
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", queue.id)]),
            "the mail queue runs right after the commit",
        )
        self.assertFalse(any(complaints.mapped("acknowledgement_due")))
        # asking again, running again: nothing twice
        complaints.write({"send_acknowledgement": True})
        self._send()
        self.assertEqual(len(self._mails(complaints)), 5)

    def test_acknowledgement_queries_flat(self):
        self._complaints(1)  # warm up
        self._send()
        q1 = count_queries(self.env, lambda: self._complaints(1))
        q20 = count_queries(self.env, lambda: self._complaints(20))
        self.assertLessEqual(q20, q1 + 4, f"complaints: {q1} for 1, {q20} for 20")
        # the job: one render per language and chunk
        s1 = count_queries(self.env, self._send)
        self._complaints(1)
        s1 = count_queries(self.env, self._send)
        self._complaints(20)
        s20 = count_queries(self.env, self._send)
        self.assertLessEqual(s20, s1 + 6, f"acknowledgements: {s1} for 1, {s20} for 20")

    @users("kam_officer")
    @warmup
    def test_complaint_create_query_count(self):
        """The normal path: an officer registers a complaint; its acknowledgement
        is rendered after the commit, by the job."""
        customer = self.customers[0].with_user(self.env.user)

        def create():
            self.env["kam.case"].create(
                {
                    "title": "Counted",
                    "case_type": "complaint",
                    "partner_id": customer.id,
                    "user_id": self.kam_officer.id,
                }
            )
            self.env.flush_all()

        # the company's language of the creation note comes from the registry cache;
        # the first complaint triggers the acknowledgement job (core_shortcuts.
        # trigger_soon: one query to find no waiting trigger, one to add it)
        with self.assertQueryCount(kam_officer=21):
            create()
        # the next one while that trigger waits: no trigger of its own (and what the
        # first read of the customer and the sequence is in the transaction's cache)
        self.env.invalidate_all()
        with self.assertQueryCount(kam_officer=12):
            create()

    def test_import_never_mails_unless_asked(self):
        fields_ = ["title", "case_type", "partner_id/.id", "date_received"]
        rows = [
            [f"Import {i}", "complaint", str(self.customers[i].id), "2026-11-23"] for i in range(3)
        ]
        result = self.Case.with_context(import_file=True).load(fields_, rows)
        self.assertFalse(result["messages"], result["messages"])
        imported = self.Case.browse(result["ids"])
        self.assertEqual(len(imported), 3)
        self.assertFalse(self._mails(imported), "an import never mails customers")
        self.assertFalse(any(imported.mapped("acknowledged_date")))
        # the import file asks for it: a column "Send acknowledgement"
        asked = self.Case.with_context(import_file=True).load(
            [*fields_, "send_acknowledgement"],
            [
                ["Import yes", "complaint", str(self.customers[5].id), "2026-11-23", "1"],
                ["Import no", "complaint", str(self.customers[6].id), "2026-11-23", "0"],
            ],
        )
        self.assertFalse(asked["messages"], asked["messages"])
        self._send()
        yes, no = self.Case.browse(asked["ids"])
        self.assertEqual(len(self._mails(yes)), 1)
        self.assertTrue(yes.acknowledged_date)
        self.assertFalse(self._mails(no))
        # the field says what an import does
        help_text = self.Case._fields["send_acknowledgement"].help
        self.assertIn("Imported complaints", help_text)
        # later, on request: once
        imported[0].send_acknowledgement = True
        self._send()
        imported[0].send_acknowledgement = True
        self._send()
        self.assertEqual(len(self._mails(imported)), 1)

    def test_historic_complaints_are_not_acknowledged(self):
        historic = self._complaints(2, date_received=date(2026, 9, 1))
        self._send()
        self.assertLess(historic[0].answer_deadline, date(2026, 11, 23))
        self.assertFalse(self._mails(historic), "the answer date passed: no mail")
        # received a few days ago, answer still to come: acknowledged
        recent = self.Case.create(
            {
                "title": "Vorige week",
                "case_type": "complaint",
                "partner_id": self.customers[10].id,
                "date_received": date(2026, 11, 18),
            }
        )
        asked = self._complaints(1, date_received=date(2026, 9, 1), send_acknowledgement=True)
        self._send()
        self.assertEqual(len(self._mails(recent)), 1)
        self.assertEqual(len(self._mails(asked)), 1, "asked for explicitly")
        # the old rule still holds: a context switches it off completely
        quiet = self.Case.with_context(kam_no_acknowledgement=True).create(
            {"title": "Stil", "case_type": "complaint", "partner_id": self.customers[11].id}
        )
        self._send()
        self.assertFalse(self._mails(quiet))


@freeze_time("2026-11-23")
@tagged("post_install", "-at_install")
class TestActionOwnerNotice(KamCaseCommon):
    """An action's owner is told once, after the commit, by one job in batch."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.case = cls.Case.create({"title": "Bramen", "user_id": cls.kam_officer.id})
        cls.job = cls.env.ref("kam_management.ir_cron_kam_action_owner_notices")

    def _notices(self, user):
        return self.env["mail.notification"].search(
            [("res_partner_id", "=", user.partner_id.id)], order="id"
        )

    def _new(self, count, user, creator=None):
        Action = self.Action.with_user(creator or self.kam_officer)
        return Action.create(
            [
                {
                    "name": f"Actie {i}",
                    "case_id": self.case.id,
                    "user_id": user.id,
                    "deadline": date(2026, 12, 1) + timedelta(days=i),
                }
                for i in range(count)
            ]
        )

    def _run_job(self):
        self.env["kam.action"]._cron_kam_owner_notices()

    def test_owner_notified_once(self):
        self.env["ir.cron.trigger"].search([("cron_id", "=", self.job.id)]).unlink()
        before = len(self._notices(self.kam_user))
        action = self._new(1, self.kam_user)
        self.assertEqual(len(self._notices(self.kam_user)), before, "not inside the create")
        self.assertTrue(action.owner_notice_due)
        self.assertTrue(
            self.env["ir.cron.trigger"].search([("cron_id", "=", self.job.id)]),
            "the job runs right after the commit",
        )
        self._run_job()
        notices = self._notices(self.kam_user)[before:]
        self.assertEqual(len(notices), 1, "one notice: the to-do activity's")
        self.assertIn("Actie 0", notices.mail_message_id.subject)
        self.assertFalse(action.owner_notice_due)
        self._run_job()
        self.assertEqual(len(self._notices(self.kam_user)) - before, 1, "never twice")
        self.assertIn(self.kam_user.partner_id, action.message_partner_ids, "owner follows")
        self.assertEqual(action.activity_ids.user_id, self.kam_user)
        # reassigned: the to-do moves to the new owner, who is told once
        before = len(self._notices(self.kam_manager))
        action.with_user(self.kam_officer).user_id = self.kam_manager
        self.assertEqual(action.activity_ids.user_id, self.kam_manager)
        self._run_job()
        self.assertEqual(len(self._notices(self.kam_manager)) - before, 1)
        # done before the job ran: nothing to tell
        other = self._new(1, self.kam_user)
        other.with_user(self.kam_user).action_done()
        before = len(self._notices(self.kam_user))
        self._run_job()
        self.assertEqual(len(self._notices(self.kam_user)), before)
        # own actions: no notice
        own = self._new(1, self.kam_officer)
        self.assertFalse(own.owner_notice_due)

    def test_bulk_one_notice_per_owner(self):
        before_user = len(self._notices(self.kam_user))
        before_manager = len(self._notices(self.kam_manager))
        actions = self._new(10, self.kam_user) | self._new(1, self.kam_manager)
        self.assertEqual(len(actions.activity_ids), 11, "every owner has the to-dos")
        self._run_job()
        new = self._notices(self.kam_user)[before_user:]
        self.assertEqual(len(new), 1, "one notice for the ten actions")
        message = new.mail_message_id
        self.assertIn("10", message.subject)
        for action in actions.filtered(lambda a: a.user_id == self.kam_user):
            self.assertIn(action.name, str(message.body))
        self.assertEqual(len(self._notices(self.kam_manager)) - before_manager, 1)

    def test_bulk_for_other_owners_flat(self):
        self._new(2, self.kam_user)  # warm up
        self._run_job()
        q2 = count_queries(self.env, lambda: self._new(2, self.kam_user))
        q50 = count_queries(self.env, lambda: self._new(50, self.kam_user))
        self.assertLessEqual(q50, q2 + 4, f"actions for a colleague: {q2} for 2, {q50} for 50")
        # the job: a fixed number of queries per owner and chunk
        self._run_job()
        self._new(2, self.kam_user) | self._new(2, self.kam_manager)
        j2 = count_queries(self.env, self._run_job)
        self._new(50, self.kam_user) | self._new(50, self.kam_manager)
        j50 = count_queries(self.env, self._run_job)
        self.assertLessEqual(j50, j2 + 4, f"owner notices: {j2} for 2+2, {j50} for 50+50")

    @users("kam_officer")
    @warmup
    def test_action_create_query_count(self):
        """The normal path: an officer creates one action for a colleague."""
        case = self.case.with_user(self.env.user)

        def create():
            self.env["kam.action"].create(
                {
                    "name": "Counted",
                    "case_id": case.id,
                    "user_id": self.kam_user.id,
                    "deadline": date(2026, 12, 1),
                }
            )
            self.env.flush_all()

        # the first triggers the owners' notices job (core_shortcuts.trigger_soon)
        with self.assertQueryCount(kam_officer=13):
            create()
        # the next ones while that trigger waits: no trigger of their own
        self.env.invalidate_all()
        with self.assertQueryCount(kam_officer=11):
            create()


@tagged("post_install", "-at_install")
class TestActionBatchCompanyCheck(KamCaseCommon):
    """kam.action checks the companies of a batch once per distinct combination of
    company and sources: a wrong one in a batch is still refused."""

    def test_wrong_company_in_a_batch(self):
        case = self.Case.create({"title": "Lekkage", "user_id": self.kam_officer.id})
        other = self.env["res.company"].create({"name": "Ander Metaal BV"})

        def vals(i, company=None):
            values = {
                "name": f"Actie {i}",
                "case_id": case.id,
                "user_id": self.kam_officer.id,
                "deadline": date(2026, 12, 1),
            }
            if company:
                values["company_id"] = company.id
            return values

        with self.assertRaises(UserError):
            self.Action.create([vals(1), vals(2), vals(3, other), vals(4)])
        actions = self.Action.create([vals(i) for i in range(5)])
        self.assertEqual(actions.company_id, case.company_id)
        with self.assertRaises(UserError):
            actions[2:].write({"company_id": other.id})


@freeze_time("2026-11-23")
@tagged("post_install", "-at_install")
class TestCaseCreatePath(KamCaseCommon):
    """The normal create path of a case (issue 16): what it leaves behind (reference,
    followers, creation note in the company's language) at a fixed, flat number of
    queries; the company's language and the closing stages come from the registry
    cache and follow their changes."""

    def _new(self, count, creator=None, **vals):
        Case = self.Case.with_user(creator or self.kam_officer)
        return Case.create(
            [
                dict(
                    {
                        "title": f"Braam {i}",
                        "case_type": "nonconformity",
                        "user_id": (self.kam_manager if i % 2 else self.kam_user).id,
                        "date_found": date(2026, 11, 20),
                    },
                    **vals,
                )
                for i in range(count)
            ]
        )

    def test_what_a_new_case_leaves(self):
        case = self._new(1)
        self.assertTrue(case.name.startswith("AFW/2026/"), case.name)
        self.assertEqual(
            case.message_partner_ids,
            self.kam_officer.partner_id | self.kam_user.partner_id,
            "creator and responsible follow",
        )
        follower = case.message_follower_ids[:1]
        self.assertIn(self.env.ref("mail.mt_comment"), follower.subtype_ids, "default subtypes")
        notes = case.message_ids
        self.assertEqual(len(notes), 1, "one creation note, nothing else")
        self.assertEqual(notes.author_id, self.kam_officer.partner_id)
        self.assertEqual(notes.subtype_id, self.env.ref("mail.mt_note"))
        self.assertIn(case.name, str(notes.body))
        self.assertFalse(notes.notification_ids, "an internal note notifies nobody")
        self.assertFalse(case.is_closed)
        # two in a batch: consecutive numbers
        pair = self._new(2)
        first, second = (int(name.rsplit("/", 1)[1]) for name in pair.mapped("name"))
        self.assertEqual(second, first + 1)

    def test_company_language_follows_its_change(self):
        load_dutch(self.env)
        self.company.partner_id.lang = "en_US"
        english = self._new(1)
        self.assertIn("created", str(english.message_ids.body))
        self.company.partner_id.lang = "nl_NL"
        dutch = self._new(1)
        self.assertNotIn("created", str(dutch.message_ids.body))
        self.assertIn(dutch.name, str(dutch.message_ids.body))

    def test_created_in_a_closing_stage(self):
        stage = self.env["kam.case.stage"].create(
            {
                "name": "Afgehandeld (test)",
                "state": "closed",
                "type_ids": [(4, self.env["kam.case.type"]._of("improvement").id)],
            }
        )
        case = self.Case.create({"title": "Idee", "case_type": "improvement", "stage_id": stage.id})
        self.assertTrue(case.is_closed)
        self.assertTrue(case.closed_date)
        self.assertEqual(case.closed_by_id, self.env.user)

    def test_case_create_flat(self):
        self._new(2)  # warm up
        q2 = count_queries(self.env, lambda: self._new(2))
        q40 = count_queries(self.env, lambda: self._new(40))
        self.assertEqual(q40, q2, f"cases: {q2} queries for 2, {q40} for 40")

    @users("kam_officer")
    @warmup
    def test_case_create_query_count(self):
        """The normal path: an officer registers one nonconformity for a colleague
        (the year's numbering exists: the first case of a year creates it)."""
        self._new(1)
        self.env.invalidate_all()  # a new request: nothing of the first case in the cache
        with self.assertQueryCount(kam_officer=9):
            self.env["kam.case"].create(
                {
                    "title": "Counted",
                    "case_type": "nonconformity",
                    "user_id": self.kam_user.id,
                    "date_found": date(2026, 11, 20),
                }
            )
            self.env.flush_all()

    def test_wrong_company_in_a_batch_of_cases(self):
        """The company check of a batch runs once per distinct company and linked
        records: a department of another company is still refused in a batch."""
        other = self.env["res.company"].create({"name": "Ander Metaal BV"})
        ours = self.env["hr.department"].create({"name": "Zagerij"})
        theirs = self.env["hr.department"].create({"name": "Lasserij", "company_id": other.id})
        with self.assertRaises(UserError):
            self._new(4, department_id=ours.id) | self.Case.create(
                [
                    {"title": f"Lek {i}", "department_id": dep.id}
                    for i, dep in enumerate([ours, ours, theirs, ours])
                ]
            )
        cases = self.Case.create(
            [{"title": f"Lek {i}", "department_id": ours.id} for i in range(5)]
        )
        self.assertEqual(cases.department_id, ours)
        with self.assertRaises(UserError):
            cases[2:].write({"department_id": theirs.id})
