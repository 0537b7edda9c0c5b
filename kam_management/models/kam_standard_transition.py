from collections import defaultdict

from dateutil.relativedelta import relativedelta

from odoo import Command, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import SQL

from ..tools.registry import models_inheriting
from .kam_clause_crosswalk import GAP_KINDS

OFFICER = "kam_management.group_kam_officer"
TRANSITION_STATES = [("in_progress", "In progress"), ("done", "Done")]
WRITE_CHUNK = 1000


class KamStandardTransition(models.Model):
    """The move of a company's management system from one edition of a
    standard to the next (ISO 9001:2015 -> ISO 9001:2026).

    *Run* re-links the company's records (of every model that inherits
    ``kam.clause.link.mixin``: cases, hazards, and audits, documents,
    requirements... where they are installed) from the old edition's clauses to
    their counterparts in the crosswalk; closed records keep their links (they
    were judged against the old edition) and are reported, as are records whose
    clause has no counterpart. Each new or changed clause of the new edition,
    and each old clause without a counterpart that records point at, is a gap
    with an owner; *Run* gives every gap one action. Running again re-links what
    was linked to the old edition since, and creates nothing twice."""

    _name = "kam.standard.transition"
    _description = "KAM transition to a new edition"
    _inherit = [
        "kam.workflow.mixin",
        "kam.action.source",
        "kam.system.text.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _kam_action_field = "transition_id"
    _kam_state_field = "state"
    _kam_transitions = {("in_progress", "done"): OFFICER, ("done", "in_progress"): OFFICER}
    _kam_derived_fields = ("date_done", "last_run_date")
    _kam_lock_expression = "state == 'done'"

    name = fields.Char(compute="_compute_name", store=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    old_standard_id = fields.Many2one(
        "kam.standard", string="From edition", required=True, ondelete="restrict"
    )
    new_standard_id = fields.Many2one(
        "kam.standard",
        string="To edition",
        required=True,
        ondelete="restrict",
        domain="[('previous_id', '=', old_standard_id)]",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Responsible",
        required=True,
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
        help="Leads the transition; owns the gap actions nobody else is named for.",
    )
    state = fields.Selection(TRANSITION_STATES, default="in_progress", required=True, tracking=True)
    last_run_date = fields.Datetime(string="Last run", readonly=True, copy=False)
    date_done = fields.Date(string="Completed on", readonly=True, copy=False)
    transition_end_date = fields.Date(
        related="new_standard_id.transition_end_date", string="Transition of the standard ends"
    )
    certificate_deadline = fields.Date(
        string="Certificate transition deadline",
        compute="_compute_certificate_deadline",
        help="The transition deadline of the company's certificate to the old edition (set on "
        "the certificate), when the certificates are kept in KAM.",
    )
    certificate_name = fields.Char(string="Certificate", compute="_compute_certificate_deadline")
    deadline = fields.Date(
        compute="_compute_certificate_deadline",
        help="The certificate's transition deadline, else the end of the standard's transition.",
    )
    line_ids = fields.One2many(
        "kam.standard.transition.line", "transition_id", string="Records", readonly=True
    )
    gap_ids = fields.One2many("kam.standard.transition.gap", "transition_id", string="Gaps")
    relinked_count = fields.Integer(string="Re-linked", compute="_compute_counts")
    kept_count = fields.Integer(string="Kept (closed)", compute="_compute_counts")
    orphan_count = fields.Integer(string="Without counterpart", compute="_compute_counts")
    gap_count = fields.Integer(string="Number of gaps", compute="_compute_counts")
    open_gap_count = fields.Integer(string="Open gaps", compute="_compute_counts")

    _edition_check = models.Constraint(
        "CHECK(old_standard_id != new_standard_id)", "A transition leads to another edition."
    )

    def _kam_creation_note(self):
        return self.env._("Transition to the new edition created")

    @api.depends("old_standard_id", "new_standard_id")
    def _compute_name(self):
        for transition in self:
            transition.name = (
                f"{transition.old_standard_id.display_name} → "
                f"{transition.new_standard_id.display_name}"
            )

    @api.depends("company_id", "old_standard_id", "transition_end_date")
    def _compute_certificate_deadline(self):
        # the certificates are a register of their own (kam.certificate); without
        # it the standard's own transition end is the deadline
        Certificate = self.env["kam.certificate"] if "kam.certificate" in self.env else None
        for transition in self:
            certificate = None
            if Certificate is not None and "transition_deadline" in Certificate._fields:
                certificate = Certificate.sudo().search(
                    [
                        ("company_id", "=", transition.company_id.id),
                        ("standard_id", "=", transition.old_standard_id.id),
                        ("transition_deadline", "!=", False),
                    ],
                    order="transition_deadline",
                    limit=1,
                )
            transition.certificate_deadline = (
                certificate.transition_deadline if certificate else False
            )
            transition.certificate_name = certificate.display_name if certificate else False
            transition.deadline = (
                transition.certificate_deadline or transition.transition_end_date or False
            )

    @api.depends("line_ids.count", "line_ids.result", "gap_ids.action_id.state")
    def _compute_counts(self):
        for transition in self:
            totals = defaultdict(int)
            for line in transition.line_ids:
                totals[line.result] += line.count
            transition.relinked_count = totals["relinked"]
            transition.kept_count = totals["kept"]
            transition.orphan_count = totals["no_counterpart"]
            transition.gap_count = len(transition.gap_ids)
            transition.open_gap_count = len(
                transition.gap_ids.filtered(
                    lambda g: not g.action_id or g.action_id.state == "open"
                )
            )

    # ------------------------------------------------------------------ workflow
    def _kam_is_locked(self):
        return self.filtered(lambda t: t.state == "done")

    def _kam_unlocks(self, vals):
        return set(vals) <= {"state", "date_done"} and vals.get("state") == "in_progress"

    def _kam_state_values(self, new):
        if new == "done":
            return {"date_done": fields.Date.context_today(self)}
        return {"date_done": False}

    def _check_officer(self):
        if not self.env.su and not self.env.user.has_group(OFFICER):
            raise AccessError(
                self.env._("Only KAM officers can run a transition to a new edition.")
            )

    # ------------------------------------------------------------------ the run
    def action_run(self):
        """Re-link, report and create the gap actions (idempotent)."""
        self._check_officer()
        for transition in self:
            if transition.state != "in_progress":
                raise UserError(
                    self.env._(
                        "Transition %(transition)s is completed; reopen it to run it again.",
                        transition=transition.name,
                    )
                )
            transition._kam_relink()
            transition._kam_update_gaps()
            transition._kam_create_gap_actions()
            transition._kam_workflow_write().write({"last_run_date": fields.Datetime.now()})
        return True

    @api.model
    def _kam_link_models(self):
        """Every stored model whose records link clauses (the clause-links mixin)."""
        registry = self.env.registry
        return [
            self.env[name]
            for name in models_inheriting(self.env, "kam.clause.link.mixin")
            if registry[name]._auto and not registry[name]._table_query
        ]

    def _kam_linked_pairs(self, model, clause_ids):
        """[(record id, old clause id)] of the company's records of ``model`` that
        link one of ``clause_ids`` (archived records too: they are history)."""
        field = model._fields["clause_ids"]
        company_field = model._clause_evidence_company_field
        domain = []
        if company_field and company_field in model._fields:
            domain = [(company_field, "in", [self.company_id.id, False])]
        records = model.sudo().with_context(active_test=False)._search(domain)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "SELECT %(record)s, %(clause)s FROM %(relation)s WHERE %(clause)s = ANY(%(ids)s) "
                "AND %(record)s IN %(records)s",
                record=SQL.identifier(field.column1),
                clause=SQL.identifier(field.column2),
                relation=SQL.identifier(field.relation),
                ids=list(clause_ids),
                records=records.subselect(),
            )
        )
        return self.env.cr.fetchall()

    def _kam_relink(self):
        """Move the links of the company's records from old clauses to their
        counterparts; report every record as re-linked, kept or without counterpart."""
        self.ensure_one()
        mapping = self.env["kam.clause.crosswalk"]._mapping(
            self.old_standard_id, self.new_standard_id
        )
        results = defaultdict(set)  # (model, old clause id, result) -> record ids
        workflow_models = set(models_inheriting(self.env, "kam.workflow.mixin"))
        for model in self._kam_link_models():
            pairs = self._kam_linked_pairs(model, mapping)
            if not pairs:
                continue
            record_ids = {record_id for record_id, _clause in pairs}
            locked = set()
            if model._name in workflow_models:
                for start in range(0, len(record_ids), WRITE_CHUNK):
                    chunk = model.sudo().browse(sorted(record_ids)[start : start + WRITE_CHUNK])
                    locked |= set(chunk._kam_is_locked().ids)
                    chunk.invalidate_recordset()
            inactive = set()
            if model._active_name:
                inactive = set(
                    model.sudo()
                    .with_context(active_test=False)
                    .search([("id", "in", list(record_ids)), (model._active_name, "=", False)])
                    .ids
                )
            by_clause = defaultdict(list)
            for record_id, clause_id in pairs:
                targets = mapping.get(clause_id) or []
                if not targets:
                    results[model._name, clause_id, "no_counterpart"].add(record_id)
                elif record_id in locked or record_id in inactive:
                    results[model._name, clause_id, "kept"].add(record_id)
                else:
                    by_clause[clause_id].append(record_id)
                    results[model._name, clause_id, "relinked"].add(record_id)
            Writer = model.sudo().with_context(
                tracking_disable=True, mail_notrack=True, active_test=False
            )
            for clause_id, ids in by_clause.items():
                commands = [Command.link(target) for target in mapping[clause_id]]
                commands.append(Command.unlink(clause_id))
                for start in range(0, len(ids), WRITE_CHUNK):
                    Writer.browse(ids[start : start + WRITE_CHUNK]).write({"clause_ids": commands})
        self._kam_store_results(results)

    def _kam_store_results(self, results):
        """Add ``results`` to the report lines: one line per model, old clause and
        result, its record ids accumulated over the runs."""
        Line = self.env["kam.standard.transition.line"].sudo()
        existing = {
            (line.res_model, line.old_clause_id.id, line.result): line
            for line in self.sudo().line_ids
        }
        new_lines = []
        for (model_name, clause_id, result), ids in results.items():
            line = existing.get((model_name, clause_id, result))
            if line:
                merged = sorted(set(line.res_ids or []) | ids)
                if len(merged) != len(line.res_ids or []):
                    line.write({"res_ids": merged})
            else:
                new_lines.append(
                    {
                        "transition_id": self.id,
                        "res_model": model_name,
                        "old_clause_id": clause_id,
                        "result": result,
                        "res_ids": sorted(ids),
                    }
                )
        if new_lines:
            Line.create(new_lines)

    def _kam_update_gaps(self):
        """One gap per new-edition clause that is new or changed, and per old
        clause without counterpart that records point at (never twice)."""
        self.ensure_one()
        Gap = self.env["kam.standard.transition.gap"].sudo()
        crosswalk = self.env["kam.clause.crosswalk"].search(
            [
                ("old_standard_id", "=", self.old_standard_id.id),
                ("new_standard_id", "=", self.new_standard_id.id),
                ("kind", "in", GAP_KINDS),
            ]
        )
        have = {gap.clause_id.id for gap in self.gap_ids}
        vals_list = []
        for line in crosswalk:
            clause = line.new_clause_id
            if clause.id in have:
                continue
            have.add(clause.id)
            vals_list.append(
                {
                    "transition_id": self.id,
                    "clause_id": clause.id,
                    "kind": line.kind,
                    "crosswalk_id": line.id,
                    "user_id": self.user_id.id,
                }
            )
        for line in self.line_ids.filtered(lambda line: line.result == "no_counterpart"):
            clause = line.old_clause_id
            if clause.id in have:
                continue
            have.add(clause.id)
            vals_list.append(
                {
                    "transition_id": self.id,
                    "clause_id": clause.id,
                    "kind": "removed",
                    "user_id": self.user_id.id,
                }
            )
        if vals_list:
            Gap.create(vals_list)

    def _kam_create_gap_actions(self):
        """One action per gap that has none yet, owned by the gap's owner."""
        self.ensure_one()
        gaps = self.gap_ids.filtered(lambda g: not g.action_id)
        if not gaps:
            return self.env["kam.action"]
        today = fields.Date.context_today(self)
        deadline = self.deadline if self.deadline and self.deadline > today else None
        deadline = deadline or today + relativedelta(months=6)
        lang_env = self.with_context(lang=self.company_id.partner_id.lang or self.env.lang).env
        vals_list = [gap._kam_action_values(lang_env, deadline) for gap in gaps]
        actions = (
            self.env["kam.action"]
            .sudo()
            .with_context(mail_notify_force_send=False, mail_create_nosubscribe=True)
            .create(vals_list)
        )
        for gap, action in zip(gaps, actions, strict=True):
            gap.action_id = action
        return actions

    def action_done(self):
        self._check_officer()
        for transition in self.filtered(lambda t: t.state == "in_progress"):
            transition.write({"state": "done"})
            # the company now works by the new edition
            company = transition.company_id.sudo()
            if transition.old_standard_id in company.kam_standard_ids:
                company.kam_standard_ids = [
                    Command.unlink(transition.old_standard_id.id),
                    Command.link(transition.new_standard_id.id),
                ]
        return True

    def action_reopen(self):
        self._check_officer()
        self.filtered(lambda t: t.state == "done").write({"state": "in_progress"})
        return True

    def action_view_gap_actions(self):
        return self.action_view_actions()


class KamAction(models.Model):
    """An action whose source is a transition to a new edition (a gap to close)."""

    # the action-source extension point: each source declares its many2one in its own file
    _inherit = "kam.action"  # pylint: disable=consider-merging-classes-inherited

    transition_id = fields.Many2one(
        "kam.standard.transition",
        index="btree_not_null",
        ondelete="cascade",
        check_company=True,
    )
