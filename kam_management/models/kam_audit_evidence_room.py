import secrets
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError


class KamAuditEvidenceRoom(models.Model):
    """A read-only page for the auditor of one external audit: the documents,
    registers, audit reports and case figures the KAM officer selected, behind a
    secret address that works for a limited time. Nothing else is reachable with
    its token; every access (and every refused one) is logged."""

    _name = "kam.audit.evidence.room"
    _description = "Evidence room for an external audit"
    _inherit = ["kam.system.text.mixin", "mail.thread"]
    _order = "valid_until desc, id desc"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    audit_id = fields.Many2one(
        "kam.audit",
        required=True,
        index=True,
        ondelete="cascade",
        check_company=True,
        domain="[('is_external', '=', True)]",
    )
    company_id = fields.Many2one(related="audit_id.company_id", store=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Opened by",
        required=True,
        default=lambda self: self.env.user,
        readonly=True,
        help="The registers and reports are read with this officer's rights, in the audit's "
        "company only.",
    )
    token = fields.Char(
        required=True,
        copy=False,
        readonly=True,
        default=lambda self: secrets.token_urlsafe(24),
        groups="kam_management.group_kam_officer",
    )
    valid_from = fields.Datetime(
        string="Open from", required=True, default=fields.Datetime.now, tracking=True
    )
    valid_until = fields.Datetime(
        string="Open until",
        required=True,
        tracking=True,
        default=lambda self: fields.Datetime.now() + timedelta(days=14),
    )
    item_ids = fields.One2many("kam.audit.evidence.item", "room_id", string="Shared items")
    access_ids = fields.One2many("kam.audit.evidence.access", "room_id", string="Access log")
    access_count = fields.Integer(string="Visits", compute="_compute_access_count")
    url = fields.Char(string="Address", compute="_compute_url")
    is_open = fields.Boolean(string="Open now", compute="_compute_is_open")
    active = fields.Boolean(default=True, tracking=True)

    _period_check = models.Constraint(
        "CHECK(valid_until > valid_from)", "The evidence room must close after it opens."
    )

    def _kam_creation_note(self):
        return self.env._("Evidence room created")

    def _compute_access_count(self):
        counts = dict(
            self.env["kam.audit.evidence.access"]._read_group(
                [("room_id", "in", self.ids)], ["room_id"], ["__count"]
            )
        )
        for room in self:
            room.access_count = counts.get(room, 0)

    def _compute_url(self):
        for room in self:
            room.url = room.id and room.sudo().token and room.get_base_url() + room._kam_path()

    def _compute_is_open(self):
        now = fields.Datetime.now()
        for room in self:
            room.is_open = room._kam_is_open(now)

    def _kam_path(self):
        self.ensure_one()
        return f"/kam/evidence/{self.id}/{self.sudo().token}"

    def _kam_is_open(self, now=None):
        self.ensure_one()
        now = now or fields.Datetime.now()
        return bool(self.active and self.valid_from <= now < self.valid_until)

    def action_new_token(self):
        """A new address: the old one stops working at once."""
        self.check_access("write")
        self.sudo().write({"token": secrets.token_urlsafe(24)})
        return True

    def action_close_now(self):
        now = fields.Datetime.now()
        for room in self:
            if room.valid_until > now:
                room.valid_until = max(now, room.valid_from + timedelta(seconds=1))
        return True

    @api.model_create_multi
    def create(self, vals_list):
        rooms = super().create(vals_list)
        for room in rooms:
            if room.audit_id and not room.audit_id.is_external:
                raise UserError(
                    self.env._("An evidence room is opened for an external audit only.")
                )
        return rooms

    def _kam_log(self, item=None, what="", ok=True, ip=None, agent=None):
        """Log one access (or a refused one), as superuser: the visitor has no user."""
        self.ensure_one()
        return (
            self.env["kam.audit.evidence.access"]
            .sudo()
            .create(
                {
                    "room_id": self.id,
                    "item_id": item.id if item else False,
                    "what": (what or "")[:200],
                    "granted": ok,
                    "ip_address": (ip or "")[:64],
                    "user_agent": (agent or "")[:300],
                }
            )
        )

    # ------------------------------------------------------------------ content
    def _kam_reader(self):
        """The environment the room reads its registers, reports and figures in:
        the officer who opened it, in the audit's company only."""
        self.ensure_one()
        room = self.sudo()
        return self.env(
            user=room.user_id.id,
            context=dict(
                self.env.context,
                allowed_company_ids=[room.company_id.id],
                lang=room.company_id.partner_id.lang or self.env.context.get("lang"),
            ),
            su=False,
        )

    def _kam_case_statistics(self):
        """Cases per type and month of the last twelve months, open and closed: counts
        only, no titles (read as the officer, in the room's company)."""
        self.ensure_one()
        env = self._kam_reader()
        today = fields.Date.context_today(self)
        start = (today.replace(day=1) - timedelta(days=335)).replace(day=1)
        Case = env["kam.case"]
        groups = Case._read_group(
            [("company_id", "=", self.sudo().company_id.id), ("date_found", ">=", start)],
            ["case_type", "date_found:month", "is_closed"],
            ["__count"],
        )
        labels = dict(Case._fields["case_type"]._description_selection(env))
        rows = {}
        for case_type, month, closed, count in groups:
            row = rows.setdefault(
                (month, case_type),
                {"month": month, "type": labels.get(case_type), "open": 0, "closed": 0},
            )
            row["closed" if closed else "open"] += count
        return [rows[key] for key in sorted(rows)]
