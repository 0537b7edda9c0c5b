from markupsafe import Markup, escape

from odoo import Command, api, fields, models

from ..tools.access import KAM_OFFICER, check_groups
from ..tools.activities import schedule_once

NPS_CLASSES = [
    ("promoter", "Promoter (9-10)"),
    ("passive", "Passive (7-8)"),
    ("detractor", "Detractor (0-6)"),
]
CALLBACK_DAYS = 3


def nps_class(score):
    """Promoter (9-10), passive (7-8) or detractor (0-6); None without a score."""
    if score is None:
        return None
    if score >= 9:
        return "promoter"
    return "passive" if score >= 7 else "detractor"


class SurveyUserInput(models.Model):
    """A customer's invitation to a satisfaction campaign and, once answered, the
    answers. Selecting the customers of a campaign creates one per customer (not
    yet invited); sending the invitations dates them. When the customer finishes
    the questionnaire, a detractor or a very low CSAT gets a case for follow-up
    with a call-back activity for the account manager, once."""

    _inherit = "survey.user_input"

    kam_campaign_id = fields.Many2one(
        "kam.satisfaction.campaign",
        string="Satisfaction campaign",
        index="btree_not_null",
        ondelete="cascade",
        readonly=True,
    )
    kam_company_id = fields.Many2one(
        "res.company",
        string="Company of the campaign",
        related="kam_campaign_id.company_id",
        store=True,
        index="btree_not_null",
    )
    kam_customer_id = fields.Many2one(
        "res.partner", string="Customer", readonly=True, index="btree_not_null"
    )
    kam_segment_id = fields.Many2one(
        "res.partner.industry",
        string="Segment",
        readonly=True,
        help="The customer's industry when the customer was selected.",
    )
    kam_user_id = fields.Many2one(
        "res.users",
        string="Account manager",
        readonly=True,
        help="The customer's salesperson when the customer was selected; calls back dissatisfied "
        "customers.",
    )
    kam_invited_date = fields.Datetime(string="Invited on", readonly=True, copy=False)
    kam_reminded_date = fields.Datetime(string="Reminded on", readonly=True, copy=False)
    kam_nps_class = fields.Selection(
        NPS_CLASSES, string="NPS class", readonly=True, copy=False, index="btree_not_null"
    )
    kam_nps_score = fields.Integer(string="NPS answer", compute="_compute_kam_scores")
    kam_csat_score = fields.Float(
        string="CSAT answer", compute="_compute_kam_scores", digits=(3, 1)
    )
    kam_case_id = fields.Many2one(
        "kam.case", string="Follow-up case", readonly=True, copy=False, index="btree_not_null"
    )

    @api.depends("kam_campaign_id", "kam_customer_id")
    def _compute_display_name(self):
        kam = self.filtered("kam_campaign_id")
        for answer in kam:
            answer.display_name = (
                f"{answer.kam_campaign_id.name}: "
                f"{answer.kam_customer_id.display_name or answer.nickname or ''}"
            )
        return super(SurveyUserInput, self - kam)._compute_display_name()

    @api.depends("user_input_line_ids.value_scale", "state")
    def _compute_kam_scores(self):
        scores = self._kam_scores()
        for answer in self:
            nps, csat, _csat_max = scores.get(answer.id, (None, None, None))
            answer.kam_nps_score = nps or 0
            answer.kam_csat_score = csat or 0.0

    def _kam_scores(self):
        """{answer id: (NPS answer or None, average CSAT answer or None, top of the
        CSAT scale)} of the completed answers of ``self``: one read of their lines."""
        done = self.filtered(lambda a: a.state == "done" and a.kam_campaign_id)
        if not done:
            return {}
        lines = (
            self.env["survey.user_input.line"]
            .sudo()
            .search(
                [
                    ("user_input_id", "in", done.ids),
                    ("skipped", "=", False),
                    ("answer_type", "=", "scale"),
                    ("question_id.kam_measure", "in", ("nps", "csat")),
                ]
            )
        )
        values = {}
        for line in lines:
            entry = values.setdefault(line.user_input_id.id, {"nps": [], "csat": [], "max": []})
            entry[line.question_id.kam_measure].append(line.value_scale)
            if line.question_id.kam_measure == "csat":
                entry["max"].append(line.question_id.scale_max)
        result = {}
        for answer_id, entry in values.items():
            nps = entry["nps"][0] if entry["nps"] else None
            csat = sum(entry["csat"]) / len(entry["csat"]) if entry["csat"] else None
            csat_max = max(entry["max"]) if entry["max"] else None
            result[answer_id] = (nps, csat, csat_max)
        return result

    # ------------------------------------------------------------------ follow-up
    def _mark_done(self):
        res = super()._mark_done()
        self.filtered("kam_campaign_id")._kam_follow_up()
        return res

    def _kam_follow_up(self):
        """Classify the completed answers (NPS) and open one follow-up case per
        dissatisfied customer: a detractor, or a CSAT answer at or below the
        company's limit. Never a second case for the same answer."""
        answers = self.sudo()
        scores = answers._kam_scores()
        unhappy = answers.browse()
        for answer in answers:
            nps, csat, _csat_max = scores.get(answer.id, (None, None, None))
            klass = nps_class(nps)
            if klass and answer.kam_nps_class != klass:
                answer.kam_nps_class = klass
            limit = answer.kam_campaign_id.company_id.kam_satisfaction_csat_case_max
            if not answer.kam_case_id and (
                klass == "detractor" or (csat is not None and csat <= limit)
            ):
                unhappy |= answer
        if unhappy:
            unhappy._kam_create_follow_up_cases(scores)
        return unhappy

    def _kam_create_follow_up_cases(self, scores):
        """One case per answer of ``self`` (a complaint or an improvement, by the
        company's setting), linked to the answer, with a call-back activity for
        the account manager."""
        Case = (
            self.env["kam.case"]
            .sudo()
            .with_context(kam_no_acknowledgement=True, mail_notify_force_send=False)
        )
        vals_list = []
        for answer in self:
            campaign = answer.kam_campaign_id
            company = campaign.company_id
            lang_env = self.with_context(lang=company.partner_id.lang or self.env.lang).env
            nps, csat, csat_max = scores.get(answer.id, (None, None, None))
            vals_list.append(
                {
                    "case_type": company.kam_satisfaction_case_type or "improvement",
                    "title": lang_env._(
                        "Dissatisfied customer in %(campaign)s: %(customer)s",
                        campaign=campaign.name,
                        customer=answer.kam_customer_id.display_name or answer.nickname or "",
                    ),
                    "description": answer._kam_answer_summary(lang_env, nps, csat, csat_max),
                    "partner_id": answer.kam_customer_id.id,
                    "contact_id": answer.partner_id.id,
                    "company_id": company.id,
                    "source": "customer",
                    "channel": "survey",
                    "user_id": campaign.user_id.id,
                    "reported_by_id": campaign.user_id.id,
                    "res_model": answer._name,
                    "res_id": answer.id,
                    # found when the customer answered
                    "date_found": (answer.end_datetime or fields.Datetime.now()).date(),
                    "clause_ids": [Command.set(campaign._kam_satisfaction_clauses().ids)],
                }
            )
        cases = Case.create(vals_list)
        for answer, case in zip(self, cases, strict=True):
            answer.kam_case_id = case
            manager = answer._kam_callback_user()
            if manager.partner_id:
                case.message_subscribe(partner_ids=manager.partner_id.ids)
        callback = self.env.ref("kam_management.mail_activity_kam_satisfaction_callback")
        by_case = {answer.kam_case_id: answer for answer in self}
        today = fields.Date.context_today(self)

        def values_of(case):
            answer = by_case[case]
            user = answer._kam_callback_user()
            lang_env = self.with_context(lang=user.lang or self.env.lang).env
            return {
                "user_id": user.id,
                "date_deadline": fields.Date.add(today, days=CALLBACK_DAYS),
                "summary": lang_env._(
                    "Call back %(customer)s about their satisfaction answers",
                    customer=answer.kam_customer_id.display_name or answer.nickname or "",
                ),
            }

        schedule_once(cases, callback, values_of)
        return cases

    def _kam_callback_user(self):
        """Who calls the customer back: the account manager, else the campaign's responsible."""
        self.ensure_one()
        return self.kam_user_id or self.kam_campaign_id.user_id

    def _kam_answer_summary(self, lang_env, nps, csat, csat_max):
        """The answers as HTML for the follow-up case (scores and written remarks)."""
        self.ensure_one()
        items = []
        if nps is not None:
            items.append(lang_env._("Likelihood to recommend (NPS): %(score)s of 10", score=nps))
        if csat is not None:
            items.append(
                lang_env._(
                    "Overall satisfaction (CSAT): %(score)s of %(max)s",
                    score=round(csat, 1),
                    max=csat_max,
                )
            )
        remarks = self.user_input_line_ids.filtered(
            lambda line: line.answer_type in ("text_box", "char_box") and not line.skipped
        )
        body = Markup("<p>%s</p><ul>%s</ul>") % (
            lang_env._("The customer answered the satisfaction questionnaire:"),
            Markup("").join(Markup("<li>%s</li>") % item for item in items),
        )
        for line in remarks:
            body += Markup("<p><strong>%s</strong><br/>%s</p>") % (
                line.question_id.with_env(lang_env).title,
                escape(line.value_text_box or line.value_char_box or ""),
            )
        return body

    @api.readonly
    def action_kam_open_case(self):
        check_groups(self, KAM_OFFICER)
        self.ensure_one()
        return self.kam_case_id._get_records_action() if self.kam_case_id else False
