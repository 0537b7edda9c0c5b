def open_record_action(res_model, res_id):
    """A window action that opens one record in its form, or False without one."""
    if not (res_model and res_id):
        return False
    return {
        "type": "ir.actions.act_window",
        "res_model": res_model,
        "res_id": res_id,
        "view_mode": "form",
        "views": [(False, "form")],
    }
