import hashlib
import hmac
from datetime import timedelta

from odoo import api, fields, models
from odoo.modules import module

DEFAULT_MAX_PER_IP = 10
DEFAULT_MAX_PER_EMAIL = 5
WINDOW = timedelta(hours=1)
RETENTION = timedelta(hours=24)


class KamPublicSubmission(models.Model):
    """Attempts on the login-free web forms, kept only to rate limit them.

    A row holds the form, a keyed hash of the IP address or e-mail address
    (never the address itself) and the hour of the attempt (never its second,
    which would match the report), and is purged after 24 hours. The records that
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
        if module.current_test:
            # Odoo's test runner: every request shares the test's transaction, so
            # a separate one would escape its rollback (and see nothing of it)
            self.flush_model()
            allowed = self._kam_count_and_insert(self.env.cr, form, keys, hashes)
            self.invalidate_model()
            return allowed
        # a transaction of its own, in READ COMMITTED: the lock is taken before
        # the rows are counted, and each statement sees what was committed
        # before it. The request's own transaction took its (REPEATABLE READ)
        # snapshot long before: counted there, concurrent attempts stay invisible.
        # Committed at once, so the lock is held only for the count and insert,
        # and a request that fails later still counts as an attempt.
        with self.env.registry.cursor() as cr:
            cr.execute("SET TRANSACTION ISOLATION LEVEL READ COMMITTED")
            return self._kam_count_and_insert(cr, form, keys, hashes)

    def _kam_count_and_insert(self, cr, form, keys, hashes):
        """Serialize the attempts of the same senders (advisory locks, released
        at the end of the transaction), count their attempts of the last hour
        and record this one unless a limit is reached. Plain SQL on ``cr``."""
        for key in sorted(hashes):
            cr.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [key])
        # attempts are stored to the hour (no time that matches a report's
        # second); the hour before the last counts whole: a window of 1 to 2 hours
        bucket = self._kam_bucket(fields.Datetime.now())
        cr.execute(
            """SELECT key_hash, count(*) FROM kam_public_submission
                WHERE key_hash = ANY(%s) AND attempt_date >= %s GROUP BY key_hash""",
            [hashes, bucket - WINDOW],
        )
        counts = dict(cr.fetchall())
        if any(counts.get(key, 0) >= limit for key, limit in keys):
            return False
        cr.execute(
            """INSERT INTO kam_public_submission (form, key_hash, attempt_date)
                SELECT %s, unnest(%s::varchar[]), %s""",
            [form, hashes, bucket],
        )
        return True

    @api.model
    def _kam_bucket(self, moment):
        """``moment`` rounded down to the hour: the time an attempt is stored with."""
        return moment.replace(minute=0, second=0, microsecond=0)

    @api.model
    def _cron_purge(self):
        self.flush_model()
        self.env.cr.execute(
            "DELETE FROM kam_public_submission WHERE attempt_date < %s",
            [fields.Datetime.now() - RETENTION],
        )
