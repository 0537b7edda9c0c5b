import { registry } from "@web/core/registry";

// From a requirement in the legal register: evaluate compliance, record the
// result and the evidence, complete the evaluation (with its confirmation).
registry.category("web_tour.tours").add("kam_compliance_evaluation", {
    steps: () => [
        {
            content: "The requirement is not evaluated yet",
            trigger: '.o_form_view .o_field_widget[name="compliance_status"]:contains("Not evaluated")',
        },
        {
            content: "Evaluate compliance",
            trigger: 'button[name="action_evaluate"]',
            run: "click",
        },
        {
            content: "A new evaluation of this requirement",
            trigger: '.o_form_view .o_field_widget[name="requirement_id"]:contains("Arbowet")',
        },
        {
            content: "Compliant",
            trigger: '.o_field_widget[name="result"] input[data-value="compliant"]',
            run: "click",
        },
        {
            content: "Record the evidence",
            trigger: '.o_field_html[name="evidence"] .odoo-editor-editable div.o-paragraph',
            run: "editor RI&E reviewed; accident register kept; prevention officer appointed.",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Complete",
            trigger: '.o_form_view button[name="action_done"]',
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The evaluation is completed and read-only",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Completed")',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="done_by_id"]',
        },
    ],
});
