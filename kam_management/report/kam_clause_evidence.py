from odoo import api, fields, models
from odoo.tools import SQL

from ..tools.actions import open_record_action
from ..tools.registry import models_inheriting

MIXIN = "kam.clause.link.mixin"
# the row id packs (clause, adopter, record id): the record id takes 31 bits
# (every Odoo id fits), the adopter a few bits, the clause the rest; ids stay
# exact for the web client (2^53) up to 2^18 clauses with 16 adopters
RECORD_BITS = 31


class KamClauseEvidence(models.Model):
    """Evidence per standard clause: one row per link between a clause and a
    record of a model that inherits ``kam.clause.link.mixin`` (cases now;
    audits, documents, requirements, objectives later).

    The SQL is built from the registry: a ``UNION ALL`` over the relation
    tables of every adopter, so a new adopter needs no change here, and one
    ``_read_group`` counts the evidence per clause and model."""

    _name = "kam.clause.evidence"
    _description = "KAM evidence per standard clause"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "record_ref"

    clause_id = fields.Many2one("kam.standard.clause", readonly=True)
    standard_id = fields.Many2one("kam.standard", readonly=True)
    res_model = fields.Selection(
        selection="_selection_res_model", string="Record type", readonly=True
    )
    res_id = fields.Many2oneReference(string="Record ID", model_field="res_model", readonly=True)
    record_ref = fields.Reference(selection="_selection_res_model", string="Record", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    date = fields.Date(readonly=True)

    @api.model
    def _clause_link_models(self):
        """The models that record clause links: every stored model that
        inherits the mixin, found in the registry (sorted by name)."""
        registry = self.env.registry
        return [
            self.env[name]
            for name in models_inheriting(self.env, MIXIN)
            if registry[name]._auto and not registry[name]._table_query
        ]

    @api.model
    def _selection_res_model(self):
        names = [model._name for model in self._clause_link_models()]
        ir_models = self.env["ir.model"].sudo().search([("model", "in", names)])
        labels = {ir_model.model: ir_model.name for ir_model in ir_models}
        return [(name, labels.get(name, name)) for name in names]

    @api.model
    def _clause_link_query(self, model, index, model_bits):
        """The rows of one adopter: its relation table joined to its records."""
        field = model._fields["clause_ids"]
        date_name = model._clause_evidence_date_field
        company_name = model._clause_evidence_company_field
        to_flush = [field, self.env["kam.standard.clause"]._fields["standard_id"]]
        date = SQL("NULL::date")
        if date_name:
            date = SQL("%s::date", SQL.identifier("rec", date_name))
            to_flush.append(model._fields[date_name])
        company = SQL("NULL::integer")
        if company_name:
            company = SQL.identifier("rec", company_name)
            to_flush.append(model._fields[company_name])
        where = SQL("TRUE")
        if model._active_name:
            where = SQL.identifier("rec", model._active_name)
            to_flush.append(model._fields[model._active_name])
        clause = SQL.identifier("rel", field.column2)
        return SQL(
            """
            SELECT (%(clause)s::bigint << %(clause_shift)s)
                   | (%(index)s::bigint << %(record_bits)s) | rec.id AS id,
                   %(clause)s AS clause_id,
                   clause.standard_id AS standard_id,
                   %(model)s::varchar AS res_model,
                   rec.id AS res_id,
                   %(model)s || ',' || rec.id AS record_ref,
                   %(company)s AS company_id,
                   %(date)s AS date
              FROM %(relation)s rel
              JOIN %(table)s rec ON rec.id = %(record)s
              JOIN kam_standard_clause clause ON clause.id = %(clause)s
             WHERE %(where)s
            """,
            clause=clause,
            clause_shift=RECORD_BITS + model_bits,
            index=index,
            record_bits=RECORD_BITS,
            model=model._name,
            company=company,
            date=date,
            relation=SQL.identifier(field.relation),
            table=SQL.identifier(model._table),
            record=SQL.identifier("rel", field.column1),
            where=where,
            to_flush=to_flush,
        )

    @property
    def _table_query(self):
        models_ = self._clause_link_models()
        if not models_:
            return SQL(
                "SELECT NULL::bigint AS id, NULL::integer AS clause_id, "
                "NULL::integer AS standard_id, NULL::varchar AS res_model, "
                "NULL::integer AS res_id, NULL::varchar AS record_ref, "
                "NULL::integer AS company_id, NULL::date AS date WHERE FALSE"
            )
        model_bits = max(1, (len(models_) - 1).bit_length())
        return SQL(" UNION ALL ").join(
            self._clause_link_query(model, index, model_bits) for index, model in enumerate(models_)
        )

    @api.readonly
    def action_open_record(self):
        """Open the record this evidence row points at (with the user's own rights)."""
        self.ensure_one()
        return open_record_action(self.res_model, self.res_id)
