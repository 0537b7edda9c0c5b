"""Controlled documents on the demo database, as the demo users see them over
XML-RPC and HTTP: the employee reads the effective versions of what applies to
them and acknowledges them; the workflow refuses every shortcut."""

import re
import urllib.parse
import urllib.request
import xmlrpc.client

import pytest


def refused(call, *args, match):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args)
    assert re.search(match, caught.value.faultString), caught.value.faultString


@pytest.fixture(scope="module")
def people(rpc):
    return {role: rpc(role) for role in ("admin", "user", "officer", "manager", "portal")}


def codes(call, model="kam.document", domain=()):
    return sorted(r["code"] for r in call(model, "search_read", list(domain), fields=["code"]))


def test_the_employee_sees_what_applies_to_her(people):
    user = people["user"]
    # Sanne (production, welder): the KAM policy (every employee), the manual, the
    # procedure on nonconformities, her work instruction; not the purchasing
    # procedure nor the one on documents
    assert codes(user) == ["BL-01", "KH-01", "PR-04", "WI-12"]
    versions = user(
        "kam.document.version",
        "search_read",
        [("document_id.code", "=", "WI-12")],
        fields=["name", "state"],
    )
    assert versions == [{"id": versions[0]["id"], "name": "2.0", "state": "effective"}], (
        "only the effective version, not the obsolete 1.0"
    )
    tasks = user(
        "kam.document.acknowledgement",
        "search_read",
        [("state", "=", "pending")],
        fields=["document_id", "version_id"],
    )
    assert sorted(t["document_id"][1] for t in tasks)[0].startswith("KH-01")
    assert len(tasks) == 3
    assert people["admin"]("kam.document", "search", [("code", "=", "PR-06")])
    assert user("kam.document", "search", [("code", "=", "PR-06")]) == []


def test_acknowledging_and_its_shortcuts(people):
    user, admin = people["user"], people["admin"]
    [task] = user(
        "kam.document.acknowledgement",
        "search",
        [("document_id.code", "=", "WI-12"), ("state", "=", "pending")],
    )
    refused(
        user,
        "kam.document.acknowledgement",
        "write",
        [task],
        {"acknowledged_date": "2020-01-01 00:00:00"},
        match="cannot be written directly",
    )
    user("kam.document.acknowledgement", "action_acknowledge", [task])
    [done] = admin(
        "kam.document.acknowledgement",
        "read",
        [task],
        ["state", "method", "acknowledged_by_id"],
    )
    assert (done["state"], done["method"]) == ("done", "self")
    assert done["acknowledged_by_id"][0] == user.uid
    refused(
        user,
        "kam.document.acknowledgement",
        "write",
        [task],
        {"state": "pending"},
        match="was acknowledged; the record is kept as it is",
    )


def test_versions_follow_the_workflow(people):
    officer, manager = people["officer"], people["manager"]
    [manual] = officer("kam.document", "search", [("code", "=", "KH-01")])
    [effective] = officer(
        "kam.document.version",
        "search",
        [("document_id", "=", manual), ("state", "=", "effective")],
    )
    refused(
        officer,
        "kam.document.version",
        "write",
        [effective],
        {"body": "<p>Slipped in</p>"},
        match="can no longer be changed; make a new version",
    )
    action = officer("kam.document", "action_new_version", [manual])
    version = action["res_id"]
    officer(
        "kam.document.version",
        "write",
        [version],
        {"revision": "major", "change_summary": "XML-RPC: chapter on sustainability"},
    )
    officer("kam.document.version", "action_submit", [version])
    refused(
        officer,
        "kam.document.version",
        "action_approve",
        [version],
        match="Only KAM managers can approve a policy or a manual",
    )
    manager("kam.document.version", "action_approve", [version])
    officer("kam.document.version", "action_release", [version])
    [document] = officer(
        "kam.document", "read", [manual], ["version_label", "ack_required_count", "ack_done_count"]
    )
    assert document["version_label"] == "3.0"
    assert document["ack_required_count"] > 10
    assert document["ack_done_count"] == 0, "a major revision asks everyone again"


def test_portal_reads_published_documents_only(people, server):
    portal = people["portal"]
    refused(
        portal, "kam.document", "search_read", [], ["name"], match="not allowed|geen toegang"
    )  # the portal user reads Dutch
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    with opener.open(f"{server['url']}/web/login", timeout=10) as resp:
        page = resp.read().decode()
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    data = urllib.parse.urlencode(
        {"login": "klant", "password": "klant", "csrf_token": token, "redirect": "/my/documents"}
    ).encode()
    with opener.open(f"{server['url']}/web/login", data=data, timeout=10) as resp:
        listing = resp.read().decode()
    assert "WI-12" in listing
    assert "PR-04" not in listing
