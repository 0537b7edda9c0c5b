"""The only place where kam_management reaches into Odoo's private internals.

Each shortcut saves queries on a hot path (creating cases one by one or in
bulk) and each is pinned by ``tests/test_core_shortcuts.py``: an Odoo update
that changes these internals fails a test instead of corrupting numbering or
losing followers.

- ``next_references``: a batch of sequence numbers in one query
  (``ir.sequence._get_current_sequence``, ``_get_prefix_suffix`` and the
  PostgreSQL sequence naming of ``ir.sequence``);
- ``insert_followers`` / ``subscribe_missing``: followers of many records in one
  insert, the second for the (document, partner) pairs that do not follow yet
  (``mail.followers._insert_followers``, the default subtypes of
  ``message_subscribe``);
- ``log_notes``: the "created" notes of a batch without ``mail.thread``'s
  reply-to lookup (``mail.thread._message_create``);
- ``lazy_parts``: the source text, module and arguments of a lazy translation
  (``odoo.tools.translate.LazyGettext``), so the management review can freeze a
  label once and translate it into any language later;
- ``hide_client_address``: no client IP address in the access log line of the
  anonymous pages (``odoo.service.server.CommonRequestHandler``, werkzeug's
  ``WSGIRequestHandler.address_string``/``log``);
- ``as_download``: a file response always sent as ``attachment`` (``odoo.http.Stream``,
  whose ``get_response`` the ``/web/content`` route calls with ``as_attachment``
  from its ``download`` parameter);
- ``insert_activities``: the reminders of a chunk of dated duties in one
  ``INSERT`` (the columns of ``mail.activity``, ``Field.convert_to_column_insert``,
  ``Environment.protecting``, ``BaseModel.modified``, ``res.users._bus_send``), as
  long as ``mail.activity.create`` is mail's own;
- ``activity_rows`` / ``activity_state_of``: the activities of a page of records in one
  query (the columns of ``mail_activity``, ``mail.activity``'s order, the assignee's time
  zone stored on the activity) and an activity's state
  (``mail.activity._compute_state_from_date``), from which ``kam.activity.mixin``
  computes the activity fields of a list page; pinned by ``tests/test_activity_list.py``
  against ``mail.activity.mixin``'s own values;
- ``read_format``: ``BaseModel._read_format`` for a page of records whose plain values
  (boolean, date, datetime, selection, untranslated char and text, and many2one ids) are
  taken from the field's cache in one pass per column (``Field._get_cache``, the cache
  formats of these fields, ``Field.__get__``'s access check and cache miss); pinned by
  ``tests/test_page_read.py`` against ``BaseModel._read_format``, value by value;
- ``trigger_soon``: a job run right after the commit (``ir.cron._trigger``) without a
  new trigger, its wake-up connection and notice when one is already waiting for the
  job (the ``ir_cron_trigger`` table, and the scheduler deleting a job's due triggers in
  its own transaction when it takes the job, ``ir.cron._clear_schedule``); pinned by
  ``tests/test_core_shortcuts.py`` and, with a job taking the triggers at that moment,
  by ``tests/test_cron_concurrency.py``;
- ``unlink_as_uninstall``: records deleted as Odoo deletes them while
  uninstalling a module (``ir_model.MODULE_UNINSTALL_FLAG``: the
  ``@api.ondelete(at_uninstall=False)`` checks are skipped), for the records
  Odoo made itself for the module's demo company (``hooks.py``).
"""

from collections import defaultdict

from markupsafe import escape

from odoo import fields
from odoo.exceptions import MissingError
from odoo.http import Stream
from odoo.models import LOG_ACCESS_COLUMNS
from odoo.tools import SQL
from odoo.tools.misc import clean_context

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG


def next_references(sequence, date, count):
    """``count`` references of ``sequence`` (an ``ir.sequence``) for ``date``:
    one ``nextval`` query for the whole batch instead of one per record, and
    plain SQL for the date range. Sequences that are not of the standard
    implementation (no gaps) go through ``next_by_id`` one by one."""
    env = sequence.env
    sequence = sequence.sudo()
    # the columns used here, not the whole row
    sequence.fetch(["implementation", "use_date_range", "prefix", "suffix", "padding"])
    if sequence.implementation != "standard":
        return [sequence.next_by_id(sequence_date=date) for _i in range(count)]
    range_start = False
    pg_sequence = f"ir_sequence_{sequence.id:03d}"
    if sequence.use_date_range:
        env.cr.execute(
            SQL(
                "SELECT id, date_from FROM ir_sequence_date_range"
                " WHERE sequence_id = %s AND date_from <= %s AND date_to >= %s LIMIT 1",
                sequence.id,
                date,
                date,
            )
        )
        row = env.cr.fetchone()
        if not row:  # first number of the period: let Odoo create the date range
            date_range = sequence._get_current_sequence(date)
            row = (date_range.id, date_range.date_from)
        range_id, range_start = row
        pg_sequence = f"ir_sequence_{sequence.id:03d}_{range_id:03d}"
    env.cr.execute(SQL("SELECT nextval(%s) FROM generate_series(1, %s)", pg_sequence, count))
    numbers = [row[0] for row in env.cr.fetchall()]
    prefix, suffix = sequence._get_prefix_suffix(date=date, date_range=range_start)
    return [f"{prefix}{number:0{sequence.padding}d}{suffix}" for number in numbers]


# the modules whose create() of mail.followers / mail.message the inserts below
# stand in for; when another installed module overrides one, the ORM runs instead
FOLLOWERS_CREATE_MODULES = ("odoo.addons.mail.models.mail_followers", "odoo.orm.models")
MESSAGE_CREATE_MODULES = ("odoo.addons.mail.models.mail_message", "odoo.orm.models")


def create_is_own(env, model, modules):
    """True when no installed module overrides ``model``'s ``create()`` beyond
    ``modules`` (and ``model`` has no stored computed column a plain insert
    would leave empty)."""
    Model = env[model]
    return all(
        cls.__module__ in modules for cls in type(Model).__mro__ if "create" in vars(cls)
    ) and not any(
        field.store and field.compute and field.column_type for field in Model._fields.values()
    )


def _insert_rows(Model, rows):
    """Insert ``rows`` (dicts of column values, the same keys in each) into the
    table of ``Model`` in one statement, as ``create()`` would store them (values
    converted by their fields), and mark what depends on the new records as a
    create does. Returns the new records."""
    env, model_fields = Model.env, Model._fields
    names = sorted(rows[0])
    env.cr.execute(
        SQL(
            "INSERT INTO %s (%s) VALUES %s RETURNING id",
            SQL.identifier(Model._table),
            SQL(", ").join(map(SQL.identifier, names)),
            SQL(", ").join(
                SQL(
                    "(%s)",
                    SQL(", ").join(
                        model_fields[name].convert_to_column_insert(row[name], Model, row)
                        for name in names
                    ),
                )
                for row in rows
            ),
        )
    )
    records = Model.browse([row_id for (row_id,) in env.cr.fetchall()])
    protected = [model_fields[name] for name in names]
    with env.protecting(protected, records):
        records.modified(names, create=True)
    return records


def insert_followers(records, partners):
    """``partners`` follow every record of ``records`` with the default subtypes
    (as ``message_subscribe`` gives them to internal partners): one insert of the
    followers and one of their subtypes, no check for existing followers (the
    records are new). ``mail.followers.create`` updates the inverse cache of every
    mail.thread model's followers per row in Python (``Many2oneReference``):
    a fifth of a batch of new actions; here the documents' follower fields are
    invalidated once, as mail.followers.create does."""
    if not records or not partners:
        return
    _insert_follower_pairs(
        records.env,
        records._name,
        [(res_id, partner_id) for res_id in records.ids for partner_id in partners.ids],
    )


def subscribe_missing(env, model, pairs):
    """The (document id, partner id) ``pairs`` of ``model`` that are no follower yet
    become one, as ``message_subscribe`` subscribes internal partners (the default
    subtypes; existing followers keep theirs): one query for the existing followers
    of all pairs, then ``insert_followers``' two inserts, instead of a subscribe per
    partner whose ``mail.followers.create`` was half of the overdue job."""
    pairs = set(pairs)
    if not pairs:
        return
    env["mail.followers"].flush_model(["res_model", "res_id", "partner_id"])
    existing = env.execute_query(
        SQL(
            """SELECT res_id, partner_id FROM mail_followers
                WHERE res_model = %s AND res_id = ANY(%s) AND partner_id = ANY(%s)""",
            model,
            sorted({res_id for res_id, _partner in pairs}),
            sorted({partner_id for _res_id, partner_id in pairs}),
        )
    )
    _insert_follower_pairs(env, model, sorted(pairs - set(map(tuple, existing))))


def _insert_follower_pairs(env, model, pairs):
    if not pairs:
        return
    Followers = env["mail.followers"].sudo().with_context(default_partner_id=False)
    if not create_is_own(env, "mail.followers", FOLLOWERS_CREATE_MODULES):
        by_partner = defaultdict(list)
        for res_id, partner_id in pairs:
            by_partner[partner_id].append(res_id)
        for partner_id, res_ids in by_partner.items():
            Followers._insert_followers(
                model, res_ids, [partner_id], subtypes=None, customer_ids=[], check_existing=False
            )
        return
    subtypes = env["mail.message.subtype"].default_subtypes(model)[0]
    rows = [
        {"res_model": model, "res_id": res_id, "partner_id": partner_id}
        for res_id, partner_id in pairs
    ]
    followers = _insert_rows(Followers, rows)
    if subtypes:
        env.cr.execute(
            SQL(
                "INSERT INTO mail_followers_mail_message_subtype_rel"
                " (mail_followers_id, mail_message_subtype_id) VALUES %s",
                SQL(", ").join(
                    SQL("(%s, %s)", follower_id, subtype_id)
                    for follower_id in followers.ids
                    for subtype_id in subtypes.ids
                ),
            )
        )
        followers.modified(["subtype_ids"])
    Followers._invalidate_documents(rows)
    env[model].browse({res_id for res_id, _partner in pairs}).invalidate_recordset(
        ["message_follower_ids", "message_partner_ids"]
    )


def log_notes(records, body_of):
    """One internal note per record (``body_of(record)``, plain text), authored by
    the current user, created for the whole batch at once. An internal note is
    never mailed, so unlike ``message_post`` it skips the reply-to (catchall
    alias, company) lookup, the most expensive part of a new record's chatter.
    The notes are inserted in one statement with the values ``mail.message.create``
    gives them (``mail.message.create`` updates the inverse cache of every
    mail.thread model's messages per row in Python: more than half of a batch of
    new actions); the documents' message fields are invalidated as it does."""
    if not records:
        return records.env["mail.message"]
    env = records.env
    author_id = env.user.partner_id.id
    subtype_id = env["ir.model.data"]._xmlid_to_res_id("mail.mt_note")
    vals_list = [
        {
            "author_id": author_id,
            "email_from": False,  # shown through author_id; a note is never mailed
            "reply_to": False,
            "model": records._name,
            "res_id": record.id,
            "message_type": "notification",
            "is_internal": True,
            "subtype_id": subtype_id,
            "email_add_signature": False,
            "body": escape(body_of(record)),
        }
        for record in records
    ]
    Message = env(context=clean_context(env.context))["mail.message"].sudo()
    if not create_is_own(env, "mail.message", MESSAGE_CREATE_MODULES):
        return records.sudo()._message_create(vals_list)
    columns = [
        name
        for name, field in Message._fields.items()
        if field.store and field.column_type and name != "id" and name not in LOG_ACCESS_COLUMNS
    ]
    defaults = Message.default_get([name for name in columns if name not in vals_list[0]])
    now, uid = env.cr.now(), env.uid
    rows = [
        {
            **defaults,
            **vals,
            "message_id": Message._get_message_id(vals),
            "create_uid": uid,
            "create_date": now,
            "write_uid": uid,
            "write_date": now,
        }
        for vals in vals_list
    ]
    messages = _insert_rows(Message, rows)
    records.invalidate_recordset(
        ["message_ids", "message_needaction", "message_needaction_counter"]
    )
    return messages.with_env(env)


def lazy_parts(lazy):
    """(source text, module, arguments) of a lazy translation (``_lt("...")``);
    ``lazy_translation(*parts)`` makes it again."""
    return lazy._source, lazy._module, lazy._args or None


def lazy_translation(source, module, args=None):
    """The lazy translation of ``source`` in ``module`` (``env._(...)`` translates
    it into the language of ``env``)."""
    from odoo.tools.translate import LazyGettext  # noqa: PLC0415

    if isinstance(args, dict):
        return LazyGettext(source, _module=module, **args)
    return LazyGettext(source, *(args or ()), _module=module)


def hide_client_address(*prefixes):
    """The access log line (werkzeug's ``"<address> - - [date] "POST /path" 200"``)
    of a request whose path starts with one of ``prefixes`` shows ``-`` instead
    of the client's IP address. Odoo's threaded and prefork servers both log
    through ``CommonRequestHandler``; werkzeug's ``log`` asks ``address_string``."""
    from odoo.service.server import CommonRequestHandler  # noqa: PLC0415

    hidden = getattr(CommonRequestHandler, "_kam_hidden_prefixes", None)
    if hidden is None:
        hidden = CommonRequestHandler._kam_hidden_prefixes = set()
        original = CommonRequestHandler.address_string

        def address_string(self):
            path = getattr(self, "path", None) or ""
            if path.startswith(tuple(CommonRequestHandler._kam_hidden_prefixes)):
                return "-"
            return original(self)

        CommonRequestHandler.address_string = address_string
    hidden.update(prefixes)


class _DownloadStream(Stream):
    """A stream sent as a download whatever the route asks."""

    def get_response(self, as_attachment=None, **kwargs):
        return super().get_response(as_attachment=True, **kwargs)


def as_download(stream):
    """``stream`` (an ``odoo.http.Stream``) that is always sent with
    ``Content-Disposition: attachment``: the browser saves the file and never
    shows it on the Odoo origin."""
    return _DownloadStream(**stream.__dict__)


# the modules whose create() of mail.activity insert_activities() stands in for
ACTIVITY_CREATE_MODULES = ("odoo.addons.mail.models.mail_activity", "odoo.orm.models")


def activity_create_is_mails(env):
    """True when no installed module overrides ``mail.activity.create`` beyond mail
    itself (insert_activities() then does what it would do)."""
    return all(
        cls.__module__ in ACTIVITY_CREATE_MODULES
        for cls in type(env["mail.activity"]).__mro__
        if "create" in vars(cls)
    )


def xmlid_to_res_id(env, xmlid):
    """The id of the record ``xmlid`` names, from ``ir.model.data``'s registry cache
    (``ir.model.data._xmlid_to_res_id``): unlike ``env.ref`` no query to check that
    the record exists, for records the module's own data creates and never deletes
    (activity types, crons). Raises ``ValueError`` for an unknown ``xmlid``."""
    return env["ir.model.data"]._xmlid_to_res_id(xmlid, raise_if_not_found=True)


def insert_activities(env, vals_list, subscribed=False):
    """Create automated activities that notify nobody (what ``mail.activity.create``
    does with ``mail_activity_quick_update``) in one ``INSERT``: the same rows, the
    assignees following the documents, the assignees' activity counters updated.

    ``mail.activity.create`` costs about half a millisecond per activity in Python
    (a new record each to precompute ``res_model``, the inverse cache update per
    document, defaults per record): three quarters of the overdue job. Here the
    defaults are read once, ``res_model``, ``res_name``, ``user_tz`` and
    ``date_done`` are filled from what is known, and the other computed columns
    (added by other modules) are computed by the ORM after the insert.

    ``vals_list``: ``res_model_id``, ``res_id``, ``activity_type_id``, ``user_id``,
    ``date_deadline``, optionally ``res_model`` (the model's name, saves reading
    ``ir.model``), ``summary``, ``note``, ``res_name``, ``automated``... (column
    values; texts already in the assignee's language). ``subscribed``: the assignees
    follow the documents already (the caller has just subscribed them); they are
    not subscribed again. When another module overrides ``mail.activity.create``,
    its create() runs instead."""
    Activity = env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
    if not vals_list:
        return Activity
    if not activity_create_is_mails(env):
        return Activity.create(vals_list)
    model_fields = Activity._fields
    columns = [
        name
        for name, field in model_fields.items()
        if field.store and field.column_type and name != "id" and name not in LOG_ACCESS_COLUMNS
    ]
    # the defaults of the columns that some activity lacks, once (not per activity)
    defaults = Activity.default_get(
        [
            name
            for name in columns
            if not model_fields[name].compute and not all(name in vals for vals in vals_list)
        ]
    )
    users = env["res.users"].sudo().browse({vals["user_id"] for vals in vals_list})
    # only the columns needed (the users' partners and their time zones), not whole rows
    users.fetch(["partner_id"])
    users.partner_id.fetch(["tz"])
    tz_of = {user.id: user.partner_id.tz for user in users}
    model_of = {
        vals["res_model_id"]: vals["res_model"] for vals in vals_list if "res_model" in vals
    }
    model_of.update(
        (model.id, model.model)
        for model in env["ir.model"]
        .sudo()
        .browse({vals["res_model_id"] for vals in vals_list} - set(model_of))
    )
    names = defaultdict(dict)  # res_name computed only where the caller gave none
    for vals in vals_list:
        if "res_name" not in vals:
            names[model_of[vals["res_model_id"]]][vals["res_id"]] = False
    for model, by_id in names.items():
        for record in env[model].sudo().browse(list(by_id)):
            by_id[record.id] = record.display_name
    now, uid = env.cr.now(), env.uid
    rows = []
    for vals in vals_list:
        unknown = set(vals) - set(columns)
        if unknown:
            raise ValueError(f"insert_activities: not a column of mail.activity: {unknown}")
        model = model_of[vals["res_model_id"]]
        rows.append(
            {
                **defaults,
                "res_model": model,
                "res_name": names[model].get(vals["res_id"], False),
                "user_tz": tz_of[vals["user_id"]],
                "date_done": False,
                "create_uid": uid,
                "create_date": now,
                "write_uid": uid,
                "write_date": now,
                **vals,
            }
        )
    given = sorted(set().union(*rows))
    env.cr.execute(
        SQL(
            "INSERT INTO mail_activity (%s) VALUES %s RETURNING id",
            SQL(", ").join(map(SQL.identifier, given)),
            SQL(", ").join(
                SQL(
                    "(%s)",
                    SQL(", ").join(
                        model_fields[name].convert_to_column_insert(row.get(name), Activity, row)
                        for name in given
                    ),
                )
                for row in rows
            ),
        )
    )
    activities = Activity.browse([row_id for (row_id,) in env.cr.fetchall()])
    # what depends on the new activities (the documents' activity fields, other
    # modules' computed columns of mail.activity) is computed as after a create
    protected = [model_fields[name] for name in given if name in model_fields]
    with env.protecting(protected, activities):
        activities.modified(list(model_fields), create=True)
    # a set: one assignee may get two activities on one document (a reminder and
    # an escalation), and is subscribed once
    partner_of = {user.id: user.partner_id.id for user in users}
    by_document = defaultdict(set)
    for row in rows:
        by_document[row["res_model"]].add((row["res_id"], partner_of[row["user_id"]]))
    for model, pairs in by_document.items():
        env[model].browse({res_id for res_id, _partner in pairs}).invalidate_recordset(
            ["activity_ids"]
        )
        if not subscribed:
            subscribe_missing(env, model, pairs)
    today = fields.Date.today()
    todo = defaultdict(int)
    for row in rows:
        if row.get("active", True) and fields.Date.to_date(row["date_deadline"]) <= today:
            todo[row["user_id"]] += 1
    for user_id, count in todo.items():
        users.browse(user_id)._bus_send(
            "mail.activity/updated", {"activity_created": True, "count_diff": count}
        )
    return activities


def activity_rows(records):
    """The activities of ``records`` (a ``mail.activity.mixin`` recordset of real
    records), archived ones included, read in one query in ``mail.activity``'s order
    (``date_deadline, id``): ``{res_id: [row, ...]}`` with ``row`` = (id, date_deadline,
    summary, activity_type_id, icon, decoration_type, user_id, the assignee's time
    zone). No access check: the caller keeps the rows of the activities the user reads
    (``activity_ids``).

    What it relies on: the columns of ``mail_activity`` / ``mail_activity_type``, the
    assignee's time zone stored on the activity (``user_tz``, related to the user's, which
    ``mail.activity._compute_state`` reads), and ``mail.activity``'s ``_order``;
    ``tests/test_activity_list.py`` pins the values computed from these rows to the ones
    ``mail.activity.mixin`` computes."""
    env = records.env
    env["mail.activity"].flush_model(
        ["res_model", "res_id", "active", "date_deadline", "summary", "activity_type_id"]
        + ["user_id", "user_tz"]
    )
    env["mail.activity.type"].flush_model(["icon", "decoration_type"])
    rows = env.execute_query(
        SQL(
            """SELECT a.res_id, a.id, a.date_deadline, a.summary, a.activity_type_id, t.icon,
                      t.decoration_type, a.user_id, a.user_tz
                 FROM mail_activity a
                 LEFT JOIN mail_activity_type t ON t.id = a.activity_type_id
                WHERE a.res_model = %s AND a.res_id = ANY(%s)
                ORDER BY a.date_deadline, a.id""",
            records._name,
            list(records._ids),
        )
    )
    by_record = defaultdict(list)
    for res_id, *row in rows:
        by_record[res_id].append(tuple(row))
    return by_record


def activity_state_of(env, date_deadline, tz):
    """The state of an open activity due ``date_deadline`` for an assignee in time zone
    ``tz`` (``mail.activity._compute_state_from_date``): overdue, today or planned."""
    return env["mail.activity"]._compute_state_from_date(date_deadline, tz)


def unlink_as_uninstall(records):
    """Delete ``records`` as a module uninstall does: without the checks that
    only guard users' deletions (``@api.ondelete(at_uninstall=False)``)."""
    records.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()


_MISSING = object()


def _read_from_cache(field, load):
    """Whether ``read`` gives the cache value of ``field`` itself (``None`` read as
    False): ``Field.convert_to_record`` and ``convert_to_read`` change nothing for these
    types, and a many2one read without display names (``load=None``, as ``web_read``
    reads) is the id the cache holds."""
    if field.type == "many2one":
        return load is None
    if field.type in ("char", "text"):
        return not field.translate
    return field.type in ("boolean", "date", "datetime", "selection")


def read_format(records, fnames, load, stock_read_format):
    """``records._read_format(fnames, load)`` (``stock_read_format``: the ORM's) with the
    plain columns taken from the cache in one pass per column, instead of one
    ``record[name]`` per cell (its access check, pending computations and conversions,
    about 1.1 microseconds a cell, 1,760 cells on a list page of 80 rows and 22 columns).

    Per column: the first row is read as the ORM reads it (the user's field access is
    checked, and the cache filled for the whole page: fetch, prefetch or compute); the
    other rows come from the cache; a row missing from the cache is read as the ORM reads
    it (a deleted record is left out, as ``_read_format`` does). Columns with pending
    computations, properties and the other types go through the ORM, cell by cell."""
    fields_ = [records._fields[name] for name in fnames]
    if not records or any(field.type == "properties" for field in fields_):
        return stock_read_format(fnames, load)
    env = records.env
    use_display_name = load == "_classic_read"
    data = [(record, {"id": record.id}) for record in records]
    for field in fields_:
        name, convert = field.name, field.convert_to_read
        from_cache = _read_from_cache(field, load) and not (
            field.compute and field.store and env.records_to_compute(field)
        )
        field_cache = None
        for record, vals in data:
            if not vals:  # missing record
                continue
            if field_cache is not None:
                value = field_cache.get(record._ids[0], _MISSING)
                if value is not _MISSING:
                    vals[name] = False if value is None else value
                    continue
            try:
                vals[name] = convert(record[name], record, use_display_name)
            except MissingError:
                vals.clear()
                continue
            if from_cache and field_cache is None:
                field_cache = field._get_cache(env)
    return [vals for _record, vals in data if vals]


def trigger_soon(cron):
    """Have ``cron`` run as soon as a cron worker is free, as ``cron._trigger()`` does,
    but without a new trigger when one is already due and waiting: on a busy hour every
    new action (and every complaint) asked for its own trigger, and each trigger wakes
    the cron workers through a connection of its own after the commit, a fifth of the
    time of creating an action.

    A due trigger that a job has taken is not waiting: the scheduler deletes the due
    triggers of a job in its own transaction when it starts the job, and keeps them
    locked until the job ends; this transaction may already be too late for that run,
    so it skips the locked rows (``SKIP LOCKED``) and adds a trigger of its own. The row
    found stays locked until this transaction ends (a job starting then waits for it)."""
    cron.ensure_one()
    env = cron.env
    waiting = env.execute_query(
        SQL(
            """SELECT id FROM ir_cron_trigger
                WHERE cron_id = %s AND call_at <= (clock_timestamp() AT TIME ZONE 'UTC')
                LIMIT 1 FOR UPDATE SKIP LOCKED""",
            cron.id,
        )
    )
    if waiting:
        return env["ir.cron.trigger"].sudo().browse(waiting[0][0])
    cron = cron.sudo()
    cron.fetch(["active"])  # what _trigger reads, not the whole server action
    return cron._trigger()
