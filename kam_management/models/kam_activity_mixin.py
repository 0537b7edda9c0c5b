from odoo import api, fields, models

from ..tools import core_shortcuts
from ..tools.batches import assign_computed

# the activity fields of mail.activity.mixin computed together, for a whole page at once
ACTIVITY_FIELDS = (
    "activity_state",
    "activity_user_id",
    "activity_type_id",
    "activity_type_icon",
    "activity_date_deadline",
    "activity_summary",
    "activity_exception_decoration",
    "activity_exception_icon",
)


class KamActivityMixin(models.AbstractModel):
    """``mail.activity.mixin`` whose activity fields (state, next type, its icon, summary,
    deadline, assignee, exception decoration and icon) are computed for the whole
    recordset from one query instead of record by record through ``activity_ids``.

    A list page with the activity column (``list_activity``: six of these fields per row)
    otherwise runs seven computes per page, each reading every row's activities through
    the ORM with a field-access check per read (about 9,800 checks for 80 rows). The
    values are the mixin's own (``tests/test_activity_list.py`` compares them with
    ``res.partner``'s, computed by the stock mixin, activity by activity); the next type
    and summary stay writable (written to every activity, as the mixin's related fields
    do) and every field stays searchable.

    For models only internal users read (no access rights for portal or public users;
    the portal reads as superuser): the fields lose the mixin's ``groups="base.group_user"``,
    which only repeated the model's access rights and cost a group check per row and
    field on every page (~320 per page of 80)."""

    _name = "kam.activity.mixin"
    _description = "Activities, computed per page"
    _inherit = ["mail.activity.mixin"]

    activity_ids = fields.One2many(groups=None)
    activity_state = fields.Selection(compute="_compute_kam_activities", groups=None)
    activity_user_id = fields.Many2one(compute="_compute_kam_activities", groups=None)
    activity_type_id = fields.Many2one(
        groups=None,
        related=False,
        compute="_compute_kam_activities",
        inverse="_inverse_kam_activity_type_id",
    )
    activity_type_icon = fields.Char(
        related=False,
        compute="_compute_kam_activities",
        search="_search_kam_activity_type_icon",
    )
    activity_date_deadline = fields.Date(compute="_compute_kam_activities", groups=None)
    activity_summary = fields.Char(
        groups=None,
        related=False,
        compute="_compute_kam_activities",
        inverse="_inverse_kam_activity_summary",
    )
    activity_exception_decoration = fields.Selection(compute="_compute_kam_activities")
    activity_exception_icon = fields.Char(compute="_compute_kam_activities")

    @api.depends(
        "activity_ids.active",
        "activity_ids.date_deadline",
        "activity_ids.summary",
        "activity_ids.user_id",
        "activity_ids.activity_type_id.decoration_type",
        "activity_ids.activity_type_id.icon",
    )
    def _compute_kam_activities(self):
        real = self.filtered("id")
        # the values from the activities activity_ids gives the user, as the mixin's
        # computes read them (active ones, those of the records the user may post on or
        # assigned to the user; the web client's page has read them already)
        readable_ids = set(real.activity_ids._ids)
        readable = {
            res_id: [row for row in rows if row[0] in readable_ids]
            for res_id, rows in (core_shortcuts.activity_rows(real) if real else {}).items()
        }
        states = {}
        none = (False,) * 8

        def values(record):
            rows = readable.get(record.id, ())
            first = rows[0] if rows else none
            # the state: overdue before today before planned (each activity in its
            # assignee's time zone)
            found = set()
            for _id, deadline, _summary, _type, _icon, _deco, _user, tz in rows:
                key = (deadline, tz)
                if key not in states:
                    states[key] = core_shortcuts.activity_state_of(self.env, deadline, tz)
                found.add(states[key])
            # the exception: the first "danger" type, else the last "warning" type
            # (over the distinct types, in the order they first appear)
            exception, seen = (False, False), set()
            for _id, _deadline, _summary, type_id, icon, decoration, _user, _tz in rows:
                if not type_id or type_id in seen:
                    continue
                seen.add(type_id)
                if decoration == "danger":
                    exception = (decoration, icon)
                    break
                if decoration == "warning":
                    exception = (decoration, icon)
            return {
                "activity_state": next(
                    (s for s in ("overdue", "today", "planned") if s in found), False
                ),
                "activity_user_id": first[6],
                "activity_type_id": first[3],
                "activity_type_icon": first[4],
                "activity_date_deadline": first[1],
                "activity_summary": first[2],
                "activity_exception_decoration": exception[0],
                "activity_exception_icon": exception[1],
            }

        # one assignment per field and distinct value, not per record
        assign_computed(real, values)
        for record in self - real:  # new records (forms): as the mixin does, through the ORM
            activities = record.activity_ids
            first = activities[:1]
            states = set(activities.mapped("state"))
            record.activity_state = next(
                (s for s in ("overdue", "today", "planned") if s in states), False
            )
            record.activity_user_id = first.user_id
            record.activity_type_id = first.activity_type_id
            record.activity_type_icon = first.icon
            record.activity_date_deadline = first.date_deadline
            record.activity_summary = first.summary
            types = activities.activity_type_id
            danger = types.filtered(lambda t: t.decoration_type == "danger")[:1]
            exception = danger or types.filtered(lambda t: t.decoration_type == "warning")[-1:]
            record.activity_exception_decoration = exception.decoration_type
            record.activity_exception_icon = exception.icon

    def _inverse_kam_activity_type_id(self):
        # as the mixin's related field: every activity of the record gets the type
        for record in self:
            record.activity_ids.activity_type_id = record.activity_type_id

    def _inverse_kam_activity_summary(self):
        for record in self:
            record.activity_ids.summary = record.activity_summary

    def _search_kam_activity_type_icon(self, operator, value):
        return [("activity_ids.icon", operator, value)]
