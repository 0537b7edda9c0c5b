import { registry } from "@web/core/registry";

/**
 * A complaint from a confirmed sale order to closure: register it from the
 * order, analyse it, ask the customer, follow the "satisfied" link of the
 * mail (as the customer would) and find the complaint closed.
 */
registry.category("web_tour.tours").add("kam_complaint_from_order", {
    steps: () => [
        {
            content: "Register a complaint from the sale order",
            trigger: '.o_form_statusbar button[name="action_kam_register_complaint"]',
            run: "click",
        },
        {
            content: "The customer comes from the order",
            trigger: '.modal .o_field_widget[name="partner_id"] input:value("Tour Klant B.V.")',
        },
        {
            content: "What the customer says",
            trigger: '.modal .o_field_widget[name="title"] input',
            run: "edit Railing delivered bent",
        },
        {
            content: "Register: the one deliberate step",
            trigger: '.modal footer button[name="action_register"]',
            run: "click",
        },
        {
            content: "The complaint opens with its reference",
            trigger: '.o_form_view .o_field_widget[name="name"]:contains("KL/")',
        },
        {
            content: "Go to the analysis",
            trigger: '.o_notebook .nav-link:contains("Analysis")',
            run: "click",
        },
        {
            content: "Add a cause line",
            trigger: '.o_field_widget[name="fishbone_cause_ids"] .o_field_x2many_list_row_add a',
            run: "click",
        },
        {
            content: "Open the category menu",
            trigger:
                '.o_field_widget[name="fishbone_cause_ids"] .o_data_row td[name="category"] .o_select_menu_toggler',
            run: "click",
        },
        {
            content: "Category: method",
            trigger: '.o_select_menu_item:contains("Method")',
            run: "click",
        },
        {
            content: "The category is set before the cause is typed (the row re-renders)",
            trigger:
                '.o_field_widget[name="fishbone_cause_ids"] .o_data_row td[name="category"] .o_select_menu_toggler:value("Method"), ' +
                '.o_field_widget[name="fishbone_cause_ids"] .o_data_row td[name="category"] .o_select_menu_toggler:contains("Method")',
        },
        {
            content: "The cause",
            trigger:
                '.o_field_widget[name="fishbone_cause_ids"] .o_data_row .o_field_widget[name="name"] input',
            run: "edit No packaging instruction for railings",
        },
        {
            content: "It is the root cause",
            trigger:
                '.o_field_widget[name="fishbone_cause_ids"] .o_data_row .o_field_widget[name="is_root_cause"] input',
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Saved",
            trigger: ".o_form_saved",
            // saving renders and queues the acknowledgement mail: slow on a busy machine
            timeout: 30000,
        },
        {
            content: "Ask the customer whether they are satisfied",
            trigger: '.o_form_statusbar button[name="action_request_satisfaction"]',
            run: "click",
        },
        {
            content: "The complaint waits for the customer",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Waiting for customer")',
        },
        {
            content: "The customer (not logged in) follows the 'satisfied' link of the mail",
            trigger: '.o-mail-Message a[href*="/rate/"][href$="/5"]',
            run() {
                const href = this.anchor.getAttribute("href");
                window.location.assign(
                    "/web/session/logout?redirect=" + encodeURIComponent(href)
                );
            },
            expectUnloadPage: true,
        },
        {
            content: "The customer confirms the answer",
            trigger: '.o_rating_page_submit button[type="submit"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "The customer sees the thank-you page",
            trigger: ".o_rating_page_thank_you",
            run() {
                window.location.assign(
                    "/web/login?redirect=/odoo/action-kam_management.kam_case_action_complaint"
                );
            },
            expectUnloadPage: true,
        },
        {
            content: "The officer logs in again",
            trigger: 'input[name="login"]',
            run: "edit tour_kam_officer",
        },
        {
            content: "Password",
            trigger: 'input[name="password"]',
            run: "edit tour_kam_officer",
        },
        {
            content: "Log in",
            trigger: '.oe_login_form button[type="submit"]',
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Switch to the list",
            trigger: ".o_switch_view.o_list",
            run: "click",
        },
        {
            content: "Open the complaint",
            trigger: '.o_data_row td:contains("Railing delivered bent")',
            run: "click",
        },
        {
            content: "The customer is satisfied",
            trigger: '.o_field_widget[name="satisfaction"]:contains("Satisfied")',
        },
        {
            content: "The complaint is closed",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Closed")',
        },
    ],
});

/**
 * "Register complaint" opened and left without registering: the tab is hidden
 * (visibilitychange: Odoo saves a form it hides) and the dialog is closed.
 * Nothing is registered, no customer is mailed.
 */
registry.category("web_tour.tours").add("kam_complaint_register_left", {
    steps: () => [
        {
            content: "Register a complaint from the sale order",
            trigger: '.o_form_statusbar button[name="action_kam_register_complaint"]',
            run: "click",
        },
        {
            content: "Type what the customer says",
            trigger: '.modal .o_field_widget[name="title"] input',
            run: "edit Left without registering",
        },
        {
            content: "The tab is hidden",
            trigger: '.modal .o_field_widget[name="title"] input:value("Left without registering")',
            async run() {
                Object.defineProperty(document, "visibilityState", {
                    value: "hidden",
                    configurable: true,
                });
                document.dispatchEvent(new Event("visibilitychange"));
                delete document.visibilityState;
                await new Promise((resolve) => setTimeout(resolve, 1000));
            },
        },
        {
            content: "Close the dialog without registering",
            trigger: ".modal footer button.btn-secondary",
            run: "click",
        },
        {
            content: "Back on the order, no dialog",
            trigger: "body:not(:has(.modal)) .o_form_statusbar button[name='action_kam_register_complaint']",
        },
        {
            content: "Leave the order for the list",
            trigger: ".o_breadcrumb .o_back_button a, .o_breadcrumb li.breadcrumb-item a",
            run: "click",
        },
        {
            content: "The list of orders",
            trigger: ".o_list_view",
        },
    ],
});
