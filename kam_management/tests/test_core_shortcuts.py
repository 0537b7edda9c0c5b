"""Pins the shortcuts into Odoo's internals (tools/core_shortcuts.py).

If an Odoo update changes how ir.sequence numbers, how followers are inserted
or how messages are created, these tests fail instead of the numbering or the
chatter silently going wrong."""

import datetime
import inspect

from odoo.tests import TransactionCase, tagged

from odoo.addons.kam_management.tools.core_shortcuts import (
    insert_followers,
    log_notes,
    next_references,
)


@tagged("post_install", "-at_install")
class TestCoreShortcuts(TransactionCase):
    def _sequence(self, **vals):
        values = {
            "name": "KAM pin test",
            "code": "kam.pin.test",
            "prefix": "PIN/%(range_year)s/",
            "padding": 4,
            "use_date_range": True,
            "company_id": False,
        }
        values.update(vals)
        return self.env["ir.sequence"].create(values)

    def test_references_equal_next_by_code(self):
        """A batch from the shortcut continues exactly where next_by_code stands,
        and next_by_code continues exactly after the batch (same format, no gap)."""
        sequence = self._sequence()
        day = datetime.date(2025, 6, 1)
        by_code = self.env["ir.sequence"].next_by_code
        first = by_code("kam.pin.test", sequence_date=day)
        batch = next_references(sequence, day, 3)
        after = by_code("kam.pin.test", sequence_date=day)
        self.assertEqual(
            [first, *batch, after],
            [f"PIN/2025/{n:04d}" for n in range(1, 6)],
        )
        # another year: its own date range, numbered from 1, for both paths
        other = datetime.date(2026, 2, 1)
        self.assertEqual(next_references(sequence, other, 2), ["PIN/2026/0001", "PIN/2026/0002"])
        self.assertEqual(by_code("kam.pin.test", sequence_date=other), "PIN/2026/0003")

    def test_references_without_date_range_and_no_gap(self):
        plain = self._sequence(code="kam.pin.plain", prefix="P-", use_date_range=False)
        self.assertEqual(next_references(plain, datetime.date(2025, 1, 1), 2), ["P-0001", "P-0002"])
        self.assertEqual(self.env["ir.sequence"].next_by_code("kam.pin.plain"), "P-0003")
        no_gap = self._sequence(
            code="kam.pin.nogap", prefix="G-", implementation="no_gap", use_date_range=False
        )
        self.assertEqual(
            next_references(no_gap, datetime.date(2025, 1, 1), 2), ["G-0001", "G-0002"]
        )
        self.assertEqual(self.env["ir.sequence"].next_by_code("kam.pin.nogap"), "G-0003")

    def test_case_references_follow_their_type_sequence(self):
        day = datetime.date(2025, 3, 3)
        sequence = self.env.ref("kam_management.kam_case_type_complaint").sequence_id
        expected = sequence.next_by_id(sequence_date=day)
        number = int(expected.rsplit("/", 1)[1])
        cases = self.env["kam.case"].create(
            [
                {
                    "title": f"Pin {i}",
                    "case_type": "complaint",
                    "date_found": day,
                    "date_received": day,
                }
                for i in range(3)
            ]
        )
        self.assertEqual(
            cases.mapped("name"), [f"KL/2025/{n:04d}" for n in range(number + 1, number + 4)]
        )

    def test_followers_and_notes(self):
        partners = self.env["res.partner"].create([{"name": "Follower A"}, {"name": "Follower B"}])
        records = self.env["res.partner"].create([{"name": "Thread 1"}, {"name": "Thread 2"}])
        insert_followers(records, partners)
        for record in records:
            self.assertEqual(record.message_partner_ids & partners, partners)
            # the default subtypes, as message_subscribe gives them
            follower = record.message_follower_ids.filtered(lambda f: f.partner_id == partners[0])
            self.assertIn(self.env.ref("mail.mt_comment"), follower.subtype_ids)
        messages = log_notes(records, lambda r: f"<b>{r.name}</b> created")
        self.assertEqual(len(messages), 2)
        for record, message in zip(records, messages, strict=True):
            self.assertEqual((message.model, message.res_id), (record._name, record.id))
            self.assertEqual(message.subtype_id, self.env.ref("mail.mt_note"))
            self.assertTrue(message.is_internal)
            self.assertEqual(message.author_id, self.env.user.partner_id)
            # plain text, escaped: the name cannot inject markup
            self.assertIn("&lt;b&gt;", str(message.body))
            self.assertIn(message, record.message_ids)

    def test_private_signatures(self):
        """The private methods the shortcuts call still take what they pass."""
        params = inspect.signature(self.env["mail.followers"]._insert_followers).parameters
        for name in (
            "res_model",
            "res_ids",
            "partner_ids",
            "subtypes",
            "customer_ids",
            "check_existing",
        ):
            self.assertIn(name, params)
        params = inspect.signature(self.env["ir.sequence"]._get_prefix_suffix).parameters
        self.assertIn("date", params)
        self.assertIn("date_range", params)
        self.assertIn(
            "values_list", inspect.signature(self.env["mail.thread"]._message_create).parameters
        )
        self.assertTrue(callable(self.env["ir.sequence"]._get_current_sequence))
