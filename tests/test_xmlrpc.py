"""The running server, through XML-RPC and plain HTTP, as demo users."""

import urllib.request
import xmlrpc.client

import pytest

# Odoo's access errors, in English or in Dutch (the demo users work in Dutch)
REFUSED = "AccessError|not allowed|geen toegang|niet bewerken"


def test_user_reads_the_standards(rpc):
    user = rpc("user")
    assert user.uid, "demo user 'medewerker' could not log in"
    standards = user(
        "kam.standard", "search_read", [], fields=["display_name", "theme", "clause_count"]
    )
    names = {s["display_name"] for s in standards}
    assert {"ISO 9001:2015", "ISO 14001:2015", "ISO 45001:2018"} <= names
    assert all(s["clause_count"] > 40 for s in standards if s["display_name"].startswith("ISO"))
    clauses = user(
        "kam.standard.clause",
        "search_read",
        [
            ("standard_id.name", "=", "ISO 9001"),
            ("standard_id.edition", "=", "2015"),
            ("number", "=like", "10.2%"),
        ],
        fields=["number", "name", "parent_id"],
    )
    assert [c["number"] for c in clauses] == ["10.2", "10.2.1", "10.2.2"]
    assert clauses[1]["parent_id"][0] == clauses[0]["id"]


def test_user_cannot_change_a_standard(rpc):
    user = rpc("user")
    ids = user("kam.standard", "search", [("name", "=", "ISO 9001")])
    with pytest.raises(xmlrpc.client.Fault, match=REFUSED):
        user("kam.standard", "write", ids, {"title": "changed"})


def test_manager_can_add_an_edition(rpc):
    manager = rpc("manager")
    # (ISO 9001:2026 and ISO 14001:2026 ship as data; ISO 45001 has no new edition yet)
    old = manager("kam.standard", "search", [("name", "=", "ISO 45001"), ("edition", "=", "2018")])
    new_id = manager(
        "kam.standard",
        "create",
        {"name": "ISO 45001", "edition": "2030", "theme": "health_safety", "previous_id": old[0]},
    )
    try:
        [new] = manager("kam.standard", "read", [new_id], ["display_name", "previous_id"])
        assert new["display_name"] == "ISO 45001:2030"
        assert new["previous_id"][0] == old[0]
    finally:
        manager("kam.standard", "unlink", [new_id])


def test_portal_user_gets_no_kam_data(rpc):
    portal = rpc("portal")
    assert portal.uid, "demo portal user 'klant' could not log in"
    with pytest.raises(xmlrpc.client.Fault, match=REFUSED):
        portal("kam.standard", "search_read", [], fields=["name"])


def test_login_page_and_app_icon_are_served(server):
    with urllib.request.urlopen(f"{server['url']}/web/login", timeout=10) as resp:
        assert resp.status == 200
        assert b"oe_login_form" in resp.read()
    icon = f"{server['url']}/kam_management/static/description/icon.png"
    with urllib.request.urlopen(icon, timeout=10) as resp:
        assert resp.headers["Content-Type"] == "image/png"
        assert resp.read()[:8] == b"\x89PNG\r\n\x1a\n"
