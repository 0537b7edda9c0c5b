"""The workflow bypasses of issue 10, tried as the demo users would over
XML-RPC against the running server: each is refused with a clear error and
changes nothing."""

import re
import xmlrpc.client

import pytest


def refused(call, *args, match):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args)
    # a regular expression: Odoo's own access errors come in the user's language
    assert re.search(match, caught.value.faultString), caught.value.faultString
    return caught.value.faultString


@pytest.fixture(scope="module")
def people(rpc):
    return {
        role: rpc(role) for role in ("admin", "user", "officer", "manager", "purchase", "portal")
    }


@pytest.fixture()
def case_with_action(people):
    """An improvement suggestion the KAM user reported, with an open action
    they own (set up by the officer)."""
    user, officer = people["user"], people["officer"]
    case_id = user(
        "kam.case", "create", {"title": "XML-RPC: ladder without feet", "case_type": "improvement"}
    )
    action_id = officer(
        "kam.action",
        "create",
        {
            "name": "Replace the ladder",
            "case_id": case_id,
            "user_id": user.uid,
            "deadline": "2099-01-01",
        },
    )
    return case_id, action_id


def test_user_cannot_verify_own_action(people, case_with_action):
    user, admin = people["user"], people["admin"]
    _case_id, action_id = case_with_action
    user("kam.action", "write", [action_id], {"state": "done", "effectiveness_result": "Done."})
    refused(
        user,
        "kam.action",
        "write",
        [action_id],
        {"state": "verified", "verified_by_id": user.uid},
        match="cannot be written directly",
    )
    refused(
        user, "kam.action", "write", [action_id], {"state": "verified"}, match="Only KAM officers"
    )
    [action] = admin("kam.action", "read", [action_id], ["state", "verified_by_id"])
    assert (action["state"], action["verified_by_id"]) == ("done", False)


def test_user_cannot_close_with_open_action(people, case_with_action):
    user, admin = people["user"], people["admin"]
    case_id, _action_id = case_with_action
    refused(user, "kam.case", "write", [case_id], {"is_closed": True}, match="cannot be written")
    closed_stage = admin(
        "kam.case.stage",
        "search",
        [("state", "=", "closed"), ("type_ids.code", "=", "improvement")],
    )[0]
    refused(
        user, "kam.case", "write", [case_id], {"stage_id": closed_stage}, match="Only KAM officers"
    )
    [case] = admin("kam.case", "read", [case_id], ["is_closed", "stage_id"])
    assert case["is_closed"] is False
    assert case["stage_id"][1] == "New"


def test_closed_case_is_read_only_except_an_officers_reopen(people, case_with_action):
    user, officer, admin = people["user"], people["officer"], people["admin"]
    case_id, action_id = case_with_action
    user("kam.action", "write", [action_id], {"state": "done"})
    officer("kam.case", "action_close", [case_id])
    stages = {
        s["state"]: s["id"]
        for s in admin(
            "kam.case.stage",
            "search_read",
            [("type_ids.code", "=", "improvement")],
            fields=["state"],
        )
    }
    refused(
        user, "kam.case", "write", [case_id], {"stage_id": stages["new"]}, match="Only KAM officers"
    )
    refused(user, "kam.case", "write", [case_id], {"title": "Edited afterwards"}, match="is closed")
    refused(
        officer, "kam.case", "write", [case_id], {"title": "Edited afterwards"}, match="is closed"
    )
    refused(
        officer, "kam.case", "write", [case_id], {"stage_id": stages["progress"]}, match="reason"
    )
    [case] = admin("kam.case", "read", [case_id], ["title", "is_closed"])
    assert case == {"id": case_id, "title": "XML-RPC: ladder without feet", "is_closed": True}
    officer(
        "kam.case",
        "write",
        [case_id],
        {"stage_id": stages["progress"], "reopen_reason": "The new ladder has no feet either."},
    )
    [case] = admin("kam.case", "read", [case_id], ["is_closed", "closed_date"])
    assert (case["is_closed"], case["closed_date"]) == (False, False)


def test_purchase_user_cannot_approve_an_evaluation(people):
    purchase, manager, admin = people["purchase"], people["manager"], people["admin"]
    [supplier] = admin(
        "res.partner", "search", [("supplier_rank", ">", 0), ("is_company", "=", True)], limit=1
    )
    evaluation_id = purchase(
        "kam.supplier.evaluation",
        "create",
        {"partner_id": supplier, "date_start": "2001-01-01", "date_end": "2001-03-31"},
    )
    [evaluation] = purchase("kam.supplier.evaluation", "read", [evaluation_id], ["line_ids"])
    purchase(
        "kam.supplier.evaluation",
        "write",
        [evaluation_id],
        {"line_ids": [(1, line, {"score": 8}) for line in evaluation["line_ids"]]},
    )
    purchase("kam.supplier.evaluation", "write", [evaluation_id], {"state": "done"})
    refused(
        purchase,
        "kam.supplier.evaluation",
        "write",
        [evaluation_id],
        {"state": "approved"},
        match="Only KAM managers",
    )
    refused(
        purchase,
        "kam.supplier.evaluation",
        "write",
        [evaluation_id],
        {"approved_by_id": purchase.uid},
        match="cannot be written directly",
    )
    [evaluation] = admin(
        "kam.supplier.evaluation", "read", [evaluation_id], ["state", "approved_by_id"]
    )
    assert (evaluation["state"], evaluation["approved_by_id"]) == ("done", False)
    manager("kam.supplier.evaluation", "write", [evaluation_id], {"state": "approved"})
    [evaluation] = admin(
        "kam.supplier.evaluation", "read", [evaluation_id], ["state", "approved_by_id"]
    )
    assert evaluation["state"] == "approved"
    assert evaluation["approved_by_id"][0] == manager.uid


def test_portal_user_cannot_write_cases(people, case_with_action):
    portal = people["portal"]
    case_id, _action_id = case_with_action
    refused(
        portal,
        "kam.case",
        "write",
        [case_id],
        {"title": "Hacked"},
        match="not allowed|geen toegang",
    )
