{
    "name": "KAM Management (QHSE)",
    "summary": "Quality, health & safety and environment management system "
    "(ISO 9001, ISO 14001, ISO 45001) inside Odoo",
    "version": "19.0.1.0.0",
    "category": "Productivity/KAM",
    "author": "kam_management developers",
    "website": "https://github.com/kam-management/kam_management",
    "license": "LGPL-3",
    "depends": [
        "mail",
        "portal",
        "rating",
        "sale_management",
        "purchase_stock",
        "hr",
    ],
    "data": [
        "security/kam_security.xml",
        "security/ir.model.access.csv",
        "security/kam_rules.xml",
        "data/kam_standard_iso9001.xml",
        "data/kam_standard_iso14001.xml",
        "data/kam_standard_iso45001.xml",
        "data/kam_case_data.xml",
        "views/kam_standard_views.xml",
        "views/kam_standard_clause_views.xml",
        "views/kam_case_views.xml",
        "views/kam_action_views.xml",
        "views/kam_config_views.xml",
        "report/kam_case_report.xml",
        "views/res_config_settings_views.xml",
        "views/kam_menus.xml",
    ],
    "demo": [
        "demo/kam_demo_users.xml",
        "demo/kam_demo_company.xml",
        "demo/kam_demo_orders.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "kam_management/static/src/**/*",
        ],
        "web.assets_tests": [
            "kam_management/static/tests/tours/**/*",
        ],
    },
    "application": True,
}
