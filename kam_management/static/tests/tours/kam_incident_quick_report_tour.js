import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";

registry.category("web_tour.tours").add("kam_incident_quick_report", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the KAM app",
            trigger: '.o_app[data-menu-xmlid="kam_management.menu_kam_root"]',
            run: "click",
        },
        {
            content: "Report an incident, from the KAM menu bar",
            trigger: '.o_main_navbar [data-menu-xmlid="kam_management.menu_kam_incident_quick_report"]',
            run: "click",
        },
        {
            content: "What happened",
            trigger: '.modal .o_field_widget[name="title"] input',
            run: "edit Ladder without feet",
        },
        {
            content: "It was a near miss",
            trigger: '.modal .o_field_widget[name="incident_kind"] input[data-value="near_miss"]',
            run: "click",
        },
        {
            content: "Where",
            trigger: '.modal .o_field_widget[name="location"] input',
            run: "edit Warehouse aisle C",
        },
        {
            content: "Stay anonymous",
            trigger: '.modal .o_field_widget[name="anonymous"] input',
            run: "click",
        },
        {
            content: "Send the report",
            trigger: '.modal button[name="action_report"]',
            run: "click",
        },
        {
            content: "Thanked, anonymously",
            trigger: '.o_notification:contains("anonymous report has been received")',
        },
        {
            content: "The dialog is closed",
            trigger: "body:not(:has(.modal))",
        },
    ],
});
