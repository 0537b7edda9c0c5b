from odoo import api, fields, models
from odoo.exceptions import ValidationError

ITEM_KINDS = [
    ("attachment", "Document"),
    ("register", "Register (Excel)"),
    ("audit_report", "Audit report (PDF)"),
    ("case_statistics", "Case figures"),
]


class KamAuditEvidenceItem(models.Model):
    """One thing an evidence room shows: a document (procedure, review minutes,
    a file), a register as Excel, the report of an (internal) audit, or the case
    figures of the last twelve months."""

    _name = "kam.audit.evidence.item"
    _description = "Evidence room item"
    _order = "room_id, sequence, id"

    room_id = fields.Many2one(
        "kam.audit.evidence.room", required=True, index=True, ondelete="cascade"
    )
    company_id = fields.Many2one(related="room_id.company_id", store=True)
    sequence = fields.Integer(default=10)
    kind = fields.Selection(ITEM_KINDS, required=True, default="attachment")
    name = fields.Char(
        string="Title",
        help="Optional: empty shows the file name, the register's title, the audit or the "
        "figures, in the reader's language.",
    )
    attachment = fields.Binary(string="File", attachment=True)
    attachment_name = fields.Char(string="File name")
    register = fields.Selection(selection="_selection_register")
    report_audit_id = fields.Many2one(
        "kam.audit",
        string="Audit report",
        domain="[('company_id', '=', company_id), ('state', 'in', ('reported', "
        "'findings_closed', 'closed'))]",
    )

    @api.model
    def _selection_register(self):
        index = self.env["kam.register.mixin"]._kam_register_index()
        return sorted(
            ((name, register.title) for name, (_model, register) in index.items()),
            key=lambda item: item[1],
        )

    @api.depends("name", "kind", "attachment_name", "register", "report_audit_id")
    def _compute_display_name(self):
        registers = dict(self._selection_register())
        kinds = dict(self._fields["kind"]._description_selection(self.env))
        for item in self:
            audit = item.report_audit_id
            automatic = {
                "attachment": item.attachment_name,
                "register": registers.get(item.register),
                "audit_report": audit and f"{audit.name} {audit.title}",
            }.get(item.kind)
            item.display_name = item.name or automatic or kinds.get(item.kind)

    @api.constrains("kind", "attachment", "register", "report_audit_id")
    def _check_content(self):
        for item in self:
            missing = (
                (item.kind == "attachment" and not item.attachment)
                or (item.kind == "register" and not item.register)
                or (item.kind == "audit_report" and not item.report_audit_id)
            )
            if missing:
                raise ValidationError(
                    self.env._(
                        "Evidence item %(item)s: choose what it shows.", item=item.display_name
                    )
                )
            if item.report_audit_id and item.report_audit_id.company_id != item.company_id:
                raise ValidationError(
                    self.env._("An evidence room shows the audit reports of its own company.")
                )
