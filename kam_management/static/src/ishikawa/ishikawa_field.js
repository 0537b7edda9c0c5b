import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { Component, markup } from "@odoo/owl";

/**
 * Read-only widget showing an Ishikawa (fishbone) diagram.
 *
 * The field value is an SVG document computed server-side by
 * `kam_management.tools.ishikawa.render_svg`, which escapes every user-provided
 * text, so it can be inserted as markup.
 */
export class IshikawaField extends Component {
    static template = "kam_management.IshikawaField";
    static props = { ...standardFieldProps };

    get svg() {
        return markup(this.props.record.data[this.props.name] || "");
    }
}

export const ishikawaField = {
    component: IshikawaField,
    displayName: _t("Ishikawa diagram"),
    supportedTypes: ["text"],
};

registry.category("fields").add("kam_ishikawa", ishikawaField);
