import { Component, onWillStart, useState } from "@odoo/owl";
import { deserializeDate, formatDate } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { Layout } from "@web/search/layout";

/**
 * The clause compliance monitor: a heat map of the clauses of one standard
 * (rows) by evidence type (columns). A cell shows how many records the system
 * holds for the clause and its sub-clauses, coloured by its state (missing,
 * needs attention, present, none); clicking it opens those records.
 */
export class KamComplianceMonitor extends Component {
    static template = "kam_management.ComplianceMonitor";
    static components = { Layout };
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ data: null, loading: true, levels: 2 });
        onWillStart(() => this.load(this.props.action?.context?.standard_id || false));
    }

    async load(standardId) {
        this.state.loading = true;
        this.state.data = await this.orm.call("kam.compliance.monitor", "get_monitor_data", [], {
            standard_id: standardId || false,
        });
        this.state.loading = false;
    }

    get rows() {
        const rows = this.state.data?.rows || [];
        return rows.filter((row) => row.level <= this.state.levels);
    }

    get summary() {
        const totals = this.state.data?.totals || {};
        const clauses = (this.state.data?.rows || []).length;
        return _t(
            "%(clauses)s clauses: %(missing)s with evidence missing, %(overdue)s needing attention, %(ok)s with evidence, %(none)s without evidence.",
            {
                clauses,
                missing: totals.missing || 0,
                overdue: totals.overdue || 0,
                ok: totals.ok || 0,
                none: totals.none || 0,
            }
        );
    }

    get legend() {
        return [
            { state: "missing", label: _t("Missing: expected and not there (e.g. never audited in the cycle)") },
            { state: "overdue", label: _t("Needs attention: overdue, an open major finding, a review date passed") },
            { state: "ok", label: _t("Evidence present") },
            { state: "none", label: _t("No evidence (not required)") },
        ];
    }

    formatDay(value) {
        return value ? formatDate(deserializeDate(value)) : "";
    }

    stateLabel(state) {
        return {
            missing: _t("Missing"),
            overdue: _t("Needs attention"),
            ok: _t("Present"),
            none: _t("None"),
        }[state];
    }

    cellTitle(row, column) {
        const cell = row.cells[column.model];
        const parts = [`${row.number} ${row.name} - ${column.label}`, this.stateLabel(cell.state)];
        if (cell.count) {
            parts.push(
                _t("%(count)s record(s), latest %(date)s", {
                    count: cell.count,
                    date: this.formatDay(cell.date) || "-",
                })
            );
        }
        if (cell.late) {
            parts.push(_t("%(count)s need attention", { count: cell.late }));
        }
        if (column.expected_months) {
            parts.push(_t("Expected within %(months)s months", { months: column.expected_months }));
        }
        return parts.join("\n");
    }

    async onChangeStandard(ev) {
        await this.load(parseInt(ev.target.value));
    }

    onChangeLevels(ev) {
        this.state.levels = parseInt(ev.target.value);
    }

    async openCell(row, column, problems = false) {
        const action = await this.orm.call("kam.compliance.monitor", "action_open_cell", [
            row.id,
            column.model,
            problems,
        ]);
        this.action.doAction(action);
    }
}

registry.category("actions").add("kam_compliance_monitor", KamComplianceMonitor);
