"""The one periodic-duty job under concurrency and faults (issue 14).

On a copy of the demo database with 1,500 overdue actions (reminders and
escalations) and the demo suppliers due for their evaluation:

- two cron workers (two processes on the same database, Odoo's scheduler
  ``ir.cron._process_jobs``) start the job at the same moment;
- two processes call the job itself at the same moment (as a second server
  or a script would, without the scheduler);
- the job, run by the scheduler, is killed (SIGKILL) in the middle of a chunk
  and the scheduler runs it again.

Every time: each overdue action has exactly one reminder and at most one
escalation activity, every due action got its reminder (nothing lost), each
supplier has one evaluation for its period, and no process logs an error."""

import os
import signal
import subprocess
import time

import pytest

from conftest import KAMCTL, LOGDIR, RUN_ID, gate_lines, kamctl, pg_connect

ACTIONS = 1500

SETUP = """
import datetime
today = datetime.date.today()
company = env.ref("base.main_company")
env = env(context=dict(env.context, tracking_disable=True, mail_create_nolog=True))
case = env["kam.case"].create({
    "title": "Concurrency: many overdue actions",
    "case_type": "nonconformity",
    "company_id": company.id,
    "date_found": today - datetime.timedelta(days=60),
})
user = env.ref("base.user_admin")
env["kam.action"].create([
    {
        "name": f"Concurrency action {n}",
        "case_id": case.id,
        "user_id": user.id,
        "deadline": today - datetime.timedelta(days=2 + n % 20),
    }
    for n in range(__ACTIONS__)
])
Evaluation = env["kam.supplier.evaluation"]
for company in env["res.company"].search([]):
    if not Evaluation._cycle_ready(company):
        continue
    suppliers = env["purchase.order"].search(
        [("company_id", "=", company.id), ("state", "in", ("purchase", "done"))]
    ).partner_id.commercial_partner_id
    suppliers.with_company(company).write(
        {"kam_evaluation_frequency": "yearly", "kam_evaluation_next_date": today}
    )
env.cr.commit()
"""

SCHEDULER = """
import time
from odoo.addons.base.models.ir_cron import IrCron
start = float(__START__)
while time.time() < start:
    time.sleep(0.005)
env.cr.rollback()
IrCron._process_jobs(env.cr.dbname)
"""

DIRECT = """
import time
start = float(__START__)
while time.time() < start:
    time.sleep(0.005)
env.cr.rollback()
env["kam.periodic.duty"]._cron_kam_duties(batch_size=200)
env.cr.commit()
"""


def _shell(db, code, log_name):
    """An Odoo shell process running ``code`` on ``db`` (output in the log folder)."""
    log = (LOGDIR / log_name).open("w")
    proc = subprocess.Popen(
        [*KAMCTL, "odoo", "shell", "-d", db, "--no-http", "--log-level=info"],
        stdin=subprocess.PIPE,
        stdout=log,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    proc.stdin.write(code)
    proc.stdin.close()
    proc.log_path = LOGDIR / log_name
    proc.log_file = log
    return proc


def _wait(proc, timeout=600):
    rc = proc.wait(timeout=timeout)
    proc.log_file.close()
    text = proc.log_path.read_text()
    assert rc in (0, -signal.SIGKILL), text[-3000:]
    return text


@pytest.fixture
def duty_db(installed):
    """A fresh copy of the demo database with many due duties; every scheduled
    job but the periodic duties waits."""
    db = f"kam_cc_{RUN_ID}_{time.monotonic_ns() % 100000}"
    rc, out = kamctl("copy-db", installed["lifecycle_db"], db)
    assert rc == 0, out
    LOGDIR.mkdir(parents=True, exist_ok=True)
    text = _wait(_shell(db, SETUP.replace("__ACTIONS__", str(ACTIONS)), f"{db}-setup.log"))
    assert not gate_lines(text), gate_lines(text)
    with pg_connect(db) as conn, conn.cursor() as cr:
        cr.execute("UPDATE ir_cron SET nextcall = now() at time zone 'UTC' + interval '100 years'")
        cr.execute(
            "UPDATE ir_cron SET nextcall = now() at time zone 'UTC' - interval '1 minute',"
            " active = true WHERE id = (SELECT res_id FROM ir_model_data"
            " WHERE module = 'kam_management' AND name = 'ir_cron_kam_periodic_duties')"
        )
        cr.execute("DELETE FROM ir_cron_trigger")
    yield db
    kamctl("drop-db", db)


def _state(db):
    with pg_connect(db) as conn, conn.cursor() as cr:
        cr.execute(
            """SELECT count(*) FILTER (WHERE a.kam_duty_state = 'pending'),
                      count(*)
                 FROM kam_action a
                WHERE a.name LIKE 'Concurrency action %%' AND a.state = 'open'"""
        )
        pending, total = cr.fetchone()
        # activities of the job per record and type: never two
        cr.execute(
            """SELECT t.id, act.res_id, count(*)
                 FROM mail_activity act
                 JOIN mail_activity_type t ON t.id = act.activity_type_id
                 JOIN ir_model_data d ON d.model = 'mail.activity.type' AND d.res_id = t.id
                WHERE d.module = 'kam_management' AND act.res_model = 'kam.action'
                GROUP BY t.id, act.res_id HAVING count(*) > 1"""
        )
        duplicate_activities = cr.fetchall()
        cr.execute(
            """SELECT count(*) FROM kam_action a
                WHERE a.name LIKE 'Concurrency action %%' AND NOT EXISTS (
                    SELECT 1 FROM mail_activity act
                     JOIN ir_model_data d ON d.model = 'mail.activity.type'
                      AND d.res_id = act.activity_type_id
                     WHERE d.module = 'kam_management' AND d.name = 'mail_activity_kam_overdue'
                       AND act.res_model = 'kam.action' AND act.res_id = a.id)"""
        )
        without_reminder = cr.fetchone()[0]
        cr.execute(
            """SELECT partner_id, company_id, date_start, date_end, count(*)
                 FROM kam_supplier_evaluation
                GROUP BY 1, 2, 3, 4 HAVING count(*) > 1"""
        )
        duplicate_evaluations = cr.fetchall()
        cr.execute("SELECT count(*) FROM kam_supplier_evaluation")
        evaluations = cr.fetchone()[0]
    return {
        "pending": pending,
        "total": total,
        "duplicate_activities": duplicate_activities,
        "without_reminder": without_reminder,
        "duplicate_evaluations": duplicate_evaluations,
        "evaluations": evaluations,
    }


def _assert_complete(db, before_evaluations):
    state = _state(db)
    assert state["total"] == ACTIONS
    assert state["pending"] == 0, state
    assert state["without_reminder"] == 0, state
    assert state["duplicate_activities"] == [], state
    assert state["duplicate_evaluations"] == [], state
    assert state["evaluations"] > before_evaluations, "the supplier cycle ran"
    return state


def _evaluations(db):
    with pg_connect(db) as conn, conn.cursor() as cr:
        cr.execute("SELECT count(*) FROM kam_supplier_evaluation")
        return cr.fetchone()[0]


@pytest.mark.parametrize("runner", ["scheduler", "direct"])
def test_two_workers_at_once(duty_db, runner):
    before = _evaluations(duty_db)
    start = time.time() + 20  # both shells are up by then
    code = (SCHEDULER if runner == "scheduler" else DIRECT).replace("__START__", repr(start))
    procs = [_shell(duty_db, code, f"{duty_db}-{runner}-{n}.log") for n in (1, 2)]
    logs = [_wait(proc) for proc in procs]
    for text in logs:
        assert not gate_lines(text), gate_lines(text)
    _assert_complete(duty_db, before)


def test_killed_in_a_chunk_and_run_again(duty_db):
    before = _evaluations(duty_db)
    proc = _shell(duty_db, SCHEDULER.replace("__START__", "0"), f"{duty_db}-killed.log")
    # kill it once the first chunk is committed, while it works on the next
    deadline = time.time() + 300
    while time.time() < deadline:
        with pg_connect(duty_db) as conn, conn.cursor() as cr:
            cr.execute(
                "SELECT count(*) FROM kam_action WHERE name LIKE 'Concurrency action %%'"
                " AND kam_duty_state != 'pending'"
            )
            done = cr.fetchone()[0]
        if done:
            break
        time.sleep(0.05)
    os.killpg(proc.pid, signal.SIGKILL)
    _wait(proc)
    partial = _state(duty_db)
    assert 0 < partial["total"] - partial["pending"] < ACTIONS, partial
    assert partial["duplicate_activities"] == [], partial
    # the job stays due: the scheduler runs it again and finishes the work
    text = _wait(_shell(duty_db, SCHEDULER.replace("__START__", "0"), f"{duty_db}-again.log"))
    assert not gate_lines(text), gate_lines(text)
    _assert_complete(duty_db, before)


TRIGGER_ONCE = """
import datetime
from odoo import SUPERUSER_ID, api
cron = env.ref("kam_management.ir_cron_kam_action_owner_notices")
env.cr.execute("DELETE FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])
env.cr.commit()
env.cr.execute("SET lock_timeout = '5s'")  # a create that waited for the job fails
case = env["kam.case"].search([], limit=1)
owner = env["res.users"].search([("share", "=", False), ("id", "!=", env.uid)], limit=1)


def create():
    env["kam.action"].create({
        "name": "Trigger pin",
        "case_id": case.id,
        "user_id": owner.id,
        "deadline": case.date_found + datetime.timedelta(days=30),
    })
    env.cr.commit()


def triggers():
    with env.registry.cursor() as cr:
        cr.execute("SELECT count(*) FROM ir_cron_trigger WHERE cron_id = %s", [cron.id])
        return cr.fetchone()[0]


create()
first = triggers()
create()
second = triggers()
with env.registry.cursor() as job_cr:
    # the scheduler takes the job: its due triggers deleted in its own transaction
    api.Environment(job_cr, SUPERUSER_ID, {})["ir.cron"]._clear_schedule({"id": cron.id})
    create()
    taken = triggers()
    job_cr.rollback()
print("TRIGGERS", first, second, taken)
"""


def test_trigger_waits_once_and_not_behind_a_running_job(installed):
    """Actions made one after the other share the trigger that waits for the owner
    notices job (``core_shortcuts.trigger_soon``), and one made while the scheduler
    has taken the job (deleted its due triggers in the job's transaction, not yet
    committed) neither waits for the job nor relies on it: it adds its own trigger."""
    db = f"kam_tr_{RUN_ID}_{time.monotonic_ns() % 100000}"
    rc, out = kamctl("copy-db", installed["lifecycle_db"], db)
    assert rc == 0, out
    try:
        LOGDIR.mkdir(parents=True, exist_ok=True)
        text = _wait(_shell(db, TRIGGER_ONCE, f"{db}-trigger.log"), timeout=300)
        assert not gate_lines(text), gate_lines(text)
        counts = [line for line in text.splitlines() if line.startswith("TRIGGERS")]
        assert counts == ["TRIGGERS 1 1 2"], text[-3000:]
    finally:
        kamctl("drop-db", db)
