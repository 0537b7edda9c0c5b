import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { Component, markup } from "@odoo/owl";

/**
 * Read-only widget showing an SVG chart computed on the server (the trend of an
 * indicator, `kam_management.tools.trend_chart.render_svg`, which escapes every
 * text), so it can be inserted as markup.
 */
export class KamSvgField extends Component {
    static template = "kam_management.KamSvgField";
    static props = { ...standardFieldProps };

    get svg() {
        return markup(this.props.record.data[this.props.name] || "");
    }
}

export const kamSvgField = {
    component: KamSvgField,
    displayName: _t("Chart"),
    supportedTypes: ["text"],
};

registry.category("fields").add("kam_svg", kamSvgField);
