"""A complaint's acknowledgement really goes out, once, with its numbered
reference: an SMTP server started by the test (aiosmtpd) receives it from the
running Odoo server after the mail queue ran. Imported complaints mail nobody."""

import time

from test_audit_mail import _cron


def test_complaint_acknowledgement_received_once(rpc, smtp_inbox):  # noqa: F811
    controller, inbox = smtp_inbox
    admin, officer = rpc("admin"), rpc("officer")
    server_id = admin(
        "ir.mail_server",
        "create",
        {
            "name": "Test SMTP (aiosmtpd), complaints",
            "smtp_host": controller.hostname,
            "smtp_port": controller.port,
            "smtp_encryption": "none",
            "sequence": 1,
        },
    )
    customer, imported_customer = (
        admin(
            "res.partner",
            "create",
            {"name": name, "email": email, "is_company": True, "lang": "en_US"},
        )
        for name, email in (
            ("Mail test customer", "qa@mailtest-customer.example.com"),
            ("Imported customer", "qa@imported-customer.example.com"),
        )
    )
    try:
        complaint_id = officer(
            "kam.case",
            "create",
            {
                "title": "Mail test: scratched panels",
                "case_type": "complaint",
                "partner_id": customer,
            },
        )
        # the acknowledgement job and then the mail queue run after the commit
        # (triggered; run here over XML-RPC as the scheduler would)
        acknowledgements = _cron(admin, "kam_management.ir_cron_kam_complaint_acknowledgements")
        assert admin("ir.cron", "method_direct_trigger", [acknowledgements]) is True
        [complaint] = officer("kam.case", "read", [complaint_id], ["name", "acknowledged_date"])
        assert complaint["acknowledged_date"]
        assert complaint["name"].startswith("KL/")
        result = officer(
            "kam.case",
            "load",
            ["title", "case_type", "partner_id/.id"],
            [["Mail test: imported", "complaint", str(imported_customer)]],
            context={"import_file": True},
        )
        assert not result["messages"], result["messages"]
        admin("ir.cron", "method_direct_trigger", [acknowledgements])
        queue = _cron(admin, "mail.ir_cron_mail_scheduler_action")
        assert admin("ir.cron", "method_direct_trigger", [queue]) is True
        deadline = time.time() + 20
        ours = []
        while time.time() < deadline and not ours:
            ours = [m for m in inbox.messages if complaint["name"] in str(m[1]["Subject"])]
            time.sleep(0.2)
        assert len(ours) == 1, [str(m[1]["Subject"]) for m in inbox.messages]
        recipients, message = ours[0]
        assert recipients == ["qa@mailtest-customer.example.com"]
        assert "We received your complaint" in str(message["Subject"])
        body = message.get_body(preferencelist=("html", "plain")).get_content()
        assert complaint["name"] in body
        # again: nothing more, and nothing ever for the imported complaint
        admin("ir.cron", "method_direct_trigger", [queue])
        time.sleep(0.5)
        assert len([m for m in inbox.messages if complaint["name"] in str(m[1]["Subject"])]) == 1
        assert not [r for r, _m in inbox.messages if "qa@imported-customer.example.com" in r]
    finally:
        admin("ir.mail_server", "unlink", [server_id])
