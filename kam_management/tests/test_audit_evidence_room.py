"""The evidence room over HTTP: only the room's own items with its own token,
nothing of another audit or company, 404 for a wrong token, 403 once closed,
every access logged, never a 500."""

import base64
import datetime
import io

import openpyxl

from odoo import Command, fields
from odoo.tests import HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install")
class TestEvidenceRoom(HttpCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_2 = cls.env["res.company"].create({"name": "Evidence Company 2"})
        cls.officer = new_test_user(
            cls.env,
            login="room_officer",
            groups="kam_management.group_kam_officer",
            company_ids=[Command.set((cls.company | cls.company_2).ids)],
        )
        Audit = cls.env["kam.audit"]
        cls.audit = Audit.create(
            {"title": "Surveillance", "audit_type": "surveillance", "date_planned": "2026-04-01"}
        )
        cls.other_audit = Audit.create(
            {
                "title": "Other surveillance",
                "audit_type": "surveillance",
                "date_planned": "2026-04-01",
                "company_id": cls.company_2.id,
            }
        )
        Case = cls.env["kam.case"]
        Case.create({"title": "Visible NC", "company_id": cls.company.id})
        Case.create({"title": "Sister company NC", "company_id": cls.company_2.id})
        now = fields.Datetime.now()
        Room = cls.env["kam.audit.evidence.room"].with_user(cls.officer)
        cls.room = Room.create(
            {
                "name": "Our room",
                "audit_id": cls.audit.id,
                "valid_from": now - datetime.timedelta(hours=1),
                "valid_until": now + datetime.timedelta(days=1),
                "item_ids": [
                    Command.create(
                        {
                            "kind": "attachment",
                            "name": "Procedure purchasing",
                            "attachment": base64.b64encode(b"procedure text"),
                            "attachment_name": "procedure.txt",
                        }
                    ),
                    Command.create({"kind": "register", "register": "nonconformity"}),
                    Command.create({"kind": "case_statistics"}),
                ],
            }
        )
        cls.other_room = (
            cls.env["kam.audit.evidence.room"]
            .with_user(cls.officer)
            .with_company(cls.company_2)
            .create(
                {
                    "name": "Their room",
                    "audit_id": cls.other_audit.id,
                    "item_ids": [
                        Command.create(
                            {
                                "kind": "attachment",
                                "name": "Secret of company 2",
                                "attachment": base64.b64encode(b"secret"),
                                "attachment_name": "secret.txt",
                            }
                        )
                    ],
                }
            )
        )
        cls.token = cls.room.sudo().token
        cls.base = f"/kam/evidence/{cls.room.id}/{cls.token}"

    def _log(self, room=None):
        return self.env["kam.audit.evidence.access"].search(
            [("room_id", "=", (room or self.room).id)], order="id"
        )

    def test_room_shows_its_items_only(self):
        response = self.url_open(self.base)
        self.assertEqual(response.status_code, 200)
        self.assertIn("Procedure purchasing", response.text)
        self.assertNotIn("Secret of company 2", response.text)
        self.assertNotIn("Visible NC", response.text)
        attachment, register, statistics = self.room.item_ids.sorted("id")
        response = self.url_open(f"{self.base}/{attachment.id}")
        self.assertEqual((response.status_code, response.content), (200, b"procedure text"))
        # the register: this company's records only, read as the officer
        response = self.url_open(f"{self.base}/{register.id}")
        self.assertEqual(response.status_code, 200)
        sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
        titles = {row[1] for row in sheet.iter_rows(min_row=5, values_only=True)}
        self.assertIn("Visible NC", titles)
        self.assertNotIn("Sister company NC", titles)
        response = self.url_open(f"{self.base}/{statistics.id}")
        self.assertEqual(response.status_code, 200)
        self.assertNotIn("Visible NC", response.text)
        self.assertEqual(self._log().mapped("granted"), [True] * 4)
        self.assertEqual(self._log()[0].what, "index")

    def test_isolation(self):
        other_item = self.other_room.item_ids
        other_token = self.other_room.sudo().token
        for path in (
            # another room's item through this room
            f"{self.base}/{other_item.id}",
            # a wrong token, another room's token, an unknown room
            f"/kam/evidence/{self.room.id}/wrong-token",
            f"/kam/evidence/{self.room.id}/{other_token}",
            f"/kam/evidence/{self.other_room.id}/{self.token}",
            f"/kam/evidence/{self.other_room.id}/{self.token}/{other_item.id}",
            f"/kam/evidence/999999/{self.token}",
            # malformed
            f"/kam/evidence/{self.room.id}/{self.token}/not-a-number",
            f"/kam/evidence/{self.room.id}",
            f"{self.base}/{2**40}",
        ):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 404, path)
            self.assertNotIn("Secret of company 2", response.text, path)
            self.assertNotIn("procedure", response.text, path)
        # refused attempts on a room are logged, none granted
        self.assertFalse(self._log().filtered("granted"))
        self.assertTrue(self._log())
        self.assertFalse(self._log(self.other_room).filtered("granted"))

    def test_closed_room(self):
        attachment = self.room.item_ids.sorted("id")[0]
        self.room.sudo().valid_until = fields.Datetime.now() - datetime.timedelta(minutes=1)
        self.room.sudo().valid_from = fields.Datetime.now() - datetime.timedelta(days=1)
        for path in (self.base, f"{self.base}/{attachment.id}"):
            response = self.url_open(path)
            self.assertEqual(response.status_code, 403, path)
            self.assertNotIn("procedure", response.text)
        # not open yet
        self.room.sudo().write(
            {
                "valid_from": fields.Datetime.now() + datetime.timedelta(days=1),
                "valid_until": fields.Datetime.now() + datetime.timedelta(days=2),
            }
        )
        self.assertEqual(self.url_open(self.base).status_code, 403)
        # a new address: the old token stops working
        self.room.sudo().write(
            {
                "valid_from": fields.Datetime.now() - datetime.timedelta(days=1),
                "valid_until": fields.Datetime.now() + datetime.timedelta(days=2),
            }
        )
        self.assertEqual(self.url_open(self.base).status_code, 200)
        self.room.with_user(self.officer).action_new_token()
        self.assertEqual(self.url_open(self.base).status_code, 404)
        self.assertEqual(
            self.url_open(f"/kam/evidence/{self.room.id}/{self.room.sudo().token}").status_code,
            200,
        )
        self.assertEqual(
            [log.granted for log in self._log()], [False, False, False, True, False, True]
        )

    def test_only_for_external_audits(self):
        internal = self.env["kam.audit"].create({"title": "Internal", "date_planned": "2026-04-01"})
        with self.assertRaisesRegex(Exception, "external audit"):
            self.env["kam.audit.evidence.room"].create({"name": "x", "audit_id": internal.id})
