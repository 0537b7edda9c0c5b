from odoo import Command
from odoo.tests import new_test_user
from odoo.tests.common import TransactionCase


def load_dutch(env):
    """Dutch active, with the module's Dutch terms loaded (the tests that
    check translated texts)."""
    env["res.lang"]._activate_lang("nl_NL")
    env["ir.module.module"].search([("name", "=", "kam_management")])._load_module_terms(
        ["kam_management"], ["nl_NL"], overwrite=True
    )


class KamCommon(TransactionCase):
    """Users of every KAM group in two companies; no demo data needed."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "KAM Test Company 2"})
        cls.kam_user = new_test_user(
            cls.env, login="kam_user", groups="kam_management.group_kam_user", name="KAM User"
        )
        cls.kam_officer = new_test_user(
            cls.env,
            login="kam_officer",
            groups="kam_management.group_kam_officer",
            name="KAM Officer",
        )
        cls.kam_manager = new_test_user(
            cls.env,
            login="kam_manager",
            groups="kam_management.group_kam_manager",
            name="KAM Manager",
        )
        cls.employee = new_test_user(
            cls.env, login="plain_employee", groups="base.group_user", name="Plain Employee"
        )
        cls.portal_user = new_test_user(
            cls.env, login="kam_portal", groups="base.group_portal", name="Portal Customer"
        )
        cls.public_user = cls.env.ref("base.public_user")
        cls.user_company_2 = new_test_user(
            cls.env,
            login="kam_officer_c2",
            groups="kam_management.group_kam_officer",
            name="Officer Company 2",
            company_id=cls.company_2.id,
            company_ids=[Command.set(cls.company_2.ids)],
        )
        cls.iso9001 = cls.env.ref("kam_management.kam_standard_iso9001_2015")
        cls.iso14001 = cls.env.ref("kam_management.kam_standard_iso14001_2015")
        cls.iso45001 = cls.env.ref("kam_management.kam_standard_iso45001_2018")

    @classmethod
    def _hazard_factors(cls):
        """Kinney & Wiruth factors for a hazard whose score does not matter."""
        Factor = cls.env["kam.risk.factor"]
        return {
            f"{axis}_id": Factor.search([("axis", "=", axis)], limit=1).id
            for axis in ("probability", "exposure", "effect")
        }
