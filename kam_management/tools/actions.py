from odoo.exceptions import AccessError, UserError


def open_record_action(res_model, res_id, env=None):
    """A window action that opens one record in its form, or False without one.
    With ``env``: a clear error when its user may not open the record."""
    if not (res_model and res_id):
        return False
    if env is not None and (res_model, res_id) not in readable_links(env, [(res_model, res_id)]):
        raise AccessError(env._("You may not open this document; ask someone who works with it."))
    return {
        "type": "ir.actions.act_window",
        "res_model": res_model,
        "res_id": res_id,
        "view_mode": "form",
        "views": [(False, "form")],
    }


def readable_links(env, links):
    """The (model, id) pairs of ``links`` that the current user may open (read
    access rights and record rules): one check per model."""
    by_model = {}
    for model, res_id in links:
        if model in env and res_id:
            by_model.setdefault(model, set()).add(res_id)
    readable = set()
    for model, ids in by_model.items():
        if not env[model].has_access("read"):
            continue  # no access rights on the model at all
        records = env[model].browse(ids).exists()
        readable.update((model, record.id) for record in records if record.has_access("read"))
    return readable


def linked_names(records):
    """{(res_model, res_id): display name} of the documents that ``records`` point
    at through their res_model/res_id fields: one read per model, as superuser
    (a KAM officer may lack e.g. sales rights but must see which document a
    record is about; opening it still follows the user's own rights)."""
    env = records.env
    by_model = {}
    for record in records:
        if record.res_model in env and record.res_id:
            by_model.setdefault(record.res_model, set()).add(record.res_id)
    return {
        (model, linked.id): linked.display_name
        for model, ids in by_model.items()
        for linked in env[model].sudo().browse(ids).exists()
    }


def action_counts(env, field, records):
    """({record: number of actions}, {record: number of open actions}) of the
    kam.action records whose ``field`` points at ``records``: one grouped query."""
    groups = env["kam.action"]._read_group(
        [(field, "in", records.ids)], [field, "state"], ["__count"]
    )
    total, open_ = {}, {}
    for record, state, count in groups:
        total[record] = total.get(record, 0) + count
        if state == "open":
            open_[record] = open_.get(record, 0) + count
    return total, open_


def check_deletable_with_actions(records):
    """Refuse to delete action sources whose actions are done or judged: the
    actions would go with them (ondelete cascade) and they are evidence. Open
    actions may go; archive the source otherwise."""
    env = records.env
    field = records._kam_action_field
    kept = (
        env["kam.action"]
        .sudo()
        .search([(field, "in", records.ids), ("state", "!=", "open")], limit=1)
    )
    if kept:
        raise UserError(
            env._(
                "%(record)s has actions that are done or judged: they are kept as evidence. "
                "Archive it instead.",
                record=kept[field].display_name,
            )
        )
