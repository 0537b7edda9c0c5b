"""Rights of the public methods that kam_management adds to shared models.

Every method without a leading underscore can be called over JSON-RPC by any
logged-in user (portal customers included) on any record they can read, so a
button method on ``res.company``, ``res.partner``, ``sale.order``... checks
the caller's groups itself: :func:`check_groups` at its first line. The
superuser (``sudo()``, server actions run by Odoo) passes."""

from odoo.exceptions import AccessError

KAM_USER = "kam_management.group_kam_user"
KAM_OFFICER = "kam_management.group_kam_officer"
KAM_MANAGER = "kam_management.group_kam_manager"
PURCHASE_USER = "purchase.group_purchase_user"
SYSTEM = "base.group_system"


def check_groups(records, *groups):
    """Raise a translated ``AccessError`` unless the caller is in one of
    ``groups`` (XML ids) and may read ``records``."""
    env = records.env
    if env.su:
        return
    if not any(env.user.has_group(group) for group in groups):
        raise AccessError(
            env._(
                "You are not allowed to use this function on %(model)s.",
                model=records._description,
            )
        )
    records.check_access("read")
