"""Install (with and without demo data), update and uninstall, each with a clean log.

Uninstall runs on the database without demo data: the demo's confirmed orders
create stock moves (records without an XML id) that keep the demo products, so
Odoo can only archive those products and logs the refused deletes."""

import subprocess

from conftest import KAMCTL, LOGDIR, gate_lines, kamctl, pg_connect

CASES = 10_000

# 10,000 cases (with a customer, an owner, a sale order on some) and 2,000
# actions, the way the bulk paths create them
BULK = """
import datetime
env = env(context=dict(env.context, tracking_disable=True))
today = datetime.date.today()
partners = env["res.partner"].search([("customer_rank", ">", 0)], limit=20) or env[
    "res.partner"
].search([], limit=20)
users = env["res.users"].search([("share", "=", False)], limit=5)
orders = env["sale.order"].search([], limit=10)
types = ["nonconformity", "complaint", "incident", "improvement"]
for start in range(0, __CASES__, 2000):
    cases = env["kam.case"].create([
        {
            "title": f"Update test case {n}",
            "case_type": types[n % 4],
            "partner_id": partners[n % len(partners)].id,
            "user_id": users[n % len(users)].id,
            "date_found": today - datetime.timedelta(days=n % 300),
        }
        for n in range(start, min(start + 2000, __CASES__))
    ])
    env["kam.action"].create([
        {
            "name": f"Update test action {case.id}",
            "case_id": case.id,
            "user_id": case.user_id.id,
            "deadline": today + datetime.timedelta(days=30),
        }
        for case in cases[:400]
    ])
    env.cr.commit()
"""


def _snapshot(db):
    """{table: (rows, checksum)} of every table of the module (kam_*) and of its
    records in shared tables (followers, messages, attachments, activities, XML
    ids); the checksum covers every column but the write date and writer."""
    result = {}
    with pg_connect(db) as conn, conn.cursor() as cr:
        cr.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_type = 'BASE TABLE' AND table_name LIKE 'kam\\_%' ORDER BY 1"
        )
        for (table,) in cr.fetchall():
            cr.execute(
                "SELECT string_agg(quote_ident(column_name), ', ' ORDER BY column_name)"
                " FROM information_schema.columns WHERE table_schema = 'public'"
                " AND table_name = %s AND column_name NOT IN ('write_date', 'write_uid')",
                [table],
            )
            columns = cr.fetchone()[0]
            cr.execute(
                f"SELECT count(*), md5(coalesce(string_agg(t::text, '|' ORDER BY t::text), ''))"
                f" FROM (SELECT {columns} FROM {table}) t"  # noqa: S608 (names from the catalog)
            )
            result[table] = cr.fetchone()
        for table, column in (
            ("mail_followers", "res_model"),
            ("mail_message", "model"),
            ("ir_attachment", "res_model"),
            ("mail_activity", "res_model"),
        ):
            cr.execute(
                f"SELECT {column}, count(*) FROM {table} WHERE {column} LIKE 'kam.%%'"  # noqa: S608
                f" GROUP BY 1 ORDER BY 1"
            )
            result[table] = cr.fetchall()
        cr.execute(
            "SELECT model, count(*) FROM ir_model_data WHERE module = 'kam_management'"
            " GROUP BY 1 ORDER BY 1"
        )
        result["ir_model_data"] = cr.fetchall()
    return result


def test_install_without_demo_has_a_clean_log(installed_nodemo):
    assert installed_nodemo["rc"] == 0, installed_nodemo["log"][-3000:]
    assert not gate_lines(installed_nodemo["log"]), gate_lines(installed_nodemo["log"])
    assert "Module kam_management: loading demo" not in installed_nodemo["log"]


def test_install_with_demo_has_a_clean_log(installed):
    assert installed["rc"] == 0, installed["log"][-3000:]
    assert not gate_lines(installed["log"]), gate_lines(installed["log"])
    assert "Module kam_management: loading demo" in installed["log"]


def test_demo_company_is_believable(installed):
    with pg_connect(installed["db"]) as conn, conn.cursor() as cr:
        cr.execute("SELECT count(*) FROM hr_employee WHERE active")
        assert cr.fetchone()[0] >= 8
        cr.execute("SELECT count(*) FROM hr_department")
        assert cr.fetchone()[0] >= 5
        cr.execute("SELECT count(*) FROM sale_order WHERE state = 'sale'")
        assert cr.fetchone()[0] >= 2
        cr.execute("SELECT count(*) FROM purchase_order WHERE state = 'purchase'")
        assert cr.fetchone()[0] >= 2
        cr.execute("SELECT count(*) FROM kam_case WHERE is_closed")
        assert cr.fetchone()[0] >= 1, "the demo pipeline has a closed nonconformity"
        cr.execute("SELECT count(*) FROM kam_action WHERE state = 'done'")
        assert cr.fetchone()[0] >= 1, "the demo pipeline has an action awaiting verification"
        cr.execute("SELECT count(*) FROM res_company")
        assert cr.fetchone()[0] >= 2
        cr.execute(
            "SELECT login FROM res_users WHERE login IN %s",
            [("medewerker", "kamcoordinator", "directeur", "klant")],
        )
        assert len(cr.fetchall()) == 4


def test_update_has_a_clean_log(installed):
    """``-u kam_management`` on the demo database with 10,000 more cases: a clean
    log, and every record and link of the module unchanged (row counts and
    checksums of every kam_* table, its followers, messages, attachments,
    activities and XML ids)."""
    db = installed["lifecycle_db"]
    bulk = subprocess.run(
        [*KAMCTL, "odoo", "shell", "-d", db, "--no-http"],
        input=BULK.replace("__CASES__", str(CASES)),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        timeout=1200,
        check=False,
    )
    (LOGDIR / "update-bulk.log").write_text(bulk.stdout)
    assert bulk.returncode == 0, bulk.stdout[-3000:]
    assert not gate_lines(bulk.stdout), gate_lines(bulk.stdout)
    before = _snapshot(db)
    assert before["kam_case"][0] >= CASES
    rc, log = kamctl(
        "odoo",
        "-d",
        db,
        "-u",
        "kam_management",
        "--stop-after-init",
        "--no-http",
        log_name="update.log",
    )
    assert rc == 0, log[-3000:]
    assert not gate_lines(log), gate_lines(log)
    assert "odoo.modules.loading: Modules loaded." in log
    after = _snapshot(db)
    changed = {
        table: (before[table], after.get(table))
        for table in before
        if before[table] != after.get(table)
    }
    assert not changed, changed
    assert sorted(before) == sorted(after)


def test_uninstall_has_a_clean_log(installed_nodemo):
    db = installed_nodemo["db"]
    rc, log = kamctl(
        "odoo",
        "module",
        "uninstall",
        "-d",
        db,
        "kam_management",
        log_name="uninstall.log",
    )
    assert rc == 0, log[-3000:]
    assert not gate_lines(log), gate_lines(log)
    with pg_connect(db) as conn, conn.cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = 'kam_management'")
        assert cr.fetchone()[0] == "uninstalled"
        cr.execute("SELECT to_regclass('kam_standard'), to_regclass('kam_standard_clause')")
        assert cr.fetchone() == (None, None)
        cr.execute("SELECT count(*) FROM ir_ui_menu WHERE name->>'en_US' = 'KAM'")
        assert cr.fetchone()[0] == 0
        # nothing of the module is left: XML ids, tables, models, fields, crons
        cr.execute(
            "SELECT model, count(*) FROM ir_model_data WHERE module = 'kam_management' GROUP BY 1"
        )
        assert cr.fetchall() == []
        cr.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'"
            " AND table_name LIKE 'kam\\_%'"
        )
        assert cr.fetchall() == []
        cr.execute("SELECT model FROM ir_model WHERE model LIKE 'kam.%%'")
        assert cr.fetchall() == []
        cr.execute("SELECT model, name FROM ir_model_fields WHERE name LIKE 'kam\\_%%'")
        assert cr.fetchall() == []
        cr.execute("SELECT cron_name FROM ir_cron WHERE cron_name LIKE 'KAM%%'")
        assert cr.fetchall() == []
    # and it installs again
    rc, log = kamctl(
        "odoo",
        "-d",
        db,
        "-i",
        "kam_management",
        "--stop-after-init",
        "--no-http",
        log_name="reinstall.log",
    )
    assert rc == 0, log[-3000:]
    assert not gate_lines(log), gate_lines(log)
    with pg_connect(db) as conn, conn.cursor() as cr:
        cr.execute("SELECT state FROM ir_module_module WHERE name = 'kam_management'")
        assert cr.fetchone()[0] == "installed"
        cr.execute("SELECT count(*) FROM kam_case_stage")
        assert cr.fetchone()[0] > 0
