from .languages import user_lang


def in_assignee_language(env, values_list):
    """``values_list`` of new activities with their texts in each assignee's
    language: a ``summary`` or ``note`` may be given as ``lambda env:
    env._("...")``, which is called with an environment in the language of the
    activity's ``user_id``. Plain strings stay as they are. The assignees are
    read in one go."""
    users = env["res.users"].browse({values.get("user_id") or env.uid for values in values_list})
    lang_envs, user_envs = {}, {}
    for user in users.sudo():
        lang = user_lang(user)
        if lang not in lang_envs:
            lang_envs[lang] = env(context=dict(env.context, lang=lang))
        user_envs[user.id] = lang_envs[lang]
    result = []
    for values in values_list:
        texts = [key for key in ("summary", "note") if callable(values.get(key))]
        if texts:
            lang_env = user_envs[values.get("user_id") or env.uid]
            values = dict(values, **{key: values[key](lang_env) for key in texts})
        result.append(values)
    return result


def schedule_once(records, activity_type, values_of):
    """Give each record one open activity of ``activity_type``, unless it already
    has one: one search and one create for the whole batch.

    ``values_of(record)`` returns the activity's user_id, date_deadline and
    summary (text or ``lambda env: env._(...)``, see ``in_assignee_language``),
    or None to skip the record. For one-off activities (the report to the
    authority, a new evaluation's evaluator); the daily reminders of dated duties
    follow the one rule of ``kam.periodic.duty`` instead."""
    if not records:
        return records.env["mail.activity"]
    Activity = records.env["mail.activity"].sudo().with_context(mail_activity_quick_update=True)
    has_one = set(
        Activity.search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("activity_type_id", "=", activity_type.id),
            ]
        ).mapped("res_id")
    )
    model_id = records.env["ir.model"]._get_id(records._name)
    values_list = []
    for record in records:
        if record.id in has_one:
            continue
        values = values_of(record)
        if values:
            values_list.append(
                dict(
                    values,
                    res_model_id=model_id,
                    res_id=record.id,
                    activity_type_id=activity_type.id,
                    automated=True,
                )
            )
    return Activity.create(in_assignee_language(records.env, values_list))
