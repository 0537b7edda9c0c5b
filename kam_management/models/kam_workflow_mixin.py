from odoo import api, models
from odoo.exceptions import AccessError, UserError

# marks the writes of the workflow's own code (see _kam_workflow_write): an object,
# so that no request can put it in a context (RPC contexts are plain JSON values)
_INTERNAL = object()

# technical fields Odoo itself writes on any record, locked or not
ALWAYS_WRITABLE = frozenset(
    {
        "message_main_attachment_id",
        "access_token",
        "rating_last_value",
        "activity_ids",
        "message_follower_ids",
        "write_date",
        "write_uid",
    }
)


class KamWorkflowMixin(models.AbstractModel):
    """Workflow rules that hold on every write path (form, RPC, import, code).

    A model that inherits this mixin declares:

    - ``_kam_state_field`` and ``_kam_transitions``: its states and the allowed
      changes, ``{(from, to): group}``; ``group`` is the XML id of the group
      that may make the change, or None for anyone who may write the record.
      Any other change is refused. ``_kam_check_state_change(old, new, vals)``
      adds what a record needs for a change (a result, complete scores...);
      ``_kam_state_values(new)`` the values that go with it (who, when).
      A model whose state follows something else (a case: its stage)
      overrides ``_kam_check_transition(vals)`` and ``_kam_workflow_values(vals)``.
    - ``_kam_derived_fields``: fields its workflow sets itself (who closed,
      approved or verified, and when). Nobody writes them directly; the
      superuser may (data imports, migrations), and so may the model's own
      code through ``_kam_workflow_write()``.
    - ``_kam_locked_writable_fields``: what may still change on a locked record;
      everything else is read-only once locked.
    - ``_kam_is_locked()``: which records are locked (closed, approved...);
      ``_kam_unlocks(vals)``: whether ``vals`` is a permitted way to change a
      locked record (a reopen with a reason, a reset by a manager...).
    - ``_kam_check_unlink()``: what may not be deleted (by default the locked
      records: closed records are archived, never deleted).

    Access checks (who) apply to everyone but the superuser; consistency rules
    (no closing with open actions, no approval of an incomplete evaluation)
    hold for the superuser too."""

    _name = "kam.workflow.mixin"
    _description = "KAM workflow rules"

    _kam_state_field = None
    _kam_transitions = {}
    _kam_derived_fields = ()
    _kam_locked_writable_fields = ("active", "color")
    # a view expression that holds when a record is locked: the form shows its
    # fields read-only then (the rule itself is in write())
    _kam_lock_expression = None

    # ------------------------------------------------------------------ hooks
    def _kam_is_locked(self):
        """{record: locked} is too costly; return the locked records of self."""
        return self.browse()

    def _kam_unlocks(self, vals):
        """True when ``vals`` is a permitted way to unlock (reopen) the records."""
        return False

    def _kam_check_transition(self, vals):
        """Raise when the state change in ``vals`` is not permitted."""
        field = self._kam_state_field
        if not field or not vals.get(field):
            return
        new = vals[field]
        labels = dict(self._fields[field]._description_selection(self.env))
        for record in self:
            old = record[field]
            if old == new:
                continue
            if (old, new) not in self._kam_transitions:
                raise UserError(
                    self.env._(
                        "%(record)s cannot go from %(old)s to %(new)s.",
                        record=record.display_name,
                        old=labels.get(old, old),
                        new=labels.get(new, new),
                    )
                )
            group = self._kam_transitions[old, new]
            if group and not self.env.su and not self.env.user.has_group(group):
                raise AccessError(record._kam_transition_refused(old, new))
            record._kam_check_state_change(old, new, vals)

    def _kam_move(self, from_states, to_state, error):
        """A button's move of ``self`` to ``to_state`` (through ``write()``, so
        under all the rules): every record must be in ``from_states`` (a state
        or a tuple of states), else ``error`` (a translated message) is raised."""
        field = self._kam_state_field
        allowed = (from_states,) if isinstance(from_states, str) else tuple(from_states)
        if any(record[field] not in allowed for record in self):
            raise UserError(error)
        self.write({field: to_state})
        return True

    def _kam_transition_refused(self, old, new):
        """The message for a state change the user's groups do not allow."""
        return self.env._("You are not allowed to make this change of status.")

    def _kam_check_state_change(self, old, new, vals):
        """Raise when this record is not ready to go from ``old`` to ``new``."""

    def _kam_state_values(self, new):
        """The values the workflow sets when the records go to state ``new``."""
        return {}

    def _kam_workflow_values(self, vals):
        """``vals`` plus the values the workflow derives from it."""
        field = self._kam_state_field
        if not field or not vals.get(field):
            return vals
        return dict(vals, **self._kam_state_values(vals[field]))

    def _kam_create_values(self, vals_list):
        """``vals_list`` plus the values the workflow derives for new records."""
        return vals_list

    def _kam_locked_error(self):
        """The error for a change to the locked records ``self``."""
        return UserError(
            self.env._(
                "%(record)s is closed and can no longer be changed.",
                record=", ".join(self.mapped("display_name")[:5]),
            )
        )

    def _kam_check_unlink(self):
        """Raise when ``self`` may not be deleted (by default: locked records)."""
        locked = self._kam_is_locked()
        if locked:
            raise UserError(
                self.env._(
                    "%(record)s is closed and cannot be deleted; archive it instead.",
                    record=", ".join(locked.mapped("display_name")[:5]),
                )
            )

    def _kam_workflow_write(self):
        """``self`` for the workflow's own writes of derived fields (who asked the
        customer and when...), made by the acting user so the chatter names them."""
        return self.with_context(kam_workflow_internal=_INTERNAL)

    def _kam_trusted(self):
        return self.env.su or self.env.context.get("kam_workflow_internal") is _INTERNAL

    # ------------------------------------------------------------------ checks
    def _kam_check_derived(self, vals):
        derived = sorted(set(vals) & set(self._kam_derived_fields))
        if derived:
            labels = ", ".join(self._fields[name]._description_string(self.env) for name in derived)
            raise UserError(
                self.env._(
                    "%(fields)s: set by the workflow of %(model)s itself; they cannot be written "
                    "directly.",
                    fields=labels,
                    model=self._description_label(),
                )
            )

    def _description_label(self):
        return self.env["ir.model"]._get(self._name).name or self._description

    def _kam_check_locked(self, vals):
        locked = self._kam_is_locked()
        if not locked:
            return
        writable = ALWAYS_WRITABLE | set(self._kam_locked_writable_fields)
        if set(vals) <= writable:
            return
        if locked._kam_unlocks(vals):
            return
        raise locked._kam_locked_error()

    # ------------------------------------------------------------------ views
    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        """A locked record's form is read-only: every field of the form (not the
        fields of its embedded lists, which belong to other models) gets the
        lock expression in its ``readonly`` modifier."""
        arch, view = super()._get_view(view_id, view_type, **options)
        lock = self._kam_lock_expression
        if view_type != "form" or not lock:
            return arch, view
        writable = ALWAYS_WRITABLE | set(self._kam_locked_writable_fields)
        for node in arch.xpath("//field[not(ancestor::field)]"):
            name = node.get("name")
            field = self._fields.get(name)
            # a read-only field (computed, derived) stays as the view has it
            if name in writable or field is None or field.readonly:
                continue
            readonly = (node.get("readonly") or "").strip()
            if readonly in ("1", "True", "true"):
                continue
            if readonly in ("", "0", "False", "false"):
                node.set("readonly", lock)
            else:
                node.set("readonly", f"({readonly}) or ({lock})")
        return arch, view

    # ------------------------------------------------------------------ ORM
    @api.model_create_multi
    def create(self, vals_list):
        if not self._kam_trusted():
            for vals in vals_list:
                self._kam_check_derived(vals)
        return super().create(self._kam_create_values(vals_list))

    def write(self, vals):
        if not self._kam_trusted():
            self._kam_check_derived(vals)
            self._kam_check_locked(vals)
        self._kam_check_transition(vals)
        vals = self._kam_workflow_values(vals)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_locked(self):
        self._kam_check_unlink()
