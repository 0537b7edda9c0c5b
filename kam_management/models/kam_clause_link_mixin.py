from odoo import fields, models


class KamClauseLinkMixin(models.AbstractModel):
    """Records that point at standard clauses: the evidence an auditor asks
    for per clause ("show me 10.2"). A model opts in by inheriting this mixin;
    it gets ``clause_ids`` in its own relation table
    (``<table>_kam_standard_clause_rel``, Odoo's default name for the pair) and
    is picked up by ``kam.clause.evidence`` without any list to edit.

    The evidence list shows the date and company of each record: an adopter
    names its fields in ``_clause_evidence_date_field`` and
    ``_clause_evidence_company_field`` (stored fields; the date field may be a
    date or a datetime)."""

    _name = "kam.clause.link.mixin"
    _description = "KAM record linked to standard clauses"

    _clause_evidence_date_field = "create_date"
    _clause_evidence_company_field = "company_id"

    clause_ids = fields.Many2many("kam.standard.clause", string="Standard clauses")
