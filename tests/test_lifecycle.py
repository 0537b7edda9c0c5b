"""Install (with and without demo data), update and uninstall, each with a clean log.

Uninstall runs on the database without demo data: the demo's confirmed orders
create stock moves (records without an XML id) that keep the demo products, so
Odoo can only archive those products and logs the refused deletes."""

from conftest import gate_lines, kamctl, pg_connect


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
    rc, log = kamctl(
        "odoo",
        "-d",
        installed["lifecycle_db"],
        "-u",
        "kam_management",
        "--stop-after-init",
        "--no-http",
        log_name="update.log",
    )
    assert rc == 0, log[-3000:]
    assert not gate_lines(log), gate_lines(log)
    assert "odoo.modules.loading: Modules loaded." in log


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
