"""Satisfaction invitations really go out: a campaign of the demo company,
run over XML-RPC by the KAM coordinator, and the mail queue (triggered as the
scheduler would) deliver the invitations to an SMTP server started by the test
(aiosmtpd). The link in a received mail opens the questionnaire on the running
server; the opt-out link works with its token and only with it."""

import datetime
import http.cookiejar
import re
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest


def _xmlid(admin, xmlid):
    module, name = xmlid.split(".")
    [data] = admin(
        "ir.model.data",
        "search_read",
        [("module", "=", module), ("name", "=", name)],
        fields=["res_id"],
    )
    return data["res_id"]


def _body(message):
    return message.get_body(preferencelist=("html", "plain")).get_content()


def test_invitations_are_received_and_answerable(rpc, server, smtp_inbox):
    controller, inbox = smtp_inbox
    admin, officer = rpc("admin"), rpc("officer")
    # Erik Hoekstra, the demo customer's contact (his address, as other system tests may
    # have changed it: he is also the demo portal user)
    [erik] = admin("res.partner", "search_read", [("name", "=", "Erik Hoekstra")], fields=["email"])
    erik_email = erik["email"]
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
    today = datetime.date.today()
    try:
        # the demo's delivered orders (Hoekstra, Staalbouw Twente) in the last 200 days
        campaign_id = officer(
            "kam.satisfaction.campaign",
            "create",
            {
                "name": "Systeemtest klanttevredenheid",
                "date_from": (today - datetime.timedelta(days=200)).isoformat(),
                "date_to": today.isoformat(),
                "exclude_months": 0,
            },
        )
        officer("kam.satisfaction.campaign", "action_select_customers", [campaign_id])
        [campaign] = officer(
            "kam.satisfaction.campaign", "read", [campaign_id], ["state", "user_input_ids"]
        )
        assert campaign["state"] == "selected"
        answers = officer(
            "survey.user_input",
            "read",
            campaign["user_input_ids"],
            ["email", "access_token", "kam_customer_id"],
        )
        expected = {answer["email"] for answer in answers}
        assert erik_email in expected
        officer("kam.satisfaction.campaign", "action_send_invitations", [campaign_id])
        [campaign] = officer(
            "kam.satisfaction.campaign", "read", [campaign_id], ["state", "invited_count"]
        )
        assert campaign["state"] == "sent"
        assert campaign["invited_count"] == len(answers)

        queue = _xmlid(admin, "mail.ir_cron_mail_scheduler_action")
        assert admin("ir.cron", "method_direct_trigger", [queue]) is True
        deadline = time.time() + 20
        ours = []
        while time.time() < deadline and len(ours) < len(expected):
            ours = [m for m in inbox.messages if set(m[0]) & expected]
            time.sleep(0.2)
        assert {rcpt for recipients, _m in ours for rcpt in recipients} == expected
        [(_rcpt, message)] = [
            m for m in ours if erik_email in m[0] and "/survey/start/" in _body(m[1])
        ]
        # in the customer's language, with the company's name
        assert "Van der Berg Metaaltechniek" in str(message["Subject"])
        body = _body(message)
        token = next(a["access_token"] for a in answers if a["email"] == erik_email)
        links = re.findall(r'href="([^"]+)"', body)
        start = next(link for link in links if token in link and "/survey/start/" in link)
        optout = next(link for link in links if "/kam/satisfaction/optout/" in link)
        assert start.startswith(server["url"]) or start.startswith("http")

        # the link opens the questionnaire on the running server
        path = urllib.parse.urlsplit(start)
        url = f"{server['url']}{path.path}?{path.query}"
        with urllib.request.urlopen(url, timeout=30) as response:
            page = response.read().decode()
        assert response.status == 200
        # the questionnaire's start screen (a valid invitation, not expired or done), in
        # the customer's language; its questions follow once the customer starts
        assert "o_survey_start" in page
        assert "Klanttevredenheidsonderzoek" in page or "Customer satisfaction survey" in page

        # the opt-out link: confirmation page, then the POST (CSRF) opts the contact out
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        optout_url = f"{server['url']}{urllib.parse.urlsplit(optout).path}"
        with opener.open(optout_url, timeout=30) as response:
            page = response.read().decode()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        data = urllib.parse.urlencode({"csrf_token": csrf}).encode()
        with opener.open(optout_url, data=data, timeout=30) as response:
            assert response.status == 200
        contact = officer(
            "res.partner",
            "search_read",
            [("id", "=", erik["id"])],
            fields=["kam_survey_opt_out"],
        )
        assert contact[0]["kam_survey_opt_out"] is True
        # an unknown or malformed token is a 404, never a 500
        for bad in ("00000000-0000-0000-0000-000000000000", "not-a-token", "x" * 300):
            with pytest.raises(urllib.error.HTTPError) as info:
                urllib.request.urlopen(f"{server['url']}/kam/satisfaction/optout/{bad}", timeout=30)
            assert info.value.code == 404
    finally:
        admin("ir.mail_server", "unlink", [server_id])
        admin(
            "res.partner",
            "write",
            admin(
                "res.partner",
                "search",
                [("id", "=", erik["id"])],
            ),
            {"kam_survey_opt_out": False},
        )
