import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("kam_case_analysis", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the KAM app",
            trigger: '.o_app[data-menu-xmlid="kam_management.menu_kam_root"]',
            run: "click",
        },
        {
            content: "Open the cases menu",
            trigger: '.o_main_navbar button[data-menu-xmlid="kam_management.menu_kam_cases"]',
            run: "click",
        },
        {
            content: "Open the nonconformities",
            trigger: 'a[data-menu-xmlid="kam_management.menu_kam_case_nonconformity"]',
            run: "click",
        },
        {
            content: "Register a new nonconformity",
            trigger: ".o_control_panel_main_buttons .o-kanban-button-new, .o_control_panel_main_buttons .o_list_button_add",
            run: "click",
        },
        {
            content: "Say what went wrong",
            trigger: '.o_field_widget[name="title"] input',
            run: "edit Burr on mounting bracket",
        },
        {
            content: "Go to the analysis",
            trigger: '.o_notebook .nav-link:contains("Analysis")',
            run: "click",
        },
        {
            content: "The empty fishbone is drawn",
            trigger: ".o_kam_ishikawa svg",
        },
        {
            content: "Add a cause line",
            trigger: '.o_field_widget[name="fishbone_cause_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            content: "Open the category menu",
            trigger: '.o_field_widget[name="fishbone_cause_ids"] .o_data_row td[name="category"] .o_select_menu_toggler',
            run: "click",
        },
        {
            content: "Category: machine",
            trigger: '.o_select_menu_item:contains("Machine")',
            run: "click",
        },
        {
            content: "The category is set before the cause is typed (the row re-renders)",
            trigger:
                '.o_field_widget[name="fishbone_cause_ids"] .o_data_row td[name="category"] .o_select_menu_toggler:value("Machine"), ' +
                '.o_field_widget[name="fishbone_cause_ids"] .o_data_row td[name="category"] .o_select_menu_toggler:contains("Machine")',
        },
        {
            content: "The cause",
            trigger: '.o_field_widget[name="fishbone_cause_ids"] .o_data_row .o_field_widget[name="name"] input',
            run: "edit Worn punch",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The fishbone shows the cause on the machine bone",
            trigger: '.o_kam_ishikawa svg text:contains("Worn punch")',
        },
        {
            content: "The case got its reference",
            trigger: '.o_field_widget[name="name"]:contains("AFW/")',
        },
    ],
});
