"""Audit reminders really go out: an SMTP server started by the test (aiosmtpd)
receives them from the running Odoo server, after the daily job of periodic
duties and the mail queue ran (both triggered over XML-RPC, as the scheduler
would run them)."""

import datetime
import time


def _cron(admin, xmlid):
    module, name = xmlid.split(".")
    [data] = admin(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    return data["res_id"]


def test_audit_reminder_mail_is_received(rpc, smtp_inbox):
    controller, inbox = smtp_inbox
    admin, officer = rpc("admin"), rpc("officer")
    server_id = admin(
        "ir.mail_server",
        "create",
        {
            "name": "Test SMTP (aiosmtpd)",
            "smtp_host": controller.hostname,
            "smtp_port": controller.port,
            "smtp_encryption": "none",
            "sequence": 1,
        },
    )
    external = admin(
        "res.partner",
        "create",
        {"name": "Auditor of the body", "email": "auditor@certbody.example.com"},
    )
    manager_uid = rpc("manager").uid
    planned = (datetime.date.today() + datetime.timedelta(days=3)).isoformat()
    audit_id = officer(
        "kam.audit",
        "create",
        {
            "title": "Mail test: welding",
            "audit_type": "surveillance",
            "date_planned": planned,
            "lead_auditor_id": officer.uid,
            "auditee_ids": [(6, 0, [manager_uid])],
            "external_auditor_ids": [(6, 0, [external])],
        },
    )
    [audit] = officer("kam.audit", "read", [audit_id], ["name", "kam_duty_state"])
    assert audit["kam_duty_state"] == "pending"
    try:
        duties = _cron(admin, "kam_management.ir_cron_kam_periodic_duties")
        assert admin("ir.cron", "method_direct_trigger", [duties]) is True
        [audit] = officer("kam.audit", "read", [audit_id], ["name", "kam_duty_state"])
        assert audit["kam_duty_state"] == "reminded"
        queue = _cron(admin, "mail.ir_cron_mail_scheduler_action")
        assert admin("ir.cron", "method_direct_trigger", [queue]) is True
        # one message per recipient (Odoo sends a partner's mail to that partner alone)
        expected = {
            "p.jansen@vanderbergmetaal.example.com",
            "m.vanderberg@vanderbergmetaal.example.com",
            "auditor@certbody.example.com",
        }
        deadline = time.time() + 20
        ours = []
        while time.time() < deadline and len(ours) < len(expected):
            ours = [m for m in inbox.messages if audit["name"] in str(m[1]["Subject"])]
            time.sleep(0.2)
        assert len(ours) == len(expected), [str(m[1]["Subject"]) for m in inbox.messages]
        assert {rcpt for recipients, _message in ours for rcpt in recipients} == expected
        message = ours[0][1]
        assert "Mail test: welding" in str(message["Subject"])
        body = message.get_body(preferencelist=("html", "plain")).get_content()
        # the company's language: Dutch (the system tests' database is the demo
        # database as scripts/run.sh makes it, Dutch loaded)
        assert "is gepland op" in body
        assert "Mail test: welding" in body
        # again: no second reminder for the same date
        admin("ir.cron", "method_direct_trigger", [duties])
        admin("ir.cron", "method_direct_trigger", [queue])
        time.sleep(0.5)
        assert len([m for m in inbox.messages if audit["name"] in str(m[1]["Subject"])]) == 3
    finally:
        admin("ir.mail_server", "unlink", [server_id])
