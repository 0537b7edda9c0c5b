import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_utils";
import { openKamTopMenu } from "./kam_tour_utils";

registry.category("web_tour.tours").add("kam_open_clause", {
    url: "/odoo",
    steps: () => [
        stepUtils.showAppsMenuItem(),
        {
            content: "Open the KAM app",
            trigger: '.o_app[data-menu-xmlid="kam_management.menu_kam_root"]',
            run: "click",
        },
        openKamTopMenu("menu_kam_system", "Open the Management system menu"),
        {
            content: "Open the clauses",
            trigger: 'a[data-menu-xmlid="kam_management.menu_kam_clause"]',
            run: "click",
        },
        {
            content: "The clauses are listed per standard",
            trigger: '.o_list_view .o_group_header:contains("ISO 9001:2015 (91)")',
        },
        {
            content: "Search for the nonconformity clause",
            trigger: ".o_searchview_input",
            run: "edit 10.2.1",
        },
        {
            content: "Search clauses for 10.2.1",
            trigger: '.o_searchview_autocomplete .o-dropdown-item:contains("10.2.1")',
            run: "click",
        },
        {
            content: "The search is applied",
            trigger: '.o_searchview_facet:contains("10.2.1")',
        },
        {
            content: "Open the group of ISO 9001",
            trigger: '.o_group_header:contains("ISO 9001:2015 (1)")',
            run: "click",
        },
        {
            content: "Open clause 10.2.1",
            trigger: '.o_data_row td[name="number"]:contains("10.2.1")',
            run: "click",
        },
        {
            content: "The clause form shows the clause and its standard",
            trigger: '.o_form_view .o_field_widget[name="standard_id"] input:value("ISO 9001:2015")',
        },
        {
            trigger: '.o_form_view .o_field_widget[name="number"] input:value("10.2.1")',
        },
    ],
});
