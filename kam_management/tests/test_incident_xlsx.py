import datetime
import io
import json
import urllib.parse

import openpyxl

from odoo import Command
from odoo.tests import HttpCase, new_test_user, tagged

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADER_ROW = 4


@tagged("post_install", "-at_install")
class TestIncidentXlsx(HttpCase):
    """The registers of issue 5 through the download route, read with openpyxl."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.officer = new_test_user(
            cls.env,
            login="inc_xlsx_officer",
            groups="kam_management.group_kam_officer",
            tz="Europe/Amsterdam",
        )
        cls.user = new_test_user(
            cls.env, login="inc_xlsx_user", groups="kam_management.group_kam_user"
        )
        employee = cls.env["hr.employee"].create({"name": "Xander Xlsx"})
        Case = cls.env["kam.case"].with_context(tracking_disable=True)
        common = {"case_type": "incident", "incident_kind": "injury", "reported_by_id": cls.user.id}
        cls.admitted = Case.create(
            dict(
                common,
                title="Xlsx fall from platform",
                incident_datetime=datetime.datetime(2025, 4, 2, 7, 30),
                treatment="hospital",
                injury_type="fracture",
                body_part="leg",
                outcome="recovered",
                absence_days=2,
                person_status="temporary",
                employee_ids=[Command.set(employee.ids)],
                authority_reported_date=datetime.datetime(2025, 4, 2, 9, 0),
                authority_channel="phone",
                authority_reference="NLA-XLSX-1",
            )
        )
        cls.four_days = Case.create(
            dict(
                common,
                title="Xlsx sprained ankle",
                date_found=datetime.date(2025, 5, 6),
                treatment="doctor",
                absence_days=4,
            )
        )
        cls.three_days = Case.create(
            dict(
                common,
                title="Xlsx bruised hand",
                date_found=datetime.date(2025, 5, 7),
                treatment="first_aid",
                absence_days=3,
            )
        )

    def _get(self, register, domain=None):
        url = f"/kam/xlsx/{register}"
        if domain is not None:
            url += "?domain=" + urllib.parse.quote(json.dumps(domain))
        return self.url_open(url)

    def _rows(self, response):
        self.assertEqual(response.status_code, 200, response.text[:300])
        self.assertEqual(response.headers["Content-Type"], XLSX_MIMETYPE)
        ws = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]
        headers = [c.value for c in ws[HEADER_ROW]]
        rows = [
            dict(zip(headers, [c.value for c in row], strict=True))
            for row in ws.iter_rows(min_row=HEADER_ROW + 1)
        ]
        return ws, rows

    def test_accident_register(self):
        self.authenticate("inc_xlsx_officer", "inc_xlsx_officer")
        response = self._get("accident_register", [["title", "like", "Xlsx"]])
        self.assertRegex(
            response.headers["Content-Disposition"], r"accident_register_\d{4}-\d{2}-\d{2}\.xlsx"
        )
        ws, rows = self._rows(response)
        self.assertEqual(ws["A1"].value, "Accident register (Arbowet art. 9)")
        # notifiable (2 days) and more than three days: in; three days: out
        self.assertEqual(
            [row["Nature"] for row in rows], ["Xlsx fall from platform", "Xlsx sprained ankle"]
        )
        first = rows[0]
        self.assertEqual(first["Reference"], self.admitted.name)
        # stored in UTC, shown in the officer's time zone, as a real date
        self.assertEqual(first["Date and time"], datetime.datetime(2025, 4, 2, 9, 30))
        self.assertEqual(first["Date found"], datetime.datetime(2025, 4, 2))
        self.assertEqual(first["Kind"], "Accident with injury")
        self.assertEqual(first["Injury"], "Fracture")
        self.assertEqual(first["Body part"], "Leg")
        self.assertEqual(first["Injured"], "Xander Xlsx")
        self.assertEqual(first["Status of the injured person"], "Temporary (agency) worker")
        self.assertEqual(first["Treatment"], "Hospital admission (also day admission)")
        self.assertEqual(first["Days of absence"], 2)
        self.assertEqual(first["Notifiable"], "Yes")
        self.assertEqual(first["Reported through"], "Phone (0800-5151)")
        self.assertEqual(first["Arbeidsinspectie reference"], "NLA-XLSX-1")
        self.assertEqual(rows[1]["Notifiable"], "No")
        self.assertEqual(rows[1]["Days of absence"], 4)

    def test_accident_register_refused_to_users(self):
        self.authenticate("inc_xlsx_user", "inc_xlsx_user")
        response = self._get("accident_register")
        self.assertEqual(response.status_code, 403)
        self.assertNotIn(b"Fracture", response.content)
        # the incident register has no health details: users get their own incidents
        _ws, rows = self._rows(self._get("incident", [["title", "like", "Xlsx"]]))
        self.assertEqual(len(rows), 3)
        self.assertNotIn("Treatment", rows[0])
        self.assertEqual({row["Lost-time injury"] for row in rows}, {"Yes"})
