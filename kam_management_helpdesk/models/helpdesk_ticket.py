from markupsafe import Markup

from odoo import api, fields, models
from odoo.exceptions import AccessError


class HelpdeskTicket(models.Model):
    """A ticket becomes a complaint in one step (*Escalate to complaint*) or by
    the escalation rules; ticket and complaint point at each other (the ticket's
    ``kam_case_id``, the complaint's tickets), so a ticket is escalated once and
    the complaint is counted once in the complaint figures, however it came in.
    Tickets are a document cases can be reported from (kam.reportable.mixin)."""

    _name = "helpdesk.ticket"
    _inherit = ["helpdesk.ticket", "kam.reportable.mixin"]

    kam_case_id = fields.Many2one(
        "kam.case",
        string="Complaint",
        copy=False,
        index="btree_not_null",
        tracking=True,
        domain="[('case_type', '=', 'complaint')]",
    )
    kam_case_name = fields.Char(string="Complaint reference", compute="_compute_kam_case_name")

    @api.depends("kam_case_id")
    def _compute_kam_case_name(self):
        for ticket in self:
            ticket.kam_case_name = ticket.kam_case_id.sudo().name or False

    # ------------------------------------------------------------------ reportable document
    def _kam_case_defaults(self):
        values = super()._kam_case_defaults()
        contact = self.partner_id
        values.update(
            {
                "case_type": "complaint",
                "title": self.name,
                "description": self.description,
                "partner_id": contact.commercial_partner_id.id,
                "contact_id": contact.id,
                "source": "customer",
                "channel": "helpdesk",
                "date_received": fields.Date.context_today(self, self.create_date)
                if self.create_date
                else fields.Date.context_today(self),
            }
        )
        order = self._kam_sale_order()
        if order:
            values.update(self.env["kam.case"]._order_link_values(order))
            values.update(res_model=self._name, res_id=self.id)
        return values

    def _kam_sale_order(self):
        """The ticket's sale order when an addon links one (helpdesk_mgmt_sale...)."""
        for name in ("sale_order_id", "sale_order_ids"):
            field = self._fields.get(name)
            if field and field.comodel_name == "sale.order" and self[name]:
                return self[name][:1]
        return self.env["sale.order"]

    # ------------------------------------------------------------------ escalation
    def _kam_escalate(self, reason=None):
        """A complaint for every ticket of ``self`` that has none: prefilled from
        the ticket, with its attachments, linked both ways. Returns the complaints
        of all tickets of ``self``."""
        todo = self.sudo().filtered(lambda t: not t.kam_case_id)
        Case = self.env["kam.case"].sudo().with_context(mail_notify_force_send=False)
        for ticket in todo:
            case = Case.create(ticket._kam_case_defaults())
            ticket.kam_case_id = case
            attachments = (
                self.env["ir.attachment"]
                .sudo()
                .search([("res_model", "=", ticket._name), ("res_id", "=", ticket.id)])
            )
            for attachment in attachments:
                attachment.copy({"res_model": case._name, "res_id": case.id})
            lang_env = ticket.with_context(
                lang=ticket.company_id.partner_id.lang or self.env.lang
            ).env
            why = reason or lang_env._("Escalated by %(user)s.", user=self.env.user.name)
            ticket.message_post(
                body=Markup("%s<br/>%s")
                % (
                    lang_env._("Escalated to complaint %(complaint)s.", complaint=case.name),
                    why,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            case.message_post(
                body=lang_env._(
                    "Complaint from helpdesk ticket %(ticket)s. %(why)s",
                    ticket=ticket.display_name,
                    why=why,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
        return self.sudo().kam_case_id

    def action_kam_escalate(self):
        """*Escalate to complaint*: the ticket's complaint (created now if needed)."""
        self.check_access("write")
        cases = self._kam_escalate()
        if len(self) == 1 and self.env.user.has_group("kam_management.group_kam_user"):
            return self.action_kam_open_complaint()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "success",
                "message": self.env._(
                    "Registered as complaint %(complaints)s.",
                    complaints=", ".join(cases.mapped("name")),
                ),
                "next": {"type": "ir.actions.act_window_close"},
            },
        }

    def action_kam_open_complaint(self):
        self.ensure_one()
        case = self.kam_case_id
        if not case:
            return False
        if not self.env.user.has_group("kam_management.group_kam_user"):
            raise AccessError(
                self.env._(
                    "Complaint %(complaint)s is registered; KAM users follow it up.",
                    complaint=self.kam_case_name,
                )
            )
        return {
            "type": "ir.actions.act_window",
            "res_model": "kam.case",
            "res_id": case.id,
            "view_mode": "form",
            "views": [(False, "form")],
        }

    def _kam_apply_rules(self, trigger, rating=None):
        """Escalate the tickets of ``self`` that meet an active rule of ``trigger``."""
        Rule = self.env["kam.helpdesk.escalation.rule"]
        for company, tickets in (
            self.filtered(lambda t: not t.kam_case_id).grouped("company_id").items()
        ):
            rules = Rule._kam_rules(company, trigger)
            if not rules:
                continue
            lang_env = self.with_context(lang=company.partner_id.lang or self.env.lang).env
            for ticket in tickets:
                rule = next((r for r in rules if r._kam_matches(ticket, rating)), None)
                if rule:
                    ticket._kam_escalate(
                        reason=lang_env._(
                            "Escalation rule: %(rule)s.", rule=rule.with_env(lang_env).name
                        )
                    )

    @api.model_create_multi
    def create(self, vals_list):
        tickets = super().create(vals_list)
        tickets._kam_apply_rules("category")
        tickets._kam_apply_rules("tag")
        return tickets

    def write(self, vals):
        closed_before = self.filtered("closed") if "stage_id" in vals else self.browse()
        res = super().write(vals)
        if "category_id" in vals:
            self._kam_apply_rules("category")
        if "tag_ids" in vals:
            self._kam_apply_rules("tag")
        if closed_before:
            closed_before.filtered(lambda t: not t.closed)._kam_apply_rules("reopened")
        return res
