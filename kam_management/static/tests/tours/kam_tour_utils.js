/**
 * The KAM app has more top menus than fit in the menu bar: Odoo moves the last
 * ones under "+" (o_menu_sections_more), where their items are listed directly.
 * This step opens the top menu ``xmlid`` wherever it is, so the next step can click
 * one of its items (a[data-menu-xmlid=...]).
 */
export function openKamTopMenu(xmlid, content) {
    const section = `.o_main_navbar button[data-menu-xmlid="kam_management.${xmlid}"]`;
    const more = ".o_main_navbar .o_menu_sections_more button";
    return {
        content,
        trigger: `${section}, ${more}`,
        run() {
            const button = document.querySelector(section);
            (button && button.offsetParent !== null ? button : document.querySelector(more)).click();
        },
    };
}
