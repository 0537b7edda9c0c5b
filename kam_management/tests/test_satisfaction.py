from datetime import date, datetime

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from .common import KamCommon

D = date
DT = datetime


class KamSatisfactionCommon(KamCommon):
    """Customers with deliveries, the ready questionnaire and helpers to answer it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.company.partner_id.tz = "UTC"
        cls.survey = cls.env.ref("kam_management.survey_kam_customer_satisfaction")
        cls.q_nps = cls.env.ref("kam_management.survey_kam_question_nps")
        cls.q_csat = cls.env.ref("kam_management.survey_kam_question_csat")
        cls.q_quality = cls.env.ref("kam_management.survey_kam_question_quality")
        cls.q_remarks = cls.env.ref("kam_management.survey_kam_question_remarks")
        cls.product = cls.env["product.product"].create({"name": "Steel bracket", "type": "consu"})
        cls.picking_type = cls.env.ref("stock.picking_type_out")
        cls.industry_build = cls.env["res.partner.industry"].create({"name": "Construction"})
        cls.industry_agri = cls.env["res.partner.industry"].create({"name": "Agriculture"})
        cls.account_manager = new_test_user(
            cls.env,
            login="account_manager",
            groups="sales_team.group_sale_salesman",
            name="Sales Rep",
        )

    @classmethod
    def _customer(cls, name, email=True, industry=None, **values):
        return cls.env["res.partner"].create(
            dict(
                {
                    "name": name,
                    "is_company": True,
                    "email": f"{name.lower().replace(' ', '.')}@example.com" if email else False,
                    "industry_id": (industry or cls.industry_build).id,
                    "user_id": cls.account_manager.id,
                },
                **values,
            )
        )

    @classmethod
    def _deliver(cls, partner, done, company=None):
        """A validated delivery to ``partner``, validated at ``done``."""
        company = company or cls.company
        picking_type = cls.picking_type
        if company != cls.company:
            picking_type = cls.env["stock.picking.type"].search(
                [("code", "=", "outgoing"), ("company_id", "=", company.id)], limit=1
            )
        picking = (
            cls.env["stock.picking"]
            .with_company(company)
            .create(
                {
                    "partner_id": partner.id,
                    "picking_type_id": picking_type.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": cls.env.ref("stock.stock_location_customers").id,
                    "move_ids": [
                        Command.create(
                            {
                                "product_id": cls.product.id,
                                "product_uom_qty": 1,
                                "location_id": picking_type.default_location_src_id.id,
                                "location_dest_id": cls.env.ref(
                                    "stock.stock_location_customers"
                                ).id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.move_ids.quantity = 1
        picking.move_ids.picked = True
        picking.button_validate()
        picking.date_done = done
        return picking

    def _campaign(self, **values):
        vals = {
            "name": "Test campaign",
            "date_from": D(2026, 1, 1),
            "date_to": D(2026, 6, 30),
            "survey_id": self.survey.id,
            "user_id": self.kam_officer.id,
        }
        vals.update(values)
        return self.env["kam.satisfaction.campaign"].with_user(self.kam_officer).create(vals)

    @staticmethod
    def _answer(answer, nps=None, csat=None, remark=None):
        """Fill in and finish the questionnaire as the customer would (the survey
        pages work as superuser once the token is checked)."""
        answer = answer.sudo()
        survey = answer.survey_id
        questions = {q.kam_measure: q for q in survey.question_ids if q.kam_measure}
        if nps is not None:
            answer._save_lines(questions["nps"], str(nps))
        if csat is not None:
            answer._save_lines(questions["csat"], str(csat))
        if remark:
            text = survey.question_ids.filtered(lambda q: q.question_type == "text_box")
            answer._save_lines(text, remark)
        answer._mark_done()


@tagged("post_install", "-at_install")
@freeze_time("2026-07-06 09:00:00")
class TestSatisfactionFigures(KamSatisfactionCommon):
    """NPS, CSAT and response rate on a crafted set of answers: 10 invited
    customers, 8 answers (NPS 10 10 9 9 8 7 6 3: 4 promoters, 2 passives, 2
    detractors; CSAT 5 4 4 5 3 2 5 1: 5 of 8 in the top two values)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.campaign = cls.env["kam.satisfaction.campaign"].create(
            {
                "name": "2026 H1",
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 6, 30),
                "survey_id": cls.survey.id,
                "user_id": cls.kam_officer.id,
                "state": "sent",
            }
        )
        answers = cls.env["survey.user_input"]
        for index in range(10):
            customer = cls._customer(
                f"Customer {index}",
                industry=cls.industry_build if index < 5 else cls.industry_agri,
            )
            answers |= cls.env["survey.user_input"].create(
                {
                    "survey_id": cls.survey.id,
                    "kam_campaign_id": cls.campaign.id,
                    "kam_customer_id": customer.id,
                    "kam_segment_id": customer.industry_id.id,
                    "kam_user_id": cls.account_manager.id,
                    "partner_id": customer.id,
                    "email": customer.email,
                    "kam_invited_date": DT(2026, 7, 1, 9),
                }
            )
        cls.answers = answers
        scores = [(10, 5), (10, 4), (9, 4), (9, 5), (8, 3), (7, 2), (6, 5), (3, 1)]
        for answer, (nps, csat) in zip(answers, scores, strict=False):
            cls._answer(answer, nps=nps, csat=csat, remark="Delivery was late" if nps < 7 else None)

    def test_campaign_figures(self):
        campaign = self.campaign.with_user(self.kam_officer)
        self.assertEqual(campaign.invited_count, 10)
        self.assertEqual(campaign.response_count, 8)
        self.assertAlmostEqual(campaign.response_rate, 80.0)
        self.assertEqual(
            (campaign.promoter_count, campaign.passive_count, campaign.detractor_count), (4, 2, 2)
        )
        # (4 - 2) / 8 answers
        self.assertAlmostEqual(campaign.nps, 25.0)
        # 5, 4, 4, 5 and 5 are in the top two values of 1-5: 5 of 8
        self.assertAlmostEqual(campaign.csat, 62.5)

    def test_figures_of_a_period(self):
        """What the management review and an indicator read: the campaigns whose
        period ends in the period."""
        Report = self.env["kam.satisfaction.report"]
        figures = Report._kam_period_figures(self.company, D(2026, 1, 1), D(2026, 12, 31))
        self.assertEqual((figures["invited"], figures["answered"]), (10, 8))
        self.assertAlmostEqual(figures["response_rate"], 80.0)
        self.assertAlmostEqual(figures["nps"], 25.0)
        self.assertAlmostEqual(figures["csat"], 62.5)
        self.assertEqual((figures["promoters"], figures["detractors"]), (4, 2))
        empty = Report._kam_period_figures(self.company, D(2025, 1, 1), D(2025, 12, 31))
        self.assertEqual((empty["invited"], empty["nps"], empty["response_rate"]), (0, None, None))
        other = Report._kam_period_figures(self.company_2, D(2026, 1, 1), D(2026, 12, 31))
        self.assertEqual(other["invited"], 0)

    def test_in_the_management_review(self):
        """The review of the first half of 2026 gets the satisfaction figures and the
        campaign (ISO 9001 9.3.2 c 1), compared with the half year before."""
        review = self.env["kam.review"].create(
            {
                "name": "H1 2026",
                "company_id": self.company.id,
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 6, 30),
                "standard_ids": [Command.set(self.iso9001.ids)],
            }
        )
        review.with_user(self.kam_officer).action_prepare()
        figures = {
            f.key: (round(f.value, 2) if f.value_set else None, f.previous_set)
            for f in review.figure_ids
            if f.section_id.topic_id.code == "customer"
        }
        self.assertEqual(figures["satisfaction_invited"], (10, True))
        self.assertEqual(figures["satisfaction_response"], (80.0, False))
        self.assertEqual(figures["nps"], (25.0, False))
        self.assertEqual(figures["csat"], (62.5, False))
        self.assertEqual(figures["detractors"], (2, True))
        customer = review.section_ids.filtered(lambda s: s.topic_id.code == "customer")
        self.assertIn("2026 H1", customer.table_html)
        # another company's review has no satisfaction figures
        other = self.env["kam.review"].create(
            {
                "name": "H1 2026",
                "company_id": self.company_2.id,
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 6, 30),
                "standard_ids": [Command.set(self.iso9001.ids)],
            }
        )
        other.with_company(self.company_2).action_prepare()
        self.assertFalse(other.figure_ids.filtered(lambda f: f.key == "nps"))

    def test_nps_indicator(self):
        """The ready indicator KPI-K4 measures the NPS of the campaigns per half year."""
        indicator = self.env.ref("kam_management.kam_indicator_nps").copy(
            {"date_start": D(2026, 1, 1), "company_id": self.company.id}
        )
        indicator._kam_update(D(2026, 7, 6))
        values = {v.date_from: round(v.value, 2) for v in indicator.value_ids if v.value_set}
        self.assertEqual(values, {D(2026, 1, 1): 25.0})
        self.assertEqual(indicator.last_status, "amber")

    def test_figures_per_segment(self):
        groups = self.env["kam.satisfaction.report"]._read_group(
            [("campaign_id", "=", self.campaign.id)],
            ["segment_id"],
            ["invited:sum", "responded:sum", "response_rate:avg", "nps:avg", "csat:avg"],
        )
        figures = {segment.name: rest for segment, *rest in groups}
        # construction: customers 0-4, all answered: NPS 10 10 9 9 8 -> 4 promoters of 5;
        # CSAT 5 4 4 5 3 -> 4 of 5
        self.assertEqual(figures["Construction"][:2], [5, 5])
        self.assertAlmostEqual(figures["Construction"][2], 100.0)
        self.assertAlmostEqual(figures["Construction"][3], 80.0)
        self.assertAlmostEqual(figures["Construction"][4], 80.0)
        # agriculture: 3 of 5 answered: NPS 7 6 3 -> (0 - 2) / 3; CSAT 2 5 1 -> 1 of 3
        self.assertEqual(figures["Agriculture"][:2], [5, 3])
        self.assertAlmostEqual(figures["Agriculture"][2], 60.0)
        self.assertAlmostEqual(figures["Agriculture"][3], -200.0 / 3)
        self.assertAlmostEqual(figures["Agriculture"][4], 100.0 / 3)

    def test_nps_classes(self):
        classes = self.answers.mapped("kam_nps_class")
        self.assertEqual(
            classes,
            ["promoter"] * 4 + ["passive"] * 2 + ["detractor"] * 2 + [False] * 2,
        )
        self.assertEqual(self.answers[7].kam_nps_score, 3)
        self.assertEqual(self.answers[7].kam_csat_score, 1.0)

    def test_dissatisfied_customers_get_one_case(self):
        # detractors (NPS 6 and 3) and the CSAT of 2 (NPS 7): three cases
        unhappy = self.answers.filtered("kam_case_id")
        self.assertEqual(unhappy, self.answers[5] | self.answers[6] | self.answers[7])
        case = self.answers[7].kam_case_id
        self.assertEqual(case.case_type, "improvement")
        self.assertEqual(case.partner_id, self.answers[7].kam_customer_id)
        self.assertEqual(case.channel, "survey")
        self.assertEqual(case.user_id, self.kam_officer)
        self.assertEqual((case.res_model, case.res_id), ("survey.user_input", self.answers[7].id))
        self.assertIn("Delivery was late", case.description)
        self.assertIn("3 of 10", case.description)
        # the account manager calls back, once
        activity = case.activity_ids
        self.assertEqual(len(activity), 1)
        self.assertEqual(activity.user_id, self.account_manager)
        self.assertEqual(
            activity.activity_type_id,
            self.env.ref("kam_management.mail_activity_kam_satisfaction_callback"),
        )
        self.assertEqual(activity.date_deadline, D(2026, 7, 9))
        self.assertIn(self.account_manager.partner_id, case.message_partner_ids)
        # finishing again (or any later follow-up run) opens nothing more
        before = self.env["kam.case"].search_count([("channel", "=", "survey")])
        self.answers._kam_follow_up()
        self.assertEqual(self.env["kam.case"].search_count([("channel", "=", "survey")]), before)
        self.assertEqual(self.campaign.case_count, 3)

    def test_follow_up_as_complaint_by_setting(self):
        self.company.kam_satisfaction_case_type = "complaint"
        self.company.kam_standard_ids = self.iso9001 | self.iso14001
        answer = self.answers[8]
        self._answer(answer, nps=2, csat=4)
        case = answer.kam_case_id
        self.assertEqual(case.case_type, "complaint")
        # evidence for the customer satisfaction clause of the company's quality standard
        self.assertEqual(case.clause_ids, self.env.ref("kam_management.iso9001_2015_c9_1_2"))
        self.assertEqual(case.name[:3], "KL/")
        # no acknowledgement mail: the customer did not file a complaint
        self.assertFalse(case.acknowledged_date)
        self.assertFalse(case.acknowledgement_due, "nor one queued for the job")

    def test_complaint_handling_beside_it(self):
        Case = self.env["kam.case"].with_context(kam_no_acknowledgement=True)
        customer = self.answers[0].kam_customer_id
        complaints = Case.create(
            [
                {"title": f"Complaint {i}", "case_type": "complaint", "partner_id": customer.id}
                for i in range(4)
            ]
        )
        for complaint, satisfaction, when in zip(
            complaints,
            ["satisfied", "satisfied", "not_satisfied", "satisfied"],
            [DT(2026, 2, 1), DT(2026, 5, 1), DT(2026, 6, 30, 20), DT(2026, 7, 2)],
            strict=True,
        ):
            complaint._kam_workflow_write().write(
                {"satisfaction": satisfaction, "satisfaction_date": when}
            )
        # three answered in the period (the fourth after it), two of them satisfied
        self.assertEqual(self.campaign.complaint_answer_count, 3)
        self.assertAlmostEqual(self.campaign.complaint_satisfied_rate, 200.0 / 3)


@tagged("post_install", "-at_install")
@freeze_time("2026-07-06 09:00:00")
class TestSatisfactionCampaign(KamSatisfactionCommon):
    """Selection (deliveries in the period, sample, exclusions), invitations,
    deadline and the one reminder."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.delivered = [cls._customer(f"Delivered {i}") for i in range(6)]
        for customer in cls.delivered:
            cls._deliver(customer, DT(2026, 3, 10, 10))
        # twice: invited once; and a delivery to a contact counts for its company
        cls._deliver(cls.delivered[0], DT(2026, 5, 10, 10))
        cls.with_contact = cls._customer("With contact")
        cls.contact = cls.env["res.partner"].create(
            {
                "name": "Anna Inkoop",
                "parent_id": cls.with_contact.id,
                "email": "anna@contact.example.com",
            }
        )
        cls._deliver(cls.contact, DT(2026, 4, 1, 10))
        # left out: outside the period, opted out, no e-mail, blacklisted
        cls.late = cls._customer("Delivered in July")
        cls._deliver(cls.late, DT(2026, 7, 1, 10))
        cls.opted_out = cls._customer("Opted out", kam_survey_opt_out=True)
        cls._deliver(cls.opted_out, DT(2026, 2, 1, 10))
        cls.no_email = cls._customer("No mail", email=False)
        cls._deliver(cls.no_email, DT(2026, 2, 1, 10))
        cls.blacklisted = cls._customer("Blacklisted")
        cls.env["mail.blacklist"].sudo()._add(cls.blacklisted.email)
        cls._deliver(cls.blacklisted, DT(2026, 2, 1, 10))
        # a customer of another company's deliveries
        cls.other = cls._customer("Other company's customer")
        cls.env["stock.warehouse"].sudo().search([("company_id", "=", cls.company_2.id)]) or (
            cls.env["stock.warehouse"]
            .sudo()
            .create({"name": "WH 2", "code": "WH2", "company_id": cls.company_2.id})
        )
        cls._deliver(cls.other, DT(2026, 3, 1, 10), company=cls.company_2)

    def test_select_customers(self):
        campaign = self._campaign()
        campaign.action_select_customers()
        self.assertEqual(campaign.state, "selected")
        customers = campaign.user_input_ids.kam_customer_id
        self.assertEqual(
            customers, self.env["res.partner"].concat(*self.delivered) | self.with_contact
        )
        self.assertEqual(campaign.candidate_count, 10)
        self.assertEqual(campaign.excluded_opt_out_count, 2)
        self.assertEqual(campaign.excluded_no_email_count, 1)
        self.assertEqual(campaign.excluded_recent_count, 0)
        # the contact of the delivery is asked, for the company
        invitation = campaign.user_input_ids.filtered(
            lambda a: a.kam_customer_id == self.with_contact
        )
        self.assertEqual(invitation.partner_id, self.contact)
        self.assertEqual(invitation.email, "anna@contact.example.com")
        self.assertEqual(invitation.kam_segment_id, self.industry_build)
        self.assertEqual(invitation.kam_user_id, self.account_manager)
        self.assertFalse(invitation.kam_invited_date)
        # nothing was sent yet; selecting again first needs a reset
        self.assertEqual(campaign.invited_count, 0)
        with self.assertRaises(UserError):
            campaign.action_select_customers()
        campaign.action_reset_selection()
        self.assertEqual(campaign.state, "draft")
        self.assertFalse(campaign.user_input_ids)

    def test_sample(self):
        campaign = self._campaign(sample_mode="percent", sample_percent=50)
        campaign.action_select_customers()
        self.assertEqual(len(campaign.user_input_ids), 4)  # half of 7, rounded
        first = campaign.user_input_ids.kam_customer_id
        campaign.action_reset_selection()
        campaign.action_select_customers()
        self.assertEqual(campaign.user_input_ids.kam_customer_id, first, "the same draw again")
        other = self._campaign(sample_mode="number", sample_size=3)
        other.action_select_customers()
        self.assertEqual(len(other.user_input_ids), 3)

    def test_invitations_deadline_and_one_reminder(self):
        campaign = self._campaign(answer_days=14, reminder_days=7)
        campaign.action_select_customers()
        mails_before = self.env["mail.mail"].search_count([])
        campaign.action_send_invitations()
        self.assertEqual(campaign.state, "sent")
        self.assertEqual(campaign.deadline, D(2026, 7, 20))
        self.assertEqual(campaign.reminder_date, D(2026, 7, 13))
        self.assertEqual(campaign.invited_count, 7)
        self.assertTrue(all(campaign.user_input_ids.mapped("kam_invited_date")))
        self.assertEqual(campaign.user_input_ids.mapped("deadline")[0], DT(2026, 7, 20, 23, 59, 59))
        mails = self.env["mail.mail"].search([], order="id desc", limit=7)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 7)
        recipients = mails.recipient_ids
        self.assertIn(self.contact, recipients)
        mail = mails.filtered(lambda m: self.contact in m.recipient_ids)
        answer = campaign.user_input_ids.filtered(lambda a: a.partner_id == self.contact)
        self.assertIn(answer.access_token, mail.body_html)
        self.assertIn(f"/kam/satisfaction/optout/{answer.access_token}", mail.body_html)
        # one customer answers; on the reminder date the others are reminded, once
        self._answer(answer, nps=9, csat=5)
        Campaign = self.env["kam.satisfaction.campaign"]
        with freeze_time("2026-07-12 09:00:00"):
            self.assertFalse(Campaign._kam_duty_run())
        with freeze_time("2026-07-13 09:00:00"):
            self.assertEqual(Campaign._kam_duty_run(), campaign)
        reminded = campaign.user_input_ids.filtered("kam_reminded_date")
        self.assertEqual(len(reminded), 6)
        self.assertNotIn(answer, reminded)
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 13)
        with freeze_time("2026-07-14 09:00:00"):
            self.assertFalse(Campaign._kam_duty_run())
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 13)
        # a reminder date moved on by hand: who has not answered gets one more
        campaign.reminder_date = D(2026, 7, 16)
        self.assertEqual(campaign.kam_duty_state, "pending")
        with freeze_time("2026-07-16 09:00:00"):
            self.assertEqual(Campaign._kam_duty_run(), campaign)
            self.assertFalse(Campaign._kam_duty_run())
        self.assertEqual(self.env["mail.mail"].search_count([]), mails_before + 19)
        # after the deadline the campaign closes; its results stay
        campaign.action_close()
        self.assertEqual(campaign.state, "closed")
        campaign.invalidate_recordset()
        self.assertEqual(campaign.response_count, 1)
        with self.assertRaises(UserError):
            campaign.write({"name": "Renamed"})

    def test_invitations_in_chunks(self):
        campaign = self._campaign()
        campaign.action_select_customers()
        campaign.write({"state": "sending"})
        campaign._kam_send_pending(batch_size=3, max_chunks=1)
        self.assertEqual(campaign.state, "sending")
        self.assertEqual(len(campaign.user_input_ids.filtered("kam_invited_date")), 3)
        self.env["kam.satisfaction.campaign"]._cron_send_invitations(batch_size=3)
        self.assertEqual(campaign.state, "sent")
        self.assertEqual(len(campaign.user_input_ids.filtered("kam_invited_date")), 7)

    def test_nobody_twice_within_the_exclusion_period(self):
        first = self._campaign()
        first.action_select_customers()
        first.action_send_invitations()
        second = self._campaign(name="Second", exclude_months=12)
        second.action_select_customers()
        self.assertFalse(second.user_input_ids)
        self.assertEqual(second.excluded_recent_count, 7)
        third = self._campaign(name="Third", exclude_months=0)
        third.action_select_customers()
        self.assertEqual(len(third.user_input_ids), 7)
        # a campaign of another company does not count
        other = self.env["kam.satisfaction.campaign"].create(
            {
                "name": "Other company",
                "company_id": self.company_2.id,
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 6, 30),
                "survey_id": self.survey.id,
            }
        )
        other.action_select_customers()
        self.assertEqual(other.user_input_ids.kam_customer_id, self.other)

    def test_opt_out_link(self):
        campaign = self._campaign()
        campaign.action_select_customers()
        answer = campaign.user_input_ids[0]
        self.assertFalse(answer.partner_id.kam_survey_opt_out)
        answer.partner_id.sudo().kam_survey_opt_out = True
        campaign.action_reset_selection()
        campaign.action_select_customers()
        self.assertEqual(len(campaign.user_input_ids), 6)
        self.assertEqual(campaign.excluded_opt_out_count, 3)

    def test_only_officers_run_campaigns(self):
        campaign = self._campaign()
        with self.assertRaises(AccessError):
            campaign.with_user(self.kam_user).action_select_customers()
        campaign.action_select_customers()
        campaign.action_send_invitations()
        campaign.action_close()
        with self.assertRaises(AccessError):
            campaign.action_reopen()
        campaign.with_user(self.kam_manager).action_reopen()
        self.assertEqual(campaign.state, "sent")

    def test_default_period(self):
        self.company.kam_satisfaction_frequency = "quarterly"
        values = (
            self.env["kam.satisfaction.campaign"]
            .with_user(self.kam_officer)
            .default_get(["name", "date_from", "date_to"])
        )
        self.assertEqual((values["date_from"], values["date_to"]), (D(2026, 4, 1), D(2026, 6, 30)))
        self.assertEqual(values["name"], "Customer satisfaction 2026 Q2")


@tagged("post_install", "-at_install")
class TestSatisfactionAccess(KamSatisfactionCommon):
    """The customers' answers: KAM officers and managers of the campaign's
    company only; not KAM users, not survey users or managers without KAM rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        customer = cls._customer("Access customer")
        cls.campaign = cls.env["kam.satisfaction.campaign"].create(
            {
                "name": "Access",
                "date_from": D(2026, 1, 1),
                "date_to": D(2026, 6, 30),
                "survey_id": cls.survey.id,
                "state": "sent",
            }
        )
        cls.answer = cls.env["survey.user_input"].create(
            {
                "survey_id": cls.survey.id,
                "kam_campaign_id": cls.campaign.id,
                "kam_customer_id": customer.id,
                "partner_id": customer.id,
                "kam_invited_date": DT(2026, 7, 1),
            }
        )
        cls._answer(cls.answer, nps=9, csat=4)
        cls.survey_manager = new_test_user(
            cls.env,
            login="survey_boss",
            groups="survey.group_survey_manager",
            name="Survey Manager",
        )
        cls.plain_survey = cls.env["survey.survey"].create(
            {"title": "Canteen", "survey_type": "survey", "access_mode": "public"}
        )
        cls.plain_answer = cls.plain_survey._create_answer(user=cls.kam_user)

    def test_officers_and_managers_read_answers(self):
        for user in (self.kam_officer, self.kam_manager):
            answer = self.answer.with_user(user)
            self.assertEqual(answer.kam_nps_class, "promoter")
            self.assertTrue(answer.user_input_line_ids.with_user(user).mapped("value_scale"))
            self.assertEqual(self.campaign.with_user(user).response_count, 1)
            self.assertTrue(self.env["kam.satisfaction.report"].with_user(user).search([]))

    def test_others_do_not(self):
        for user in (self.kam_user, self.employee, self.survey_manager, self.user_company_2):
            with self.assertRaises(AccessError, msg=user.login):
                self.answer.with_user(user).read(["partner_id"])
            with self.assertRaises(AccessError, msg=user.login):
                self.answer.user_input_line_ids.with_user(user).read(["value_scale"])
        # survey managers list the answers of ordinary surveys, never these
        Answer = self.env["survey.user_input"].with_user(self.survey_manager)
        self.assertEqual(Answer.search([("survey_id", "=", self.survey.id)]), Answer.browse())
        self.assertTrue(self.plain_answer.with_user(self.survey_manager).read(["state"]))
        # officers of the other company neither
        Answer = self.env["survey.user_input"].with_user(self.user_company_2)
        self.assertFalse(Answer.search([("id", "=", self.answer.id)]))

    def test_campaigns_per_company(self):
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.user_company_2).read(["name"])
        with self.assertRaises(AccessError):
            self.campaign.with_user(self.kam_user).read(["name"])

    def test_questionnaire_for_kam_managers(self):
        survey = self.survey.with_user(self.kam_manager)
        survey.title = "Klanttevredenheid"
        self.assertEqual(survey.kam_nps_question_id, self.q_nps)
        with self.assertRaises(AccessError):
            self.survey.with_user(self.kam_officer).write({"title": "No"})
        # a second NPS question, or an NPS question that is not 0-10, is refused
        with self.assertRaises(ValidationError):
            self.env["survey.question"].create(
                {
                    "survey_id": self.survey.id,
                    "title": "Again",
                    "question_type": "scale",
                    "kam_measure": "nps",
                }
            )
