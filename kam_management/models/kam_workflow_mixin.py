from odoo import api, models
from odoo.exceptions import UserError

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

    - ``_kam_derived_fields``: fields its workflow sets itself (who closed,
      approved or verified, and when). Nobody writes them directly; the
      superuser may (data imports, migrations).
    - ``_kam_locked_writable_fields``: what may still change on a locked record
      (archiving, colour); everything else is read-only once locked.
    - ``_kam_is_locked()``: which records are locked (closed, approved...).
    - ``_kam_check_transition(vals)``: who may make the state change in
      ``vals`` and whether the records are ready for it; raises a translated
      error. An unlock (reopen, reset) is a transition too: return from
      ``_kam_unlocks(vals)`` whether ``vals`` unlocks the records.
    - ``_kam_workflow_values(vals)``: the derived values that go with ``vals``
      (closed on, by whom...), added to the write.
    - ``_kam_check_unlink()``: what may not be deleted (by default the locked
      records: closed records are archived, never deleted).

    Access checks (who) apply to everyone but the superuser; consistency rules
    (no closing with open actions...) hold for the superuser too, they are
    called by the model from ``_kam_check_transition`` with ``self.env.su``
    in mind."""

    _name = "kam.workflow.mixin"
    _description = "KAM workflow rules"

    _kam_derived_fields = ()
    _kam_locked_writable_fields = ("active", "color")

    # ------------------------------------------------------------------ hooks
    def _kam_is_locked(self):
        """{record: locked} is too costly; return the locked records of self."""
        return self.browse()

    def _kam_unlocks(self, vals):
        """True when ``vals`` is a permitted way to unlock (reopen) the records."""
        return False

    def _kam_check_transition(self, vals):
        """Raise when the state change in ``vals`` is not permitted."""

    def _kam_workflow_values(self, vals):
        """``vals`` plus the values the workflow derives from it."""
        return vals

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
