import { registry } from "@web/core/registry";

/**
 * A register list is readable: no column title and no reference or title cut
 * off, and "Export to Excel" on one line. Run on a list at 1440 px wide (see
 * tests/test_registers_readable.py).
 */
registry.category("web_tour.tours").add("kam_list_readable", {
    steps: () => [
        {
            content: "The list with its rows",
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "Nothing cut off",
            trigger: ".o_list_view .o_data_row",
            run() {
                // an element that cuts its text with an ellipsis and has more text than room
                const cut = (el) =>
                    el.textContent.trim() &&
                    el.scrollWidth > el.clientWidth + 1 &&
                    getComputedStyle(el).textOverflow === "ellipsis";
                const problems = [];
                const table = document.querySelector(".o_list_table");
                for (const el of table.querySelectorAll("thead th[data-name], thead th[data-name] *")) {
                    if (cut(el)) {
                        problems.push(`title "${el.textContent.trim()}"`);
                    }
                }
                for (const el of table.querySelectorAll(".o_data_row td.o_data_cell, .o_data_row td.o_data_cell *")) {
                    if (cut(el)) {
                        const name = el.closest("td").getAttribute("name");
                        problems.push(`${name} "${el.textContent.trim()}"`);
                    }
                }
                // the lists with a register have "Export to Excel": on one line
                const excel = document.querySelector(".o_kam_xlsx_export");
                if (excel && (excel.getClientRects().length !== 1 || excel.offsetHeight > 44)) {
                    problems.push(`Export to Excel wraps (${excel.offsetHeight}px high)`);
                }
                if (problems.length) {
                    throw new Error(`Cut off at ${window.innerWidth}px: ${problems.join("; ")}`);
                }
            },
        },
    ],
});
