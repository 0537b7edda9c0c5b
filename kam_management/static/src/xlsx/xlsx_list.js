import { useState } from "@odoo/owl";
import { browser } from "@web/core/browser/browser";
import { _t } from "@web/core/l10n/translation";
import { downloadFile, parse } from "@web/core/network/download";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { ListController } from "@web/views/list/list_controller";
import { listView } from "@web/views/list/list_view";

const XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/**
 * List view with an "Export to Excel" button: downloads the register named by
 * the action context key `kam_xlsx_register` (/kam/xlsx/<register>), filtered
 * like the list (its domain; the selected records when some are selected).
 */
export class KamXlsxListController extends ListController {
    setup() {
        super.setup();
        this.notification = useService("notification");
        this.xlsxState = useState({ exporting: false });
    }

    get kamXlsxRegister() {
        return this.props.context.kam_xlsx_register;
    }

    get kamXlsxDomain() {
        const root = this.model.root;
        const domain = [...(root.domain || [])];
        if (!root.isDomainSelected && root.selection.length) {
            domain.push(["id", "in", root.selection.map((record) => record.resId)]);
        }
        return domain;
    }

    get kamXlsxUrl() {
        const register = encodeURIComponent(this.kamXlsxRegister);
        const params = new URLSearchParams({
            domain: JSON.stringify(this.kamXlsxDomain),
            // the server checks that the register exports this model: the context
            // key may be inherited by an action opened from a button
            model: this.props.resModel,
        });
        return `/kam/xlsx/${register}?${params}`;
    }

    async onClickKamXlsxExport() {
        if (this.xlsxState.exporting) {
            return;
        }
        this.xlsxState.exporting = true;
        try {
            const response = await browser.fetch(this.kamXlsxUrl, { method: "GET" });
            const type = response.headers.get("Content-Type") || "";
            if (!response.ok || !type.startsWith(XLSX_MIMETYPE)) {
                // the controller answers errors in plain text; a redirect means the
                // session expired (the login page)
                const message = type.startsWith("text/plain") ? await response.text() : "";
                this.notification.add(message || _t("The Excel export failed."), {
                    type: "danger",
                    title: _t("Export to Excel"),
                });
                return;
            }
            const header = (response.headers.get("Content-Disposition") || "").replace(/;$/, "");
            const filename = header
                ? parse(header).parameters.filename
                : `${this.kamXlsxRegister}.xlsx`;
            await downloadFile(await response.blob(), filename, XLSX_MIMETYPE);
        } catch {
            this.notification.add(_t("The Excel export failed."), {
                type: "danger",
                title: _t("Export to Excel"),
            });
        } finally {
            this.xlsxState.exporting = false;
        }
    }
}

export const kamXlsxListView = {
    ...listView,
    Controller: KamXlsxListController,
    buttonTemplate: "kam_management.XlsxListView.Buttons",
};

registry.category("views").add("kam_xlsx_list", kamXlsxListView);
