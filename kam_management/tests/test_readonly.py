import json

from odoo.tests import HttpCase, new_test_user, tagged

# the KAM methods a read-only replica may serve (db_replica_host): the buttons that
# open figures, dashboards and registers; they read and never write
READONLY_METHODS = {
    "kam.standard": ["action_view_clauses"],
    "kam.standard.clause": ["action_view_evidence"],
    "kam.clause.evidence": ["action_open_record"],
    "kam.case": ["action_view_actions"],
    "kam.audit": ["action_view_actions", "action_view_findings"],
    "kam.audit.programme": ["action_view_audits", "action_view_coverage"],
    "kam.certificate": ["action_view_audits"],
    "kam.requirement": ["action_view_actions", "action_view_evaluations", "action_view_changes"],
    "kam.risk": ["action_view_actions", "action_view_incidents"],
    "kam.document": ["action_view_actions", "action_view_versions", "action_view_acknowledgements"],
    "kam.toolbox.plan": ["action_view_toolboxes"],
    "res.partner": ["action_kam_view_complaints", "action_kam_supplier_evaluations"],
    "product.template": ["action_kam_view_complaints"],
    "hr.employee": ["action_kam_view_incidents"],
    "kam.satisfaction.campaign": [
        "action_view_answers",
        "action_view_results",
        "action_view_cases",
    ],
    "kam.compliance.monitor": ["get_monitor_data", "action_open_cell"],
}


def readonly_flag(model_class, method_name):
    """As Odoo's /web/dataset/call_kw decides whether a replica may serve a call."""
    for cls in model_class.mro():
        method = getattr(cls, method_name, None)
        if method is not None and hasattr(method, "_readonly"):
            return method._readonly
    return False


@tagged("post_install", "-at_install")
class TestReadonlyReplica(HttpCase):
    """Figures, dashboards and registers are read-only work: the web client's calls
    run on a read-only cursor (Odoo's test mode makes it a READ ONLY transaction,
    as a replica is) without falling back to the primary."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="ro_officer",
            groups="kam_management.group_kam_officer,purchase.group_purchase_user",
        )
        cls.partner = cls.env["res.partner"].create({"name": "Replica Staal BV"})
        cls.case = (
            cls.env["kam.case"]
            .with_context(tracking_disable=True)
            .create({"title": "Replica burr on flange", "case_type": "nonconformity"})
        )

    def test_methods_are_marked_read_only(self):
        for model, methods in READONLY_METHODS.items():
            for method in methods:
                with self.subTest(model=model, method=method):
                    self.assertIs(readonly_flag(type(self.env[model]), method), True)
        # a button that writes stays on the primary
        self.assertFalse(readonly_flag(type(self.env["kam.case"]), "action_close"))
        self.assertFalse(
            readonly_flag(type(self.env["kam.supplier.evaluation"]), "action_refresh_figures")
        )

    def call_button(self, model, method, record_id):
        return self.make_jsonrpc_request(
            f"/web/dataset/call_button/{model}.{method}",
            {"model": model, "method": method, "args": [[record_id]], "kwargs": {}},
        )

    def test_buttons_run_on_a_read_only_cursor(self):
        self.authenticate("ro_officer", "ro_officer")
        standard = self.env.ref("kam_management.kam_standard_iso9001_2015")
        clause = standard.clause_ids[:1]
        calls = [
            ("kam.standard", "action_view_clauses", standard.id, "kam.standard.clause"),
            ("kam.standard.clause", "action_view_evidence", clause.id, "kam.clause.evidence"),
            ("kam.case", "action_view_actions", self.case.id, "kam.action"),
            ("res.partner", "action_kam_view_complaints", self.partner.id, "kam.case"),
            ("res.partner", "action_kam_supplier_evaluations", self.partner.id, None),
        ]
        # a write in a read-only route makes Odoo log a warning and retry on the primary
        with self.assertNoLogs("odoo.http", "WARNING"):
            for model, method, record_id, res_model in calls:
                with self.subTest(method=f"{model}.{method}"):
                    action = self.call_button(model, method, record_id)
                    self.assertEqual(action["type"], "ir.actions.act_window")
                    if res_model:
                        self.assertEqual(action["res_model"], res_model)
            # the figures as the graph/pivot views ask for them (Odoo marks them read-only)
            groups = self.make_jsonrpc_request(
                "/web/dataset/call_kw/kam.case/formatted_read_group",
                {
                    "model": "kam.case",
                    "method": "formatted_read_group",
                    "args": [[["id", "=", self.case.id]], ["case_type"], ["__count"]],
                    "kwargs": {},
                },
            )
            self.assertEqual(
                [(g["case_type"], g["__count"]) for g in groups], [("nonconformity", 1)]
            )
            # the register export (GET /kam/xlsx/<register>, readonly=True)
            response = self.url_open(
                "/kam/xlsx/case?domain=" + json.dumps([["id", "=", self.case.id]])
            )
            self.assertEqual(response.status_code, 200)
            self.assertTrue(response.content.startswith(b"PK"))
