"""The registers of issue 15 over XML-RPC against the running demo server: the
demo legal register, and the rules of the evaluation of compliance tried as the
demo users would (refused with a clear error, nothing changed)."""

import xmlrpc.client

import pytest


def refused(call, *args, match):
    with pytest.raises(xmlrpc.client.Fault) as caught:
        call(*args)
    assert match in caught.value.faultString, caught.value.faultString


@pytest.fixture(scope="module")
def people(rpc):
    return {role: rpc(role) for role in ("admin", "user", "officer")}


def test_demo_legal_register(people):
    officer = people["officer"]
    rows = officer(
        "kam.requirement",
        "search_read",
        [("bwb_id", "in", ["BWBR0010346", "BWBR0008498", "BWBR0022762", "BWBR0041330"])],
        fields=["short_name", "state", "compliance_status", "replaced_by_id"],
        context={"active_test": False},
    )
    by_name = {row["short_name"]: row for row in rows}
    assert set(by_name) == {"Arbowet", "Arbobesluit", "Activiteitenbesluit", "Bal"}
    assert by_name["Activiteitenbesluit"]["state"] == "repealed"
    assert by_name["Activiteitenbesluit"]["replaced_by_id"][1] == "Bal"
    assert by_name["Arbowet"]["compliance_status"] == "partly"
    permits = officer("kam.requirement", "search_count", [("kind", "=", "permit")])
    assert permits == 1
    # the aspects register: significant aspects first
    aspects = officer("kam.aspect", "search_read", [], fields=["name", "is_significant"], limit=3)
    assert len(aspects) == 3 and all(a["is_significant"] for a in aspects)
    # a KAM user reads the registers
    user = people["user"]
    assert user("kam.context.issue", "search_count", [("climate_related", "=", True)]) >= 1
    assert user("kam.risk.opportunity", "search_count", []) >= 1


def test_evaluation_rules_hold_over_xmlrpc(people):
    user, officer, admin = people["user"], people["officer"], people["admin"]
    [arbobesluit] = officer("kam.requirement", "search", [("bwb_id", "=", "BWBR0008498")])
    evaluation_id = officer(
        "kam.requirement.evaluation",
        "create",
        {
            "requirement_id": arbobesluit,
            "result": "not_compliant",
            "evidence": "<p>Noise measurement of the grinding line is missing.</p>",
        },
    )
    refused(
        user,
        "kam.requirement.evaluation",
        "write",
        [evaluation_id],
        {"state": "done"},
        match="Only KAM officers can complete",
    )
    refused(
        officer,
        "kam.requirement.evaluation",
        "write",
        [evaluation_id],
        {"state": "done"},
        match="raise an action first",
    )
    officer(
        "kam.action",
        "create",
        {
            "name": "Measure the noise of the grinding line",
            "requirement_id": arbobesluit,
            "requirement_evaluation_id": evaluation_id,
            "deadline": "2099-01-01",
        },
    )
    officer("kam.requirement.evaluation", "action_done", [evaluation_id])
    [done] = admin("kam.requirement.evaluation", "read", [evaluation_id], ["state", "done_by_id"])
    assert (done["state"], done["done_by_id"][0]) == ("done", officer.uid)
    [requirement] = admin("kam.requirement", "read", [arbobesluit], ["compliance_status"])
    assert requirement["compliance_status"] == "not_compliant"
    # kept as evidence: no change, no delete, for the officer and the administrator
    for who in (officer, admin):
        refused(
            who,
            "kam.requirement.evaluation",
            "write",
            [evaluation_id],
            {"result": "compliant"},
            match="kept as evidence",
        )
        refused(
            who, "kam.requirement.evaluation", "unlink", [evaluation_id], match="kept as evidence"
        )
    [kept] = admin("kam.requirement.evaluation", "read", [evaluation_id], ["result"])
    assert kept["result"] == "not_compliant"


def test_bad_bwb_id_is_refused(people):
    officer = people["officer"]
    refused(
        officer,
        "kam.requirement",
        "create",
        {"name": "Typo", "bwb_id": "BWBR001034"},
        match="is not a BWB-ID",
    )
    assert officer("kam.requirement", "search_count", [("name", "=", "Typo")]) == 0
