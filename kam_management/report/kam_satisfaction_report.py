from odoo import api, fields, models
from odoo.tools import SQL


class KamSatisfactionReport(models.Model):
    """Customer satisfaction figures: one row per invited customer of a
    campaign, with the answers as numbers whose average is the figure, so that
    any grouping (campaign, period, segment, account manager) gives exact
    figures in the pivot and graph views:

    - response rate: 100 for an answered invitation, 0 otherwise;
    - NPS: +100 for a promoter (9-10), 0 for a passive (7-8), -100 for a
      detractor (0-6), empty without an NPS answer; the average is the Net
      Promoter Score (% promoters - % detractors);
    - CSAT: 100 when the customer's CSAT answer (the average of the CSAT
      questions) is in the top two values of the scale, else 0; the average is
      the share of satisfied customers.

    Only completed questionnaires count as answers; archived campaigns do not count."""

    _name = "kam.satisfaction.report"
    _description = "Customer satisfaction figures"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "partner_id"

    campaign_id = fields.Many2one("kam.satisfaction.campaign", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(string="Period end", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Customer", readonly=True)
    segment_id = fields.Many2one("res.partner.industry", readonly=True)
    user_id = fields.Many2one("res.users", string="Account manager", readonly=True)
    answer_id = fields.Many2one("survey.user_input", readonly=True)
    invited = fields.Integer(readonly=True)
    responded = fields.Integer(string="Answered", readonly=True)
    response_rate = fields.Float(
        string="Response rate (%)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    nps_score = fields.Float(
        string="NPS answer (average)", readonly=True, aggregator="avg", digits=(16, 1)
    )
    nps = fields.Float(
        string="NPS",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="Net Promoter Score: % promoters (9-10) minus % detractors (0-6).",
    )
    promoter = fields.Integer(string="Promoters", readonly=True)
    passive = fields.Integer(string="Passives", readonly=True)
    detractor = fields.Integer(string="Detractors", readonly=True)
    csat_score = fields.Float(
        string="CSAT answer (average)", readonly=True, aggregator="avg", digits=(16, 2)
    )
    csat = fields.Float(
        string="CSAT (%)",
        readonly=True,
        aggregator="avg",
        digits=(16, 1),
        help="The share of answering customers whose overall satisfaction is in the top two "
        "values of the scale.",
    )
    case_id = fields.Many2one("kam.case", string="Follow-up case", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH scores AS (
                SELECT l.user_input_id,
                       avg(l.value_scale) FILTER (WHERE q.kam_measure = 'nps') AS nps,
                       avg(l.value_scale) FILTER (WHERE q.kam_measure = 'csat') AS csat,
                       avg(q.scale_max) FILTER (WHERE q.kam_measure = 'csat') AS csat_max
                  FROM survey_user_input_line l
                  JOIN survey_user_input u ON u.id = l.user_input_id
                  JOIN survey_question q ON q.id = l.question_id
                 WHERE u.kam_campaign_id IS NOT NULL AND u.state = 'done'
                   AND NOT COALESCE(l.skipped, FALSE) AND l.answer_type = 'scale'
                   AND q.kam_measure IN ('nps', 'csat')
                 GROUP BY l.user_input_id
            )
            SELECT ui.id AS id,
                   ui.id AS answer_id,
                   ui.kam_campaign_id AS campaign_id,
                   c.company_id AS company_id,
                   c.date_to AS date,
                   ui.kam_customer_id AS partner_id,
                   ui.kam_segment_id AS segment_id,
                   ui.kam_user_id AS user_id,
                   ui.kam_case_id AS case_id,
                   1 AS invited,
                   CASE WHEN ui.state = 'done' THEN 1 ELSE 0 END AS responded,
                   CASE WHEN ui.state = 'done' THEN 100.0 ELSE 0.0 END AS response_rate,
                   s.nps AS nps_score,
                   CASE WHEN s.nps IS NULL THEN NULL
                        WHEN s.nps >= 9 THEN 100.0
                        WHEN s.nps >= 7 THEN 0.0
                        ELSE -100.0 END AS nps,
                   CASE WHEN s.nps >= 9 THEN 1 ELSE 0 END AS promoter,
                   CASE WHEN s.nps >= 7 AND s.nps < 9 THEN 1 ELSE 0 END AS passive,
                   CASE WHEN s.nps < 7 THEN 1 ELSE 0 END AS detractor,
                   s.csat AS csat_score,
                   CASE WHEN s.csat IS NULL THEN NULL
                        WHEN s.csat >= s.csat_max - 1 THEN 100.0
                        ELSE 0.0 END AS csat
              FROM survey_user_input ui
              JOIN kam_satisfaction_campaign c ON c.id = ui.kam_campaign_id
              LEFT JOIN scores s ON s.user_input_id = ui.id
             WHERE ui.kam_invited_date IS NOT NULL AND c.active
            """
        )

    @api.model
    def _kam_period_figures(self, company, date_from, date_to):
        """The satisfaction figures of the campaigns of ``company`` whose period ends
        between ``date_from`` and ``date_to``: what the management review (ISO 9001
        9.3.2 c 1) and a satisfaction indicator read. One grouped query, as superuser.
        Returns a dict: invited, answered, response_rate, nps, csat, promoters,
        passives, detractors (rates and scores None without answers)."""
        [(invited, answered, rate, nps, csat, promoters, passives, detractors)] = (
            self.sudo()._read_group(
                [
                    ("company_id", "=", company.id),
                    ("date", ">=", date_from),
                    ("date", "<=", date_to),
                ],
                [],
                [
                    "invited:sum",
                    "responded:sum",
                    "response_rate:avg",
                    "nps:avg",
                    "csat:avg",
                    "promoter:sum",
                    "passive:sum",
                    "detractor:sum",
                ],
            )
        )
        return {
            "invited": invited or 0,
            "answered": answered or 0,
            "response_rate": rate if invited else None,
            "nps": nps if answered else None,
            "csat": csat if answered else None,
            "promoters": promoters or 0,
            "passives": passives or 0,
            "detractors": detractors or 0,
        }
