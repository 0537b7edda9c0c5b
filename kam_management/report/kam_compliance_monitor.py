from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import AccessError
from odoo.fields import Domain
from odoo.tools import SQL

from ..tools.registry import models_inheriting

OFFICER = "kam_management.group_kam_officer"
MIXIN = "kam.clause.link.mixin"
# cell states, worst last
STATES = ("none", "ok", "overdue", "missing")


class KamComplianceMonitor(models.AbstractModel):
    """The clause compliance monitor: per clause of a standard and per evidence
    type (each model that inherits ``kam.clause.link.mixin``: cases, hazards,
    and audits, documents, requirements, objectives where installed) the
    records the system holds, their latest date, and what is missing or needs
    attention, as a heat map.

    A cell counts the records linked to the clause or one of its sub-clauses
    that the user may read (record rules apply). It is

    - *missing* when the evidence type is expected for every clause within N
      months (``_clause_evidence_expected_months``: the audit cycle) and the
      latest record is older or there is none;
    - *overdue* when some of its records need attention
      (``_clause_evidence_problem_domain``: overdue, an open major finding, a
      review date passed);
    - *ok* when it holds records, *none* when it holds none and none are expected.

    One query per evidence type, whatever the number of records or clauses."""

    _name = "kam.compliance.monitor"
    _description = "KAM clause compliance monitor"

    @api.model
    def _check_officer(self):
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only KAM officers can open the compliance monitor."))

    @api.model
    def _evidence_models(self):
        registry = self.env.registry
        return [
            self.env[name]
            for name in models_inheriting(self.env, MIXIN)
            if registry[name]._auto and not registry[name]._table_query
        ]

    @api.model
    def _standards(self):
        """The standards to choose from: the new editions the company is moving to
        first (its records are re-linked to them), then its certified standards,
        then the others."""
        standards = self.env["kam.standard"].search([])
        moving_to = (
            self.env["kam.standard.transition"]
            .search([("company_id", "=", self.env.company.id), ("state", "=", "in_progress")])
            .new_standard_id
        )
        first = moving_to + (self.env.company.kam_standard_ids - moving_to)
        return first + (standards - first)

    @api.model
    def _cell_counts(self, model, standard):
        """{clause id: (records, latest date, records needing attention)} of the
        records of ``model`` linked to each clause of ``standard`` or one of its
        sub-clauses."""
        field = model._fields["clause_ids"]
        date_name = model._clause_evidence_date_field
        visible = model._search(Domain(model._clause_evidence_domain()))
        # a record counts for the clause it names and the clause's ancestors; for an
        # adopter whose records cover sub-clauses (audits) for its descendants too
        downward = SQL("FALSE")
        if model._clause_evidence_covers_subclauses:
            downward = SQL("anc.parent_path LIKE c.parent_path || '%%'")
        problem_domain = model._clause_evidence_problem_domain()
        problems = SQL("SELECT NULL::integer AS id WHERE FALSE")
        if problem_domain is not None:
            problems = model._search(Domain(problem_domain)).subselect()
        date = SQL("NULL::date")
        if date_name:
            date = SQL("max(%s)::date", SQL.identifier("rec", date_name))
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                WITH pairs AS (
                    SELECT c.id AS clause_id, anc.id AS anc_id
                      FROM kam_standard_clause c
                      JOIN kam_standard_clause anc
                        ON anc.standard_id = c.standard_id
                       AND (c.parent_path LIKE anc.parent_path || '%%' OR %(downward)s)
                     WHERE c.standard_id = %(standard)s
                )
                SELECT p.anc_id, count(DISTINCT rel.%(record)s), %(date)s,
                       count(DISTINCT prob.id)
                  FROM %(relation)s rel
                  JOIN pairs p ON p.clause_id = rel.%(clause)s
                  JOIN %(table)s rec ON rec.id = rel.%(record)s
                  LEFT JOIN (%(problems)s) prob ON prob.id = rec.id
                 WHERE rel.%(record)s IN (%(visible)s)
                 GROUP BY p.anc_id
                """,
                standard=standard.id,
                downward=downward,
                record=SQL.identifier(field.column1),
                clause=SQL.identifier(field.column2),
                relation=SQL.identifier(field.relation),
                table=SQL.identifier(model._table),
                date=date,
                problems=problems,
                visible=visible.subselect(),
            )
        )
        return {
            clause_id: (count, latest, late)
            for clause_id, count, latest, late in self.env.cr.fetchall()
        }

    @api.model
    @api.readonly
    def get_monitor_data(self, standard_id=None):
        """The heat map of one standard: its clauses (rows), the evidence types
        (columns) and a cell per pair with its count, latest date and state."""
        self._check_officer()
        standards = self._standards()
        standard = standards.filtered(lambda s: s.id == standard_id)[:1] if standard_id else None
        standard = standard or standards[:1]
        today = fields.Date.context_today(self)
        company = self.env.company
        clauses = self.env["kam.standard.clause"].search(
            [("standard_id", "=", standard.id)], order="sort_key"
        )
        columns, counts = [], {}
        for model in self._evidence_models():
            months = model._clause_evidence_expected_months(company)
            columns.append(
                {
                    "model": model._name,
                    "label": model._clause_evidence_label(),
                    "expected_months": months,
                    "has_problems": model._clause_evidence_problem_domain() is not None,
                }
            )
            counts[model._name] = self._cell_counts(model, standard) if standard else {}
        rows = []
        totals = dict.fromkeys(STATES, 0)
        for clause in clauses:
            cells, worst = {}, "none"
            for column in columns:
                count, latest, late = counts[column["model"]].get(clause.id, (0, None, 0))
                months = column["expected_months"]
                if months and (not latest or latest < today - relativedelta(months=months)):
                    state = "missing"
                elif late:
                    state = "overdue"
                elif count:
                    state = "ok"
                else:
                    state = "none"
                worst = max(worst, state, key=STATES.index)
                cells[column["model"]] = {
                    "count": count,
                    "late": late,
                    "date": fields.Date.to_string(latest) if latest else False,
                    "state": state,
                }
            totals[worst] += 1
            rows.append(
                {
                    "id": clause.id,
                    "number": clause.number,
                    "name": clause.name,
                    "level": clause.level,
                    "state": worst,
                    "cells": cells,
                }
            )
        return {
            "standards": [{"id": s.id, "name": s.display_name} for s in standards],
            "standard_id": standard.id if standard else False,
            "columns": columns,
            "rows": rows,
            "totals": totals,
            "today": fields.Date.to_string(today),
        }

    @api.model
    @api.readonly
    def action_open_cell(self, clause_id, res_model, problems=False):
        """The records behind one cell (or only those needing attention)."""
        self._check_officer()
        if res_model not in models_inheriting(self.env, MIXIN):
            raise AccessError(self.env._("This is not a type of evidence."))
        clause = self.env["kam.standard.clause"].browse(clause_id).exists()
        model = self.env[res_model]
        domain = Domain("clause_ids", "child_of", clause.ids)
        if model._clause_evidence_covers_subclauses:
            domain |= Domain("clause_ids", "parent_of", clause.ids)
        domain &= Domain(model._clause_evidence_domain())
        if problems and model._clause_evidence_problem_domain() is not None:
            domain &= Domain(model._clause_evidence_problem_domain())
        return {
            "type": "ir.actions.act_window",
            "name": self.env._(
                "%(type)s for %(clause)s",
                type=model._clause_evidence_label(),
                clause=clause.display_name,
            ),
            "res_model": res_model,
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": list(domain),
            "context": {"create": False},
        }
