import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";
import { openKamTopMenu } from "./kam_tour_utils";

registry.category("web_tour.tours").add("kam_leadership", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the KAM app",
            trigger: '.o_app[data-menu-xmlid="kam_management.menu_kam_root"]',
            run: "click",
        },
        openKamTopMenu("menu_kam_leadership", "Open the leadership menu"),
        {
            content: "Open the KAM dashboard",
            trigger: 'a[data-menu-xmlid="kam_management.menu_kam_dashboard"]',
            run: "click",
        },
        {
            content: "The dashboard spreadsheet is drawn",
            trigger: ".o_spreadsheet_dashboard_action .o-grid canvas",
        },
        openKamTopMenu("menu_kam_leadership", "Open the leadership menu again"),
        {
            content: "Open the management reviews",
            trigger: 'a[data-menu-xmlid="kam_management.menu_kam_review"]',
            run: "click",
        },
        {
            content: "Plan a new review",
            trigger: ".o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: '.o_field_widget[name="name"] input',
            run: "edit Tour review",
        },
        {
            content: "Gather the inputs",
            trigger: 'button[name="action_prepare"]',
            run: "click",
        },
        {
            content: "Open the inputs",
            trigger: '.o_notebook .nav-link:contains("Inputs")',
            run: "click",
        },
        {
            content: "The inputs are frozen, one row per topic",
            trigger: '.o_field_widget[name="section_ids"] .o_data_row td.o_data_cell:contains("Customer satisfaction")',
            run: "click",
        },
        {
            content: "The topic shows its figures and room for the conclusion",
            trigger: '.modal .o_field_widget[name="figure_ids"] .o_data_row:contains("Complaints received")',
        },
        {
            content: "Write the conclusion",
            trigger: '.modal .o_field_widget[name="conclusion"] .odoo-editor-editable',
            run: "editor Complaints went down.",
        },
        {
            content: "Save the topic",
            trigger: ".modal .o_form_button_save",
            run: "click",
        },
        {
            content: "Save the review",
            trigger: ".o_form_view:not(.modal .o_form_view) .o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_view .o_form_saved",
        },
        {
            content: "The review says what is still missing before approval",
            trigger: '.alert-warning .o_field_widget[name="missing"]:contains("Overall conclusion")',
        },
    ],
});
