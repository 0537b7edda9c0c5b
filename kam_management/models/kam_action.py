from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.fields import Domain

from ..tools import xlsx
from ..tools.actions import linked_names, open_record_action
from ..tools.activities import schedule_once
from ..tools.batches import in_chunks

ACTION_STATES = [
    ("open", "Open"),
    ("done", "Done"),
    ("verified", "Verified effective"),
    ("not_effective", "Not effective"),
]


class KamAction(models.Model):
    """A correction, corrective, preventive or improvement action.

    Its source is any record (``res_model``/``res_id``: a case now; audits,
    reviews, risks and requirements later); the common sources also get a
    stored many2one (``case_id``...) for fast filtering and grouping."""

    _name = "kam.action"
    _description = "KAM action"
    _inherit = ["mail.thread", "mail.activity.mixin", "kam.register.mixin"]
    _order = "deadline, id"
    _check_company_auto = True

    name = fields.Char(string="Action", required=True, tracking=True)
    description = fields.Html()
    kind = fields.Selection(
        [
            ("correction", "Correction"),
            ("corrective", "Corrective action"),
            ("preventive", "Preventive action"),
            ("improvement", "Improvement"),
        ],
        required=True,
        default="corrective",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        tracking=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    deadline = fields.Date(required=True, tracking=True, index=True)
    state = fields.Selection(
        ACTION_STATES, required=True, default="open", tracking=True, index=True, copy=False
    )
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    # polymorphic source, plus the stored link of the common source
    res_model = fields.Char(string="Source model", index=True)
    res_id = fields.Many2oneReference(string="Source ID", model_field="res_model")
    case_id = fields.Many2one(
        "kam.case", index="btree_not_null", ondelete="cascade", check_company=True
    )
    case_type = fields.Selection(related="case_id.case_type", store=True)
    # a measure of the RI&E's plan van aanpak
    risk_id = fields.Many2one(
        "kam.risk", string="Hazard", index="btree_not_null", ondelete="cascade", check_company=True
    )
    priority = fields.Selection(
        [("0", "Normal"), ("1", "High"), ("2", "Urgent")], default="0", tracking=True
    )
    source_name = fields.Char(string="Source", compute="_compute_source_name")
    done_date = fields.Date(readonly=True, copy=False)
    # effectiveness check (ISO 9001 10.2.1 d)
    effectiveness_date = fields.Date(
        string="Check effectiveness on", tracking=True, help="When to check the effect."
    )
    effectiveness_result = fields.Text(string="Effectiveness result", copy=False)
    verified_by_id = fields.Many2one("res.users", string="Verified by", readonly=True, copy=False)
    verified_date = fields.Date(readonly=True, copy=False)
    is_overdue = fields.Boolean(compute="_compute_is_overdue", search="_search_is_overdue")
    color = fields.Integer()
    active = fields.Boolean(default=True)

    _state_deadline_idx = models.Index("(state, deadline)")
    _user_state_idx = models.Index("(user_id, state)")

    # ------------------------------------------------------------------ computes
    @api.depends("res_model", "res_id", "case_id")
    def _compute_source_name(self):
        # res_model/res_id mirror case_id (see create), so one lookup covers all sources
        names = linked_names(self)
        for action in self:
            action.source_name = names.get((action.res_model, action.res_id), False)

    @api.depends("deadline", "state")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.state == "open" and action.deadline < today

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue actions."))
        domain = Domain(
            [("state", "=", "open"), ("deadline", "<", fields.Date.context_today(self))]
        )
        return domain if (operator == "=") == value else ~domain

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        # notifications (assignment, activity) go to the mail queue, never inline
        self = self.with_context(mail_notify_force_send=False)
        for vals in vals_list:
            # keep the polymorphic source and the stored link in step
            if vals.get("case_id") and not vals.get("res_model"):
                vals.update(res_model="kam.case", res_id=vals["case_id"])
            elif vals.get("res_model") == "kam.case" and vals.get("res_id"):
                vals.setdefault("case_id", vals["res_id"])
            elif vals.get("risk_id") and not vals.get("res_model"):
                vals.update(res_model="kam.risk", res_id=vals["risk_id"])
            elif vals.get("res_model") == "kam.risk" and vals.get("res_id"):
                vals.setdefault("risk_id", vals["res_id"])
        # an action belongs to the company of its case (one read for the batch)
        case_ids = {v["case_id"] for v in vals_list if v.get("case_id") and not v.get("company_id")}
        if case_ids:
            company_of = {
                case.id: case.company_id.id for case in self.env["kam.case"].browse(case_ids).sudo()
            }
            for vals in vals_list:
                if vals.get("case_id") in company_of and not vals.get("company_id"):
                    vals["company_id"] = company_of[vals["case_id"]]
        risk_ids = {v["risk_id"] for v in vals_list if v.get("risk_id") and not v.get("company_id")}
        if risk_ids:
            company_of = {
                risk.id: risk.company_id.id for risk in self.env["kam.risk"].browse(risk_ids).sudo()
            }
            for vals in vals_list:
                if vals.get("risk_id") in company_of and not vals.get("company_id"):
                    vals["company_id"] = company_of[vals["risk_id"]]
        actions = super().create(vals_list)
        actions._schedule_owner_activity()
        return actions

    def _schedule_owner_activity(self):
        """One to-do activity for each new action's owner, created in one batch."""
        activity_type = self.env.ref("kam_management.mail_activity_kam_action")
        model_id = self.env["ir.model"]._get_id(self._name)
        Activity = self.env["mail.activity"].sudo().with_context(mail_notify_force_send=False)
        Activity.create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": action.id,
                    "activity_type_id": activity_type.id,
                    "user_id": action.user_id.id,
                    "date_deadline": action.deadline,
                    "summary": action.name,
                    "automated": True,
                }
                for action in self
                if action.state == "open"
            ]
        )

    def write(self, vals):
        # reassignments notify through the mail queue, never inline
        return super(KamAction, self.with_context(mail_notify_force_send=False)).write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_done(self):
        if any(action.state != "open" for action in self):
            raise UserError(
                self.env._("Done or verified actions cannot be deleted; archive them instead.")
            )

    @api.constrains("case_id", "deadline")
    def _check_deadline(self):
        for action in self:
            if action.case_id and action.deadline and action.deadline < action.case_id.date_found:
                raise ValidationError(
                    self.env._(
                        "The deadline of action %(action)s cannot be before the date case "
                        "%(case)s was found.",
                        action=action.name,
                        case=action.case_id.name,
                    )
                )

    # ------------------------------------------------------------------ workflow
    def _check_officer(self):
        if not self.env.user.has_group("kam_management.group_kam_officer"):
            raise AccessError(
                self.env._("Only KAM officers can judge the effectiveness of actions.")
            )

    def action_done(self):
        if any(action.state != "open" for action in self):
            raise UserError(self.env._("Only open actions can be marked as done."))
        self.write({"state": "done", "done_date": fields.Date.context_today(self)})
        self.activity_feedback(["kam_management.mail_activity_kam_action"])
        return True

    def _check_verifiable(self):
        for action in self:
            if action.state != "done":
                raise UserError(
                    self.env._(
                        "Action %(action)s must be done before its effectiveness is judged.",
                        action=action.name,
                    )
                )
            if not (action.effectiveness_result or "").strip():
                raise UserError(
                    self.env._(
                        "Record the result of the effectiveness check of action %(action)s first.",
                        action=action.name,
                    )
                )

    def action_verify(self):
        """Effective: the cause is gone."""
        self._check_officer()
        self._check_verifiable()
        self.write(
            {
                "state": "verified",
                "verified_by_id": self.env.uid,
                "verified_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_not_effective(self):
        """Not effective: the case goes back to work (ISO 9001 10.2.1 d)."""
        self._check_officer()
        self._check_verifiable()
        self.write(
            {
                "state": "not_effective",
                "verified_by_id": self.env.uid,
                "verified_date": fields.Date.context_today(self),
            }
        )
        for action in self.filtered("case_id"):
            action.case_id.action_reopen(
                reason=self.env._(
                    "Reopened: action %(action)s was not effective.", action=action.name
                )
            )
        return True

    def action_reset(self):
        self._check_officer()
        self.write(
            {"state": "open", "done_date": False, "verified_by_id": False, "verified_date": False}
        )
        self._schedule_owner_activity()
        return True

    def action_open_source(self):
        self.ensure_one()
        return open_record_action(self.res_model, self.res_id)

    # ------------------------------------------------------------------ cron
    @api.model
    def _cron_process_overdue(self, batch_size=500):
        """Daily: remind the owners of overdue actions and, after the configured
        number of days, escalate to the case's responsible officer.

        Idempotent (an action never gets a second open reminder or escalation)
        and batched: per chunk one search and one create per activity type."""
        today = fields.Date.context_today(self)
        remind_type = self.env.ref("kam_management.mail_activity_kam_overdue")
        escalate_type = self.env.ref("kam_management.mail_activity_kam_escalation")

        def reminder(action):
            return {
                "user_id": action.user_id.id,
                "date_deadline": today,
                "summary": self.env._("Overdue since %(date)s", date=action.deadline),
            }

        def escalation(action):
            officer = action.case_id.user_id
            if (
                not officer
                or (today - action.deadline).days < action.company_id.kam_escalation_days
            ):
                return None
            return {
                "user_id": officer.id,
                "date_deadline": today,
                "summary": self.env._("Escalated: overdue since %(date)s", date=action.deadline),
            }

        domain = [("state", "=", "open"), ("deadline", "<", today)]
        for actions in in_chunks(self.sudo(), domain, batch_size):
            schedule_once(actions, remind_type, reminder)
            schedule_once(actions, escalate_type, escalation)
        return True

    # ---- registers (Excel, tools/xlsx.py)
    def _kam_action_register_columns(self):
        """Columns of the action list (also the measures of the plan van aanpak)."""
        return [
            xlsx.char("name", width=40),
            xlsx.selection("kind", width=20),
            # as superuser, like a many2one: an owner may not read the case of their action
            xlsx.char("source_name", sudo=True),
            xlsx.many2one("user_id", width=24),
            xlsx.date("deadline"),
            xlsx.selection("state", self.env._("Status"), width=18),
            xlsx.date("done_date", self.env._("Done on")),
            xlsx.date("effectiveness_date", width=14),
            xlsx.many2one("verified_by_id", width=24),
            xlsx.date("verified_date", self.env._("Verified on")),
            xlsx.boolean("is_overdue", self.env._("Overdue")),
        ]

    def _kam_registers(self):
        return super()._kam_registers() + [
            xlsx.Register(
                "action",
                self.env._("Action list"),
                columns=self._kam_action_register_columns,
                order="deadline, id",
            ),
        ]
