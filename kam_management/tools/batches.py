def in_chunks(model, domain, size=500):
    """Yield the records of ``domain`` in chunks of ``size``, ordered by id (keyset
    paging: each chunk is one indexed query, whatever the table size).

    Run by the scheduler, each chunk's work is committed and reported as progress
    after it is processed; called from elsewhere (tests, a button) nothing is
    committed."""
    last_id = 0
    in_cron = bool(model.env.context.get("ir_cron_progress_id"))
    while True:
        records = model.search(list(domain) + [("id", ">", last_id)], order="id", limit=size)
        if not records:
            return
        last_id = records[-1].id
        yield records
        if in_cron:
            model.env["ir.cron"]._commit_progress(len(records))
