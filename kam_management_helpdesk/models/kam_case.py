from odoo import api, fields, models


class KamCase(models.Model):
    """A complaint that came from the helpdesk: its tickets (linked both ways),
    the channel *Helpdesk*, and closing the complaint informs its tickets."""

    _inherit = "kam.case"

    channel = fields.Selection(
        selection_add=[("helpdesk", "Helpdesk")], ondelete={"helpdesk": "set null"}
    )
    helpdesk_ticket_ids = fields.One2many(
        "helpdesk.ticket", "kam_case_id", string="Helpdesk tickets", readonly=True
    )
    helpdesk_ticket_count = fields.Integer(
        string="Tickets", compute="_compute_helpdesk_ticket_count"
    )

    @api.depends("helpdesk_ticket_ids")
    def _compute_helpdesk_ticket_count(self):
        counts = dict(
            self.env["helpdesk.ticket"]
            .sudo()
            ._read_group([("kam_case_id", "in", self.ids)], ["kam_case_id"], ["__count"])
        )
        for case in self:
            case.helpdesk_ticket_count = counts.get(case, 0)

    def write(self, vals):
        open_before = self.filtered(lambda c: not c.is_closed)
        res = super().write(vals)
        closed_now = open_before.filtered("is_closed")
        if closed_now:
            closed_now._kam_inform_tickets()
        return res

    def _kam_inform_tickets(self):
        """A note on each ticket of the closed complaints: closed, and how."""
        tickets = self.env["helpdesk.ticket"].sudo().search([("kam_case_id", "in", self.ids)])
        for ticket in tickets:
            case = ticket.kam_case_id
            lang_env = ticket.with_context(
                lang=case.company_id.partner_id.lang or self.env.lang
            ).env
            labels = dict(case._fields["satisfaction"]._description_selection(lang_env))
            outcome = labels.get(case.satisfaction) if case.satisfaction else None
            body = (
                lang_env._(
                    "Complaint %(complaint)s is closed (customer: %(outcome)s).",
                    complaint=case.name,
                    outcome=outcome,
                )
                if outcome
                else lang_env._("Complaint %(complaint)s is closed.", complaint=case.name)
            )
            ticket.message_post(body=body, message_type="comment", subtype_xmlid="mail.mt_note")

    def action_view_helpdesk_tickets(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "helpdesk_mgmt.helpdesk_ticket_action"
        )
        action["domain"] = [("kam_case_id", "=", self.id)]
        action["context"] = {}
        return action
