"""The access matrix (issue 14): every ``kam.*`` model x group x create /
read / write / unlink, with the expected outcome of each cell written down
below, checked against what Odoo enforces (``ir.model.access.csv`` and the
record rules); and every public method (``action_*``) of the module called over
JSON-RPC by each group that may not use it: refused.

A new model fails the test until its line is added to ``EXPECTED`` (and so
reviewed); a changed right fails it until the line is changed."""

import json

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged
from odoo.tools import mute_logger

GROUPS = ("public", "portal", "user", "officer", "manager", "hr_manager", "officer_c2")
OPERATIONS = ("create", "read", "write", "unlink")
NONE = "----"

# model: rights of (public, portal, user, officer, manager, hr_manager, officer_c2),
# each "crwu" (create, read, write, unlink; "-" where refused)
EXPECTED = {
    "kam.action": ("----", "----", "crw-", "crwu", "crwu", "----", "crwu"),
    "kam.advice": ("----", "----", "----", "crwu", "crwu", "----", "crwu"),
    "kam.aspect": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.audit": ("----", "----", "-rw-", "crwu", "crwu", "----", "crwu"),
    "kam.audit.checklist": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.audit.checklist.question": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.audit.coverage": ("----", "----", "----", "-r--", "-r--", "----", "-r--"),
    "kam.audit.evidence.access": ("----", "----", "----", "-r--", "-r--", "----", "-r--"),
    "kam.audit.evidence.item": ("----", "----", "----", "crwu", "crwu", "----", "crwu"),
    "kam.audit.evidence.room": ("----", "----", "----", "crwu", "crwu", "----", "crwu"),
    "kam.audit.line": ("----", "----", "crw-", "crwu", "crwu", "----", "crwu"),
    "kam.audit.programme": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.audit.programme.line": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.awareness.report": ("----", "----", "----", "-r--", "-r--", "----", "-r--"),
    "kam.case": ("----", "----", "crw-", "crwu", "crwu", "----", "crwu"),
    "kam.case.reopen": ("----", "----", "----", "crw-", "crw-", "----", "crw-"),
    "kam.case.stage": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.case.type": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.cause": ("----", "----", "crwu", "crwu", "crwu", "----", "crwu"),
    "kam.certificate": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.clause.crosswalk": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.clause.evidence": ("----", "----", "----", "-r--", "-r--", "----", "-r--"),
    "kam.complaint.category": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.complaint.register": ("----", "----", "crw-", "crw-", "crw-", "----", "crw-"),
    "kam.complaint.report": ("----", "----", "-r--", "-r--", "-r--", "----", "-r--"),
    "kam.context.issue": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.document": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.document.acknowledgement": ("----", "----", "-rw-", "-rw-", "-rw-", "----", "-rw-"),
    "kam.document.review": ("----", "----", "cr--", "cr--", "cr--", "----", "cr--"),
    "kam.document.version": ("----", "----", "crwu", "crwu", "crwu", "----", "crwu"),
    "kam.hours.worked": ("----", "----", "----", "crwu", "crwu", "----", "crwu"),
    "kam.incident.quick.report": ("----", "----", "crw-", "crw-", "crw-", "----", "crw-"),
    "kam.indicator": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.indicator.value": ("----", "----", "-rw-", "crwu", "crwu", "----", "crwu"),
    "kam.interested.party": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.interested.party.need": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.objective": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.public.submission": ("----", "----", "----", "----", "-r--", "----", "----"),
    "kam.requirement": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.requirement.change": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.requirement.evaluation": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.review": ("----", "----", "----", "crwu", "crwu", "----", "crwu"),
    "kam.review.decision": ("----", "----", "----", "crwu", "crwu", "----", "crwu"),
    "kam.review.figure": ("----", "----", "----", "-r--", "-r--", "----", "-r--"),
    "kam.review.section": ("----", "----", "----", "-rw-", "-rw-", "----", "-rw-"),
    "kam.review.topic": ("----", "----", "----", "-r--", "crwu", "----", "-r--"),
    "kam.risk": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.risk.class": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.risk.factor": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.risk.method": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.risk.opportunity": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.role": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.role.assignment": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.satisfaction.campaign": ("----", "----", "----", "crwu", "crwu", "----", "crwu"),
    "kam.satisfaction.report": ("----", "----", "----", "-r--", "-r--", "----", "-r--"),
    "kam.standard": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.standard.clause": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.standard.transition": ("----", "----", "----", "crw-", "crwu", "----", "crw-"),
    "kam.standard.transition.gap": ("----", "----", "----", "-rw-", "-rw-", "----", "-rw-"),
    "kam.standard.transition.line": ("----", "----", "----", "-r--", "-r--", "----", "-r--"),
    "kam.standard.transition.wizard": ("----", "----", "----", "crw-", "crw-", "----", "crw-"),
    "kam.supplier.certificate": ("----", "----", "-r--", "crwu", "crwu", "----", "crwu"),
    "kam.supplier.criterion": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.supplier.evaluation": ("----", "----", "crw-", "crwu", "crwu", "----", "crwu"),
    "kam.supplier.evaluation.line": ("----", "----", "crwu", "crwu", "crwu", "----", "crwu"),
    "kam.theme": ("----", "----", "-r--", "-r--", "crwu", "----", "-r--"),
    "kam.toolbox": ("----", "----", "crw-", "crwu", "crwu", "----", "crwu"),
    "kam.toolbox.attendee": ("----", "----", "crwu", "crwu", "crwu", "----", "crwu"),
    "kam.toolbox.plan": ("----", "----", "----", "crwu", "crwu", "----", "crwu"),
}


def _rights(env, user, model):
    access = env["ir.model.access"].with_user(user)
    return "".join(
        letter if access.check(model, operation, raise_exception=False) else "-"
        for letter, operation in zip("crwu", OPERATIONS, strict=True)
    )


@tagged("post_install", "-at_install")
class TestAccessMatrix(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Matrix Company 2"})

        def user(login, groups, **values):
            return new_test_user(cls.env, login=login, groups=groups, **values)

        cls.users = {
            "public": cls.env.ref("base.public_user"),
            "portal": user("matrix_portal", "base.group_portal"),
            "user": user("matrix_user", "kam_management.group_kam_user"),
            "officer": user("matrix_officer", "kam_management.group_kam_officer"),
            "manager": user("matrix_manager", "kam_management.group_kam_manager"),
            "hr_manager": user("matrix_hr", "base.group_user,hr.group_hr_manager"),
            "officer_c2": user(
                "matrix_officer_c2",
                "kam_management.group_kam_officer",
                company_id=cls.company_2.id,
                company_ids=[Command.set(cls.company_2.ids)],
            ),
        }
        case = cls.env["kam.case"].create(
            {"title": "Matrix: bent railing", "case_type": "nonconformity"}
        )
        cls.env["kam.action"].create(
            {
                "name": "Matrix: straighten the railing",
                "case_id": case.id,
                "user_id": cls.users["officer"].id,
                "deadline": "2099-01-01",
            }
        )

    def _models(self):
        return sorted(
            name
            for name, model in self.env.registry.items()
            if name.startswith("kam.") and not model._abstract
        )

    def test_model_rights(self):
        """Every cell of the table, as Odoo enforces it (ACL)."""
        actual = {
            model: tuple(_rights(self.env, self.users[group], model) for group in GROUPS)
            for model in self._models()
        }
        # on a new model, the message is the table as Odoo has it now: review, then copy
        table = "\n".join(f"    {model!r}: {rights!r}," for model, rights in actual.items())
        self.assertEqual(sorted(EXPECTED), sorted(actual), f"EXPECTED must be:\n{table}")
        for model, rights in actual.items():
            for group, expected, found in zip(GROUPS, EXPECTED[model], rights, strict=True):
                with self.subTest(model=model, group=group):
                    self.assertEqual(found, expected)

    def test_table_is_sound(self):
        """What the table itself must say: public and portal users have no right
        on any kam.* model (the public pages work with elevated rights after
        their own checks); each KAM group has at least the rights of the one
        below; an officer of another company has the same model rights as an
        officer (the company rules separate the records)."""
        for model, rights in EXPECTED.items():
            cells = dict(zip(GROUPS, rights, strict=True))
            with self.subTest(model=model):
                self.assertEqual(cells["public"], NONE)
                self.assertEqual(cells["portal"], NONE)
                self.assertEqual(cells["officer_c2"], cells["officer"])
                for lower, higher in (("user", "officer"), ("officer", "manager")):
                    for low, high in zip(cells[lower], cells[higher], strict=True):
                        self.assertTrue(low == "-" or high != "-", f"{lower} > {higher}")

    def test_other_company_records(self):
        """A record of this company is out of reach of another company's officer
        (read, write, unlink), for every kam.* model with a company."""
        officer_c2 = self.users["officer_c2"]
        checked = []
        for model in self._models():
            Model = self.env[model]
            field = Model._fields.get("company_id")
            if not field or not field.store or Model._transient:
                continue
            record = Model.search([("company_id", "=", self.company.id)], limit=1)
            if not record:
                continue
            checked.append(model)
            for operation in ("read", "write", "unlink"):
                with self.subTest(model=model, operation=operation):
                    self.assertFalse(record.with_user(officer_c2).has_access(operation))
        self.assertIn("kam.case", checked)
        self.assertIn("kam.action", checked)

    def _public_methods(self):
        """{model: [action_* methods defined by this module]}, found in the
        registry: kam.* models and wizards, and the shared models this module
        extends (the buttons of its views are all action_* methods)."""
        methods = {}
        for name, model in self.env.registry.items():
            if model._abstract:
                continue
            for cls in type(self.env[name]).mro():
                if not cls.__module__.startswith("odoo.addons.kam_management."):
                    continue
                for attr in vars(cls):
                    if attr.startswith("action_") and callable(vars(cls)[attr]):
                        methods.setdefault(name, set()).add(attr)
        return {name: sorted(found) for name, found in methods.items()}

    def _call(self, model, method, record_id):
        """The name of the error of ``model.method([record_id])`` (``record_id``
        None: ``model.method()``) over JSON-RPC, or None if it ran."""
        payload = {
            "jsonrpc": "2.0",
            "method": "call",
            "id": 1,
            "params": {
                "model": model,
                "method": method,
                "args": [] if record_id is None else [[record_id]],
                "kwargs": {},
            },
        }
        with mute_logger("odoo.http"):
            response = self.url_open(
                f"/web/dataset/call_kw/{model}/{method}",
                data=json.dumps(payload),
                headers={"Content-Type": "application/json"},
            )
        self.assertEqual(response.status_code, 200, response.text[:300])
        error = response.json().get("error")
        return error and error["data"]["name"]

    def test_public_methods_refused(self):
        """Every public method, called over JSON-RPC by a group without rights on
        its model (public, portal, an employee without a KAM group): refused
        with an access error (or, for the public user, no session)."""
        methods = self._public_methods()
        self.assertIn("kam.case", methods)
        results = {}
        for group in ("public", "portal", "hr_manager"):
            user = self.users[group]
            if group == "public":
                self.authenticate(None, None)
            else:
                self.authenticate(user.login, user.login)
            for model, names in methods.items():
                if (
                    group != "public"
                    and model.startswith("kam.")
                    and self.env["ir.model.access"]
                    .with_user(user)
                    .check(model, "read", raise_exception=False)
                ):
                    continue  # a kam.* model the group may read: its own rules apply
                # a model without records yet (e.g. a new one) is called on an id
                # that does not exist: the rights are checked before the record
                record_id = self.env[model].search([], limit=1).id or 2_000_000_000
                for method in names:
                    # a method of the model (@api.model) is called without records
                    model_method = getattr(getattr(self.env[model], method), "_api_model", False)
                    results[group, model, method] = self._call(
                        model, method, None if model_method else record_id
                    )
        refused = {"odoo.exceptions.AccessError", "odoo.http.SessionExpiredException"}
        for (group, model, method), error in results.items():
            with self.subTest(group=group, model=model, method=method):
                self.assertIn(error, refused)
        # every public method of the registry was called by the groups without any
        # right on its model: nothing is left out because it has no record
        for model, names in methods.items():
            if model.startswith("kam."):
                for method in names:
                    with self.subTest(model=model, method=method):
                        self.assertIn(("portal", model, method), results)
        self.assertGreater(len(results), 20)
