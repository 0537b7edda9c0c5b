import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models

DEFAULT_MAX_PER_IP = 10
DEFAULT_MAX_PER_EMAIL = 5
WINDOW = timedelta(hours=1)
RETENTION = timedelta(hours=24)


class KamPublicSubmission(models.Model):
    """Attempts on the login-free web forms, kept only to rate limit them.

    A row holds the form and a keyed hash of the IP address or e-mail address,
    never the address itself, and is purged after 24 hours. The records that
    the forms create (complaints, anonymous reports) hold no IP address."""

    _name = "kam.public.submission"
    _description = "Public form attempt (rate limiting)"
    _order = "id desc"
    _log_access = False

    form = fields.Char(required=True, readonly=True)
    key_hash = fields.Char(required=True, readonly=True, index=True)
    attempt_date = fields.Datetime(
        required=True, readonly=True, default=fields.Datetime.now, index=True
    )

    def _hash(self, form, kind, value):
        secret = self.env["ir.config_parameter"].sudo().get_param("database.secret") or ""
        message = f"{form}:{kind}:{value}".encode()
        return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()

    def _limit(self, kind, default):
        param = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param(f"kam_management.public_form_max_per_{kind}")
        )
        try:
            return int(param) if param else default
        except ValueError:
            return default

    @api.model
    def _register_attempt(self, form, ip=None, email=None):
        """Record an attempt on ``form``; False when the IP address or the
        e-mail address already made the maximum number of attempts in the last
        hour (``kam_management.public_form_max_per_ip`` / ``_per_email``)."""
        keys = []
        if ip:
            keys.append((self._hash(form, "ip", ip), self._limit("ip", DEFAULT_MAX_PER_IP)))
        if email:
            keys.append(
                (
                    self._hash(form, "email", email.lower()),
                    self._limit("email", DEFAULT_MAX_PER_EMAIL),
                )
            )
        if not keys:
            return True
        hashes = [key for key, _limit in keys]
        self.flush_model()
        # serialize concurrent attempts of the same sender
        for key in sorted(hashes):
            self.env.cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        self.env.cr.execute(
            """SELECT key_hash, count(*) FROM kam_public_submission
                WHERE key_hash = ANY(%s) AND attempt_date >= %s GROUP BY key_hash""",
            [hashes, fields.Datetime.now() - WINDOW],
        )
        counts = dict(self.env.cr.fetchall())
        if any(counts.get(key, 0) >= limit for key, limit in keys):
            return False
        self.sudo().create([{"form": form, "key_hash": key} for key in hashes])
        return True

    @api.model
    def _cron_purge(self):
        self.flush_model()
        self.env.cr.execute(
            "DELETE FROM kam_public_submission WHERE attempt_date < %s",
            [fields.Datetime.now() - RETENTION],
        )
