from datetime import timedelta

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestComplianceMonitorUi(HttpCase):
    def test_tour_heat_map_opens_the_records(self):
        """The heat map in the browser: a cell opens the records behind it."""
        new_test_user(
            self.env,
            login="tour_monitor",
            groups="kam_management.group_kam_officer",
            name="Monitor Officer",
        )
        self.env.company.kam_standard_ids = [
            Command.set(self.env.ref("kam_management.kam_standard_iso9001_2015").ids)
        ]
        today = fields.Date.today()
        clause = self.env.ref("kam_management.iso9001_2015_c10_2_1")
        self.env["kam.case"].create(
            [
                {
                    "title": "Monitor tour: on time",
                    "date_found": today - timedelta(days=10),
                    "deadline": today + timedelta(days=10),
                    "clause_ids": [Command.set(clause.ids)],
                },
                {
                    "title": "Monitor tour: overdue",
                    "date_found": today - timedelta(days=30),
                    "deadline": today - timedelta(days=2),
                    "clause_ids": [Command.set(clause.ids)],
                },
            ]
        )
        self.start_tour(
            "/odoo/action-kam_management.kam_compliance_monitor_action",
            "kam_compliance_monitor",
            login="tour_monitor",
        )
