{
    "name": "KAM Management: helpdesk bridge",
    "summary": "Helpdesk tickets (OCA helpdesk_mgmt) become KAM complaints, by hand or by rule",
    "version": "19.0.1.0.0",
    "category": "Productivity/KAM",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "AGPL-3",
    "depends": ["kam_management", "helpdesk_mgmt"],
    "data": [
        "security/ir.model.access.csv",
        "security/kam_helpdesk_rules.xml",
        "views/kam_helpdesk_escalation_rule_views.xml",
        "views/helpdesk_ticket_views.xml",
        "views/kam_case_views.xml",
        "views/kam_helpdesk_menus.xml",
    ],
    "auto_install": True,
}
