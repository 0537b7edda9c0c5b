from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tools import xlsx
from .kam_audit_checklist import LINE_KINDS

RESULTS = [
    ("conform", "Conform"),
    ("minor", "Minor nonconformity"),
    ("major", "Major nonconformity"),
    ("observation", "Observation"),
    ("opportunity", "Opportunity for improvement"),
    ("not_applicable", "Not applicable"),
]
# results that are findings, and the type of case each becomes
FINDING_CASE_TYPES = {
    "minor": "nonconformity",
    "major": "nonconformity",
    "observation": "improvement",
    "opportunity": "improvement",
}
NONCONFORMITIES = ("minor", "major")


class KamAuditLine(models.Model):
    """A question of an audit's checklist (or a section heading), with the
    auditor's result, the evidence seen, photos and documents, and the finding
    (a ``kam.case``) made from it. Its standard clauses make it evidence per
    clause: which clauses were audited, when and with what result."""

    _name = "kam.audit.line"
    _description = "Audit checklist line"
    _inherit = ["kam.clause.link.mixin", "kam.register.mixin"]
    _order = "audit_id, sequence, id"
    _clause_evidence_date_field = "date"
    # in the compliance monitor a clause audited covers its sub-clauses (8 covers 8.4)
    _clause_evidence_covers_subclauses = True

    audit_id = fields.Many2one("kam.audit", required=True, index=True, ondelete="cascade")
    company_id = fields.Many2one(related="audit_id.company_id", store=True, index=True)
    date = fields.Date(related="audit_id.date_planned", store=True, string="Audit date")
    audit_state = fields.Selection(related="audit_id.state", string="Audit status")
    sequence = fields.Integer(default=10)
    display_type = fields.Selection(LINE_KINDS, string="Kind", required=True, default="question")
    name = fields.Text(string="Question", required=True)
    guidance = fields.Text()
    result = fields.Selection(RESULTS, index="btree_not_null")
    evidence = fields.Text(
        help="What the auditor saw, heard or read: records, interviews, observations."
    )
    attachment_ids = fields.Many2many(
        "ir.attachment",
        "kam_audit_line_attachment_rel",
        "line_id",
        "attachment_id",
        string="Photos and documents",
    )
    case_ids = fields.One2many("kam.case", "audit_line_id", string="Finding")
    case_id = fields.Many2one(
        "kam.case", string="Finding case", compute="_compute_case_id", compute_sudo=True
    )
    is_finding = fields.Boolean(string="Is a finding", compute="_compute_is_finding")

    _section_without_result = models.Constraint(
        "CHECK(display_type = 'question' OR result IS NULL)",
        "A section heading has no result.",
    )

    @api.depends("case_ids")
    def _compute_case_id(self):
        for line in self:
            line.case_id = line.case_ids[:1]

    @api.depends("result")
    def _compute_is_finding(self):
        for line in self:
            line.is_finding = line._kam_is_finding()

    def _kam_is_finding(self):
        return self.display_type == "question" and self.result in FINDING_CASE_TYPES

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        audit_ids = {vals["audit_id"] for vals in vals_list if vals.get("audit_id")}
        self.env["kam.audit"].browse(audit_ids)._kam_check_checklist_open()
        return super().create(vals_list)

    def write(self, vals):
        self.audit_id._kam_check_checklist_open()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_answered(self):
        self.audit_id._kam_check_checklist_open()
        if self.filtered(lambda line: line.case_ids):
            raise UserError(self.env._("A checklist line with a finding cannot be deleted."))

    # ------------------------------------------------------------------ findings
    def _kam_finding_values(self):
        """The values of the case made from this line."""
        self.ensure_one()
        audit = self.audit_id
        severity = "major" if self.result == "major" else "minor"
        deadline = audit._kam_finding_deadline(self.result)
        title = " ".join((self.name or "").split())
        if len(title) > 120:
            title = title[:117] + "..."
        result = dict(self._fields["result"]._description_selection(self.env))[self.result]
        description = Markup("<p>%s</p>") % self.env._(
            "%(result)s found in audit %(audit)s.", result=result, audit=audit.name
        )
        if self.evidence:
            description += Markup("<p>%s</p>") % self.evidence
        return {
            "case_type": FINDING_CASE_TYPES[self.result],
            "title": title,
            "description": description,
            "source": "audit",
            "severity": severity,
            "audit_id": audit.id,
            "audit_line_id": self.id,
            "company_id": audit.company_id.id,
            "date_found": audit.date_end or audit.date_start or audit.date_planned,
            "deadline": deadline,
            "user_id": audit.user_id.id,
            "department_id": audit.department_ids[:1].id,
            "partner_id": audit.partner_id.id if audit.audit_type == "supplier" else False,
            "clause_ids": [fields.Command.set(self.clause_ids.ids)],
        }

    def action_create_finding(self):
        """Register the findings of these lines as cases in one step (one create)."""
        lines = self.filtered(lambda line: line._kam_is_finding() and not line.case_ids)
        if not lines:
            raise UserError(
                self.env._(
                    "Only a question with a nonconformity, an observation or an opportunity for "
                    "improvement, and without a finding yet, becomes a finding."
                )
            )
        for audit in lines.audit_id:
            if audit.state not in ("in_progress", "reported", "findings_closed"):
                raise UserError(
                    self.env._(
                        "Findings are registered while the audit is held or reported "
                        "(audit %(audit)s).",
                        audit=audit.name,
                    )
                )
        cases = self.env["kam.case"].create([line._kam_finding_values() for line in lines])
        if len(self) == 1:
            return {
                "type": "ir.actions.act_window",
                "res_model": "kam.case",
                "res_id": cases.id,
                "view_mode": "form",
                "views": [(False, "form")],
            }
        return True

    def action_open_finding(self):
        self.check_access("read")
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.case",
            "res_id": self.case_id.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_findings_register_columns(self):
        return [
            xlsx.many2one("audit_id", self.env._("Audit"), width=16),
            xlsx.char("audit_id.title", self.env._("Audit title"), width=30),
            xlsx.date("date"),
            xlsx.char("name", width=50),
            xlsx.many2many("clause_ids", sudo=True),
            xlsx.selection("result", width=24),
            xlsx.char("evidence", width=50),
            xlsx.many2one("case_id", self.env._("Finding"), width=18),
            xlsx.many2one("case_id.stage_id", self.env._("Finding status"), width=16),
            xlsx.date("case_id.deadline", self.env._("Deadline")),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "audit_findings",
                self.env._("Audit findings"),
                columns=self._kam_findings_register_columns,
                domain=[("result", "in", list(FINDING_CASE_TYPES))],
                order="date desc, audit_id, sequence, id",
            ),
        ]

    # ---- compliance monitor (kam.clause.link.mixin)
    @api.model
    def _clause_evidence_label(self):
        return self.env._("Audit checklists")

    @api.model
    def _clause_evidence_domain(self):
        """The lines audited (with a result)."""
        return [("result", "not in", (False, "not_applicable"))]

    @api.model
    def _clause_evidence_problem_domain(self):
        """A major nonconformity needs attention until its finding is closed."""
        return [
            ("result", "=", "major"),
            "|",
            ("case_ids", "=", False),
            ("case_ids.is_closed", "=", False),
        ]
