from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import KamCommon

USER_MENUS = {
    "menu_kam_root",
    "menu_kam_cases",
    "menu_kam_case_nonconformity",
    "menu_kam_case_complaint",
    "menu_kam_actions",
    "menu_kam_action_my",
    "menu_kam_system",
    "menu_kam_standard",
    "menu_kam_clause",
    "menu_kam_case_incident",
    "menu_kam_incident_quick_report",
    "menu_kam_rie",
    "menu_kam_risk",
    "menu_kam_role_assignment",
    "menu_kam_suppliers",
    "menu_kam_supplier_evaluation",
    "menu_kam_supplier_certificate",
    "menu_kam_audits",
    "menu_kam_audit_my",
    "menu_kam_certificate",
    "menu_kam_audit_checklist",
    "menu_kam_registers",
    "menu_kam_requirement",
    "menu_kam_requirement_evaluation",
    "menu_kam_requirement_change",
    "menu_kam_aspect",
    "menu_kam_context_issue",
    "menu_kam_interested_party",
    "menu_kam_interested_party_need",
    "menu_kam_risk_opportunity",
    "menu_kam_documents",
    "menu_kam_document_my",
    "menu_kam_document_to_read",
    "menu_kam_toolbox_my",
    "menu_kam_awareness",
    "menu_kam_toolbox",
    "menu_kam_leadership",
    "menu_kam_objective",
    "menu_kam_indicator",
    "menu_kam_indicator_value_enter",
}
OFFICER_MENUS = USER_MENUS | {
    "menu_kam_case_all",
    "menu_kam_action_all",
    "menu_kam_reporting",
    "menu_kam_report_cases",
    "menu_kam_report_actions",
    "menu_kam_action_plan",
    "menu_kam_report_incidents",
    "menu_kam_report_pyramid",
    "menu_kam_accident_register",
    "menu_kam_hours_worked",
    "menu_kam_report_complaints",
    "menu_kam_report_complaint_figures",
    "menu_kam_audit",
    "menu_kam_audit_calendar",
    "menu_kam_audit_programme",
    "menu_kam_audit_findings",
    "menu_kam_audit_coverage",
    "menu_kam_audit_evidence_room",
    # customer satisfaction, editions and the compliance monitor
    "menu_kam_satisfaction",
    "menu_kam_satisfaction_campaign",
    "menu_kam_satisfaction_answer",
    "menu_kam_report_satisfaction",
    "menu_kam_compliance_monitor",
    "menu_kam_standard_transition",
    "menu_kam_document_all",
    "menu_kam_document_todo",
    "menu_kam_document_version",
    "menu_kam_document_review",
    "menu_kam_document_acknowledgement",
    "menu_kam_toolbox_attendance",
    "menu_kam_toolbox_plan",
    "menu_kam_advice",
    "menu_kam_report_awareness",
    "menu_kam_dashboard",
    "menu_kam_review",
}
MANAGER_MENUS = OFFICER_MENUS | {
    "menu_kam_config",
    "menu_kam_config_settings",
    "menu_kam_config_standard",
    "menu_kam_config_stage",
    "menu_kam_config_case_type",
    "menu_kam_config_complaint_category",
    "menu_kam_config_theme",
    "menu_kam_config_role",
    "menu_kam_config_risk_factor",
    "menu_kam_config_risk_method",
    "menu_kam_config_supplier_criterion",
    "menu_kam_config_satisfaction_survey",
    "menu_kam_config_review_topic",
}
# the administrator also buys: the supplier evaluation menus under Purchase
KAM_MENUS = MANAGER_MENUS | {
    "menu_purchase_kam_supplier_evaluation",
    "menu_purchase_kam_supplier_certificate",
}


@tagged("post_install", "-at_install")
class TestAccess(KamCommon):
    def _visible_kam_menus(self, user):
        # sudo: a portal user may not even read menus; visibility is by the user's groups
        menu_ids = self.env["ir.ui.menu"].with_user(user).sudo()._visible_menu_ids()
        data = self.env["ir.model.data"].search(
            [("module", "=", "kam_management"), ("model", "=", "ir.ui.menu")]
        )
        return {d.name for d in data if d.res_id in menu_ids}

    def test_group_chain(self):
        self.assertTrue(self.kam_manager.has_group("kam_management.group_kam_officer"))
        self.assertTrue(self.kam_manager.has_group("kam_management.group_kam_user"))
        self.assertTrue(self.kam_officer.has_group("kam_management.group_kam_user"))
        self.assertFalse(self.kam_officer.has_group("kam_management.group_kam_manager"))
        self.assertFalse(self.kam_user.has_group("kam_management.group_kam_officer"))

    def test_menus_per_group(self):
        self.assertEqual(self._visible_kam_menus(self.kam_user), USER_MENUS)
        self.assertEqual(self._visible_kam_menus(self.kam_officer), OFFICER_MENUS)
        self.assertEqual(self._visible_kam_menus(self.kam_manager), MANAGER_MENUS)
        # the administrator also sees the purchase menus
        self.assertEqual(self._visible_kam_menus(self.env.ref("base.user_admin")), KAM_MENUS)
        self.assertEqual(self._visible_kam_menus(self.employee), set())
        self.assertEqual(self._visible_kam_menus(self.portal_user), set())

    def test_portal_and_public_have_no_access(self):
        kam_models = self.env["ir.model"].search([("model", "=like", "kam.%")]).mapped("model")
        self.assertIn("kam.standard", kam_models)
        self.assertIn("kam.standard.clause", kam_models)
        for user in (self.portal_user, self.public_user, self.employee):
            for model in kam_models:
                records = self.env[model].with_user(user)
                for operation in ("read", "write", "create", "unlink"):
                    with self.assertRaises(AccessError, msg=f"{user.login} {operation} {model}"):
                        records.check_access(operation)

    def test_every_model_has_access_rules(self):
        """No kam.* model is left without an ACL (Odoo would hide it from everyone)."""
        models = self.env["ir.model"].search(
            [("model", "=like", "kam.%"), ("transient", "=", False)]
        )
        for model in models.filtered(lambda m: not self.env[m.model]._abstract):
            acls = self.env["ir.model.access"].search([("model_id", "=", model.id)])
            self.assertTrue(acls, f"{model.model} has no access rights")
