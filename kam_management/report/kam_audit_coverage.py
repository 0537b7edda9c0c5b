from odoo import fields, models
from odoo.tools import SQL


class KamAuditCoverage(models.Model):
    """The coverage matrix of the audit programme: one row per standard clause,
    company and year, with the audits held that covered the clause, the audits
    still planned, the findings raised against it and the last date it was
    audited. A clause is covered by an audit whose scope or a checklist line
    names it or one of its parent clauses (auditing chapter 8 covers 8.4).

    The grid holds every clause of the company's certified standards for every
    year in which the company has audits or a programme, so the clauses nobody
    audited show up with zeros ("not audited")."""

    _name = "kam.audit.coverage"
    _description = "Audit coverage per clause and year"
    _auto = False
    _order = "year desc, sort_key"
    _rec_name = "clause_id"

    clause_id = fields.Many2one("kam.standard.clause", readonly=True)
    standard_id = fields.Many2one("kam.standard", readonly=True)
    sort_key = fields.Char(readonly=True)
    level = fields.Integer(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    year = fields.Integer(readonly=True, aggregator=None)
    done_count = fields.Integer(string="Audits held", readonly=True)
    planned_count = fields.Integer(string="Audits planned", readonly=True)
    finding_count = fields.Integer(string="Nonconformities", readonly=True)
    last_audit_date = fields.Date(string="Last audited on", readonly=True, aggregator="max")
    is_covered = fields.Boolean(string="Audited", readonly=True)

    @property
    def _table_query(self):
        return SQL(
            """
            WITH links AS (
                -- (clause named, audit, nonconformities against it)
                SELECT rel.kam_standard_clause_id AS clause_id, rel.kam_audit_id AS audit_id,
                       0 AS findings
                  FROM kam_audit_kam_standard_clause_rel rel
                UNION ALL
                SELECT rel.kam_standard_clause_id, l.audit_id,
                       (l.result IN ('minor', 'major'))::int
                  FROM kam_audit_line_kam_standard_clause_rel rel
                  JOIN kam_audit_line l ON l.id = rel.kam_audit_line_id
            ), named AS (
                -- per audit and clause named: its company, year and state come along
                -- (the audit table itself, not a CTE: its statistics give the planner
                -- the right join sizes)
                SELECT l.clause_id, l.audit_id, a.company_id,
                       extract(year FROM COALESCE(a.date_end, a.date_planned))::int AS year,
                       a.state, COALESCE(a.date_end, a.date_planned) AS day,
                       sum(l.findings) AS findings
                  FROM links l
                  JOIN kam_audit a ON a.id = l.audit_id
                 WHERE a.active AND a.state != 'cancelled'
                 GROUP BY l.clause_id, l.audit_id, a.company_id, a.date_end, a.date_planned,
                          a.state
            ), covers AS (
                -- a clause named covers itself and its sub-clauses (a few hundred pairs)
                SELECT named_clause.id AS named_id, sub.id AS sub_id
                  FROM kam_standard_clause named_clause
                  JOIN kam_standard_clause sub
                    ON sub.parent_path LIKE named_clause.parent_path || '%%'
            ), covered AS (
                -- once per clause and audit, also when it names a clause and its parent
                SELECT c.sub_id AS clause_id, n.audit_id, n.company_id, n.year, n.state,
                       n.day, sum(n.findings) AS findings
                  FROM named n
                  JOIN covers c ON c.named_id = n.clause_id
                 GROUP BY c.sub_id, n.audit_id, n.company_id, n.year, n.state, n.day
            ), per_year AS (
                SELECT clause_id, company_id, year,
                       count(*) FILTER (WHERE state IN %(done)s) AS done_count,
                       count(*) FILTER (WHERE state NOT IN %(done)s) AS planned_count,
                       COALESCE(sum(findings) FILTER (WHERE state IN %(done)s), 0)
                           AS finding_count,
                       max(day) FILTER (WHERE state IN %(done)s) AS last_audit_date
                  FROM covered GROUP BY clause_id, company_id, year
            ), years AS (
                SELECT DISTINCT company_id,
                       extract(year FROM COALESCE(date_end, date_planned))::int AS year
                  FROM kam_audit WHERE active AND state != 'cancelled'
                UNION
                SELECT p.company_id, generate_series(extract(year FROM p.date_start)::int,
                                                     extract(year FROM p.date_end)::int)
                  FROM kam_audit_programme p WHERE p.active
            ), grid AS (
                SELECT c.id AS clause_id, c.standard_id, c.sort_key, c.level,
                       y.company_id, y.year
                  FROM years y
                  JOIN kam_standard_res_company_rel sr ON sr.company_id = y.company_id
                  JOIN kam_standard_clause c ON c.standard_id = sr.standard_id AND c.active
                 WHERE c.company_id IS NULL OR c.company_id = y.company_id
            )
            SELECT (g.clause_id::bigint << 32) | (g.company_id::bigint << 16) | g.year AS id,
                   g.clause_id, g.standard_id, g.sort_key, g.level, g.company_id, g.year,
                   COALESCE(p.done_count, 0) AS done_count,
                   COALESCE(p.planned_count, 0) AS planned_count,
                   COALESCE(p.finding_count, 0) AS finding_count,
                   p.last_audit_date,
                   COALESCE(p.done_count, 0) > 0 AS is_covered
              FROM grid g
              LEFT JOIN per_year p
                ON p.clause_id = g.clause_id AND p.company_id = g.company_id
               AND p.year = g.year
            """,
            done=("reported", "findings_closed", "closed"),
            to_flush=self._coverage_fields(),
        )

    def _coverage_fields(self):
        """The stored fields the view reads: flushed before it is queried."""
        env = self.env
        names = {
            "kam.audit": (
                "active",
                "state",
                "date_end",
                "date_planned",
                "company_id",
                "clause_ids",
            ),
            "kam.audit.line": ("audit_id", "result", "clause_ids"),
            "kam.audit.programme": ("active", "company_id", "date_start", "date_end"),
            "kam.standard.clause": (
                "parent_path",
                "active",
                "standard_id",
                "sort_key",
                "level",
                "company_id",
            ),
            "res.company": ("kam_standard_ids",),
        }
        return [env[model]._fields[name] for model, fields_ in names.items() for name in fields_]
