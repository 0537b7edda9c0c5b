import { registry } from "@web/core/registry";

// A new version of a document in force: copy, say what changed, submit, approve,
// release; then the periodic review "reviewed, no change" in its dialog.
registry.category("web_tour.tours").add("kam_document_release", {
    steps: () => [
        {
            content: "The document is in force",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("In force")',
        },
        {
            content: "Start a new version",
            trigger: 'button[name="action_new_version"]:contains("New version")',
            run: "click",
        },
        {
            content: "The new version is a draft 1.1",
            trigger: '.o_form_view h2:contains("1.1")',
        },
        {
            content: "Say what changed",
            trigger: '.o_field_widget[name="change_summary"] textarea',
            run: "edit Torch extraction in hall 2",
        },
        {
            content: "Submit for review",
            trigger: 'button[name="action_submit"]',
            run: "click",
        },
        {
            content: "Approve",
            trigger: 'button[name="action_approve"]',
            run: "click",
        },
        {
            content: "Release",
            trigger: 'button[name="action_release"]',
            run: "click",
        },
        {
            content: "Confirm the release",
            trigger: ".modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The version is in force",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("In force")',
        },
        {
            content: "Back to the document",
            trigger: 'button[name="action_open_document"]',
            run: "click",
        },
        {
            content: "Review it",
            trigger: 'button[name="action_review"]',
            run: "click",
        },
        {
            content: "Note what was checked",
            trigger: '.modal .o_field_widget[name="notes"] textarea',
            run: "edit Checked against the new extraction",
        },
        {
            content: "Record the review",
            trigger: '.modal-footer button:contains("Record the review")',
            run: "click",
        },
        {
            content: "The review is in the chatter",
            trigger: '.o-mail-Message:contains("Reviewed, no change")',
        },
    ],
});

// An employee reads the document asked of them and confirms.
registry.category("web_tour.tours").add("kam_document_read", {
    steps: () => [
        {
            content: "Open the task to read",
            trigger: '.o_data_row td:contains("Welding")',
            run: "click",
        },
        {
            content: "The text of the version in force",
            trigger: '.o_field_widget[name="content_body"]:contains("Weld with extraction")',
        },
        {
            content: "I have read and understood it",
            trigger: 'button[name="action_acknowledge"]',
            run: "click",
        },
        {
            content: "Acknowledged",
            trigger: '.o_statusbar_status button.o_arrow_button_current:contains("Acknowledged")',
        },
    ],
});
