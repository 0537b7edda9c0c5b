from odoo import fields, models


class KamCaseReopen(models.TransientModel):
    """Reopen a closed case: an officer says why (the reason goes into the
    chatter; kam.case.write refuses a reopen without one)."""

    _name = "kam.case.reopen"
    _description = "Reopen a KAM case"

    case_id = fields.Many2one("kam.case", required=True, ondelete="cascade")
    reason = fields.Text(required=True)

    def action_reopen(self):
        self.ensure_one()
        self.case_id.action_reopen(reason=self.reason)
        return {"type": "ir.actions.act_window_close"}
