def schedule_once(records, activity_type, values_of):
    """Give each record one open activity of ``activity_type``, unless it already
    has one: one search and one create for the whole batch.

    ``values_of(record)`` returns the activity's user_id, date_deadline and
    summary, or None to skip the record. For one-off activities (the report to the
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
    return Activity.create(values_list)
