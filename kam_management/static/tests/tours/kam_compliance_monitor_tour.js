import { registry } from "@web/core/registry";

/**
 * The compliance monitor: the heat map shows the cases of clause 10 (its
 * sub-clauses included), one of them needing attention; a click on the cell
 * opens the cases, a click on the warning only the one that needs attention.
 */
registry.category("web_tour.tours").add("kam_compliance_monitor", {
    steps: () => [
        {
            content: "The heat map of the company's standard",
            trigger: ".o_kam_monitor_standard:has(option:checked:contains('ISO 9001:2015'))",
        },
        {
            content: "Clause 10 holds two cases, one needs attention",
            trigger:
                '.o_kam_monitor_table tr[data-clause="10"] td.o_kam_cell_overdue[data-model="kam.case"] .o_kam_cell_count:contains("2")',
        },
        {
            content: "Open the case that needs attention",
            trigger: '.o_kam_monitor_table tr[data-clause="10"] td[data-model="kam.case"] .o_kam_cell_late',
            run: "click",
        },
        {
            content: "Only the overdue case",
            trigger: '.o_list_view .o_data_row:contains("Monitor tour: overdue")',
        },
        {
            trigger: ".o_list_view:not(:has(.o_data_row:contains('Monitor tour: on time')))",
        },
        {
            content: "Back to the heat map",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Open all cases of clause 10",
            trigger: '.o_kam_monitor_table tr[data-clause="10"] td[data-model="kam.case"]',
            run: "click",
        },
        {
            content: "Both cases are listed",
            trigger: '.o_list_view .o_data_row:contains("Monitor tour: on time")',
        },
        {
            trigger: '.o_list_view .o_data_row:contains("Monitor tour: overdue")',
        },
    ],
});
