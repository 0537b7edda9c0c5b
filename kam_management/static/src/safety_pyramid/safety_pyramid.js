import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";

/**
 * The safety pyramid: accidents with injury on top of near misses on top of
 * unsafe situations, each level as wide as its share of the base and labelled
 * with its count. A level opens its incidents. The counts come from
 * `kam.case.kam_safety_pyramid` (one grouped query).
 */
export class KamSafetyPyramid extends Component {
    static template = "kam_management.SafetyPyramid";
    static props = ["*"];

    setup() {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState({ period: "12_months", levels: [] });
        this.periods = [
            ["12_months", _t("Last 12 months")],
            ["this_year", _t("This year")],
            ["all", _t("All")],
        ];
        onWillStart(() => this.load());
    }

    async load() {
        this.state.levels = await this.orm.call("kam.case", "kam_safety_pyramid", [
            this.state.period,
        ]);
    }

    async setPeriod(period) {
        this.state.period = period;
        await this.load();
    }

    /** Width of a level: a pyramid whatever the counts (top narrowest), wider
     * as its count grows. */
    width(index) {
        const levels = this.state.levels.length;
        return 28 + (72 * (index + 1)) / levels;
    }

    openLevel(level) {
        this.action.doAction({
            type: "ir.actions.act_window",
            name: level.label,
            res_model: "kam.case",
            views: [
                [false, "list"],
                [false, "form"],
            ],
            domain: level.domain,
            context: { default_case_type: "incident", kam_xlsx_register: "incident" },
        });
    }
}

registry.category("actions").add("kam_safety_pyramid", KamSafetyPyramid);
