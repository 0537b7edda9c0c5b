from odoo import api, fields, models


class KamClauseLinkMixin(models.AbstractModel):
    """Records that point at standard clauses: the evidence an auditor asks
    for per clause ("show me 10.2"). A model opts in by inheriting this mixin;
    it gets ``clause_ids`` in its own relation table
    (``<table>_kam_standard_clause_rel``, Odoo's default name for the pair) and
    is picked up by ``kam.clause.evidence`` without any list to edit.

    The evidence list shows the date and company of each record: an adopter
    names its fields in ``_clause_evidence_date_field`` and
    ``_clause_evidence_company_field`` (stored fields; the date field may be a
    date or a datetime).

    The compliance monitor (``kam.compliance.monitor``) shows each adopter as an
    evidence type (a column of the heat map) and asks two more things of it:
    ``_clause_evidence_problem_domain()``, the records that need attention
    (overdue, an open major finding, a document past its review date...), and
    ``_clause_evidence_expected_months(company)``, whether every clause should
    have a record of this type within that many months (the audit cycle: a
    clause never audited in it is missing). ``_clause_evidence_domain()``
    narrows which records count at all (audits held, not planned);
    ``_clause_evidence_covers_subclauses`` makes a record of a clause count for
    its sub-clauses too."""

    _name = "kam.clause.link.mixin"
    _description = "KAM record linked to standard clauses"

    _clause_evidence_date_field = "create_date"
    _clause_evidence_company_field = "company_id"
    # the compliance monitor: a record linked to a clause also counts for the
    # clause's sub-clauses (an audit of chapter 8 covers 8.4)
    _clause_evidence_covers_subclauses = False

    clause_ids = fields.Many2many("kam.standard.clause", string="Standard clauses")

    @api.model
    def _clause_evidence_label(self):
        """The name of this evidence type in the compliance monitor."""
        return self.env["ir.model"]._get(self._name).name or self._description

    @api.model
    def _clause_evidence_domain(self):
        """The records that count as evidence in the compliance monitor (all by default)."""
        return []

    @api.model
    def _clause_evidence_problem_domain(self):
        """The records that need attention (a domain), or None: none ever do."""
        return None

    @api.model
    def _clause_evidence_expected_months(self, company):
        """Every clause should have a record of this type dated within this many
        months (0: records of this type are welcome, not expected)."""
        return 0
