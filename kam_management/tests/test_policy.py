import datetime

from freezegun import freeze_time

from odoo.exceptions import AccessError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import KamCommon

D = datetime.date
POLICY_TEXT = "We deliver right first time and everyone goes home healthy."


def make_policy(env, company, manager, officer, portal=True, **vals):
    """A policy in force: drafted, approved by a manager, released by an officer."""
    document = env["kam.document"].create(
        dict(
            {
                "code": "BL-01",
                "name": "KAM policy",
                "doc_type": "policy",
                "company_id": company.id,
                "portal_published": portal,
            },
            **vals,
        )
    )
    version = env["kam.document.version"].create(
        {"document_id": document.id, "body": f"<p>{POLICY_TEXT}</p>", "change_summary": "First"}
    )
    version.action_submit()
    version.with_user(manager).action_approve()
    version.with_user(officer).action_release()
    return document


@tagged("post_install", "-at_install")
class TestPolicy(KamCommon):
    """The KAM policy is a controlled document of type policy: approved by managers
    only, read and acknowledged by every employee, public for interested parties."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.employees = cls.env["hr.employee"].create(
            [
                {"name": "Lasser", "user_id": cls.kam_user.id},
                {"name": "Monteur"},
            ]
        )

    def test_approved_by_managers_only(self):
        document = self.env["kam.document"].create(
            {"code": "BL-02", "name": "Policy", "doc_type": "policy"}
        )
        version = self.env["kam.document.version"].create(
            {"document_id": document.id, "body": "<p>x</p>", "change_summary": "First"}
        )
        version.action_submit()
        with self.assertRaisesRegex(AccessError, "Only KAM managers can approve a policy"):
            version.with_user(self.kam_officer).action_approve()
        version.with_user(self.kam_manager).action_approve()
        self.assertEqual(version.state, "approved")

    def test_every_employee_reads_it(self):
        policy = make_policy(self.env, self.company, self.kam_manager, self.kam_officer)
        self.assertTrue(policy.applies_to_all)
        self.assertTrue(policy.acknowledge)
        self.env["kam.document.acknowledgement"]._kam_sync(documents=policy)
        tasks = self.env["kam.document.acknowledgement"].search([("document_id", "=", policy.id)])
        self.assertTrue(self.employees <= tasks.employee_id)
        # a policy for some departments only keeps its audience
        department = self.env["hr.department"].create({"name": "Werkplaats"})
        local = self.env["kam.document"].create(
            {
                "code": "BL-09",
                "name": "Site policy",
                "doc_type": "policy",
                "department_ids": [(6, 0, department.ids)],
            }
        )
        self.assertFalse(local.applies_to_all)

    @freeze_time("2026-03-16")
    def test_review_input(self):
        policy = make_policy(self.env, self.company, self.kam_manager, self.kam_officer)
        self.env["kam.document.acknowledgement"]._kam_sync(documents=policy)
        tasks = self.env["kam.document.acknowledgement"].search([("document_id", "=", policy.id)])
        required = len(tasks)
        self.env["kam.document.acknowledgement"]._kam_record_acknowledged(
            [
                (
                    policy.id,
                    tasks[0].employee_id.id,
                    datetime.datetime(2026, 3, 1, 9),
                    self.kam_officer.id,
                )
            ]
        )
        review = self.env["kam.review"].create(
            {"name": "Q1", "date_from": D(2026, 1, 1), "date_to": D(2026, 3, 31)}
        )
        review.action_prepare()
        got = {
            f.key: (
                round(f.value, 2) if f.value_set else None,
                f.previous if f.previous_set else None,
            )
            for f in review.figure_ids
            if f.section_id.topic_id.code == "participation"
        }
        self.assertEqual(got["policies"], (1, None))
        self.assertEqual(got["policy_versions"], (1, 0))
        self.assertEqual(got["policy_read"], (round(100.0 / required, 2), None))


@tagged("post_install", "-at_install")
class TestPolicyPage(HttpCase):
    """The public policy page: no login, the company's published policies only."""

    def test_public_page(self):
        company = self.env.company
        manager = new_test_user(
            self.env, login="pol_manager", groups="kam_management.group_kam_manager"
        )
        officer = new_test_user(
            self.env, login="pol_officer", groups="kam_management.group_kam_officer"
        )
        url = f"/kam/policy/{company.id}"
        self.assertEqual(self.url_open(url).status_code, 404)
        policy = make_policy(self.env, company, manager, officer)
        response = self.url_open(url)
        self.assertEqual(response.status_code, 200)
        self.assertIn(POLICY_TEXT, response.text)
        self.assertIn("KAM policy", response.text)
        # published only for chosen customers: not for everyone
        partner = self.env["res.partner"].create({"name": "Klant", "is_company": True})
        policy.portal_partner_ids = partner
        self.assertEqual(self.url_open(url).status_code, 404)
        self.assertEqual(self.url_open("/kam/policy/999999").status_code, 404)
        self.assertEqual(self.url_open("/kam/policy/abc").status_code, 404)
        self.assertEqual(self.url_open(f"{url}/{policy.id}/file").status_code, 404)
