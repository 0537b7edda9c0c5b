import secrets

from markupsafe import Markup

from odoo import api, fields, models

from ..tools.input_rules import escape_like
from ..tools.mail import note_not_mailed, without_sender


class KamCase(models.Model):
    """A complaint from the public form with the e-mail address of an existing
    contact: it is linked to that contact (and so shown in their portal) and to
    their order only when someone confirms through the link mailed to that
    address. Until then the case holds the claim, not the link."""

    _inherit = "kam.case"  # pylint: disable=consider-merging-classes-inherited

    kam_claim_partner_id = fields.Many2one(
        "res.partner",
        string="Awaiting confirmation by",
        readonly=True,
        copy=False,
        help="A complaint from the public form with the e-mail address of this contact: it is "
        "linked to the contact and their order once the link mailed to that address is used.",
    )
    kam_claim_order_reference = fields.Char(
        string="Order reference to confirm", readonly=True, copy=False
    )
    kam_claim_token = fields.Char(copy=False, groups="base.group_system")

    @api.model
    def _kam_customer_order(self, reference, contact):
        """The sale order named ``reference`` (case-insensitive, literally: no
        wildcards) of ``contact``'s company, or an empty recordset."""
        Order = self.env["sale.order"].sudo()
        if not reference or not contact:
            return Order
        return Order.search(
            [
                ("name", "=ilike", escape_like(reference)),
                ("partner_id", "child_of", contact.commercial_partner_id.id),
            ],
            limit=1,
        )

    def _kam_claim_url(self):
        self.ensure_one()
        return (
            f"{self.get_base_url()}/kam/complaint/confirm/{self.id}/{self.sudo().kam_claim_token}"
        )

    def _kam_request_claim(self, contact, order_reference):
        """Mail ``contact`` a link that confirms this complaint is theirs."""
        template = self.env.ref("kam_management.mail_template_complaint_claim")
        # a company without an e-mail address: no link can be mailed, so no claim is kept
        unsent = without_sender(self.sudo(), self.env.user)
        note_not_mailed(unsent, lambda env: env._("The confirmation link to the customer"))
        for case in self.sudo() - unsent:
            case.write(
                {
                    "kam_claim_partner_id": contact.id,
                    "kam_claim_order_reference": order_reference or False,
                    "kam_claim_token": secrets.token_urlsafe(24),
                }
            )
            template.with_context(kam_claim_url=case._kam_claim_url()).send_mail(case.id)

    def _kam_check_claim_token(self, token):
        """True when ``token`` confirms this case's pending claim."""
        self.ensure_one()
        stored = self.sudo().kam_claim_token
        return bool(stored and token and secrets.compare_digest(stored, token))

    def _kam_confirm_claim(self):
        """The sender proved the address: link the contact and their order (the
        reference given, if it is theirs), acknowledge as for any complaint."""
        for case in self.sudo().filtered("kam_claim_partner_id"):
            contact = case.kam_claim_partner_id
            order = self._kam_customer_order(case.kam_claim_order_reference, contact)
            values = {
                "partner_id": contact.commercial_partner_id.id,
                "contact_id": contact.id,
                "kam_claim_partner_id": False,
                "kam_claim_order_reference": False,
                "kam_claim_token": False,
            }
            values.update(case._order_link_values(order))
            case.write(values)
            case.message_post(
                body=Markup("<p>%s</p>")
                % case.env._(
                    "%(contact)s confirmed through the link mailed to %(email)s that this "
                    "complaint is theirs.",
                    contact=contact.name,
                    email=contact.email,
                ),
                message_type="comment",
                subtype_xmlid="mail.mt_note",
            )
            # sent by the acknowledgement job right after the commit, once
            case._kam_acknowledgeable()._kam_queue_acknowledgement()
