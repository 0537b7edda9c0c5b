"""Pins the shortcuts into Odoo's internals (tools/core_shortcuts.py).

If an Odoo update changes how ir.sequence numbers, how followers are inserted
or how messages are created, these tests fail instead of the numbering or the
chatter silently going wrong."""

import datetime
import inspect

from odoo.exceptions import ValidationError
from odoo.tests import TransactionCase, new_test_user, tagged

from odoo.addons.kam_management.tools.core_shortcuts import (
    FOLLOWERS_CREATE_MODULES,
    MESSAGE_CREATE_MODULES,
    activity_create_is_mails,
    create_is_own,
    insert_activities,
    insert_followers,
    log_notes,
    next_references,
    trigger_soon,
    unlink_as_uninstall,
    xmlid_to_res_id,
)


def columns_of(record, skip):
    """The values of every column of ``record`` but those in ``skip`` (the id left
    out): a row inserted by a shortcut compared with the row the ORM makes."""
    columns = [
        name
        for name, field in record._fields.items()
        if field.store and field.column_type and name not in skip
    ]
    values = record.read(columns)[0]
    values.pop("id")
    return values


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

    def test_inserted_followers_equal_orm(self):
        """The followers inserted in one statement are the rows (and subtypes)
        mail.followers' own insert makes; the documents see them at once."""
        self.assertTrue(create_is_own(self.env, "mail.followers", FOLLOWERS_CREATE_MODULES))
        partners = self.env["res.partner"].create([{"name": "Follower A"}, {"name": "Follower B"}])
        records = self.env["res.partner"].create([{"name": "Thread 1"}, {"name": "Thread 2"}])
        self.assertFalse(records[0].message_partner_ids & partners)  # cached before
        self.env["mail.followers"].sudo()._insert_followers(
            records._name,
            records[:1].ids,
            partners.ids,
            subtypes=None,
            customer_ids=[],
            check_existing=False,
        )
        insert_followers(records[1:], partners)
        self.assertEqual(records[1].message_partner_ids & partners, partners, "cache invalidated")

        def rows(record):
            return sorted(
                (f.res_model, f.partner_id.id, tuple(sorted(f.subtype_ids.ids)))
                for f in record.message_follower_ids
                if f.partner_id in partners
            )

        self.env.invalidate_all()
        self.assertEqual(rows(records[1]), rows(records[0]))
        self.assertEqual(len(rows(records[1])), 2)

    def test_inserted_notes_equal_orm(self):
        """The notes inserted in one statement are the rows mail.message.create makes
        from the same values, column by column; the documents see them at once."""
        self.assertTrue(create_is_own(self.env, "mail.message", MESSAGE_CREATE_MODULES))
        records = self.env["res.partner"].create([{"name": "Note 1"}, {"name": "Note 2"}])
        self.assertFalse(records[1].message_ids.filtered(lambda m: "Same created" in str(m.body)))
        subtype_id = self.env.ref("mail.mt_note").id
        by_orm = (
            records[:1]
            .sudo()
            ._message_create(
                [
                    {
                        "author_id": self.env.user.partner_id.id,
                        "email_from": False,
                        "reply_to": False,
                        "model": records._name,
                        "res_id": records[0].id,
                        "message_type": "notification",
                        "is_internal": True,
                        "subtype_id": subtype_id,
                        "email_add_signature": False,
                        "body": "Same created",
                    }
                ]
            )
        )
        inserted = log_notes(records[1:], lambda r: "Same created")
        self.assertIn(inserted, records[1].message_ids, "cache invalidated")
        self.env.invalidate_all()
        skip = {"id", "res_id", "message_id", "create_date", "write_date", "date"}
        self.assertEqual(columns_of(inserted, skip), columns_of(by_orm, skip))
        self.assertIn(f"-{records._name}", inserted.message_id)
        self.assertIn(str(records[1].id), inserted.message_id)
        self.assertTrue(inserted.date)
        self.assertEqual(inserted.create_uid, self.env.user)

    def test_xmlid_to_res_id(self):
        todo = self.env.ref("mail.mail_activity_data_todo")
        self.assertEqual(xmlid_to_res_id(self.env, "mail.mail_activity_data_todo"), todo.id)
        with self.assertRaises(ValueError):
            xmlid_to_res_id(self.env, "kam_management.no_such_record")

    def test_insert_activities_equal_create(self):
        """The activities inserted in one statement are the rows mail.activity.create
        makes (quick update): every column, the assignee following the document, the
        document's activity fields; another module's create() would run instead."""
        self.assertTrue(activity_create_is_mails(self.env))
        user = self.env["res.users"].create(
            {"name": "Assignee", "login": "kam_pin_assignee", "tz": "Europe/Amsterdam"}
        )
        records = self.env["res.partner"].create([{"name": "Doc 1"}, {"name": "Doc 2"}])
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("res.partner")

        def vals(record, summary):
            return {
                "res_model_id": model_id,
                "res_id": record.id,
                "activity_type_id": todo.id,
                "user_id": user.id,
                "date_deadline": datetime.date(2025, 6, 1),
                "summary": summary,
                "automated": True,
            }

        created = (
            self.env["mail.activity"]
            .with_context(mail_activity_quick_update=True)
            .create([vals(records[0], "by create")])
        )
        inserted = insert_activities(self.env, [vals(records[1], "by insert")])
        self.assertEqual(len(inserted), 1)
        self.env.invalidate_all()
        skip = {"id", "summary", "res_id", "res_name", "create_date", "write_date"}
        self.assertEqual(columns_of(inserted, skip), columns_of(created, skip))
        self.assertEqual(inserted.user_tz, "Europe/Amsterdam")
        self.assertEqual(inserted.res_name, "Doc 2")
        self.assertEqual(inserted.res_model, "res.partner")
        self.assertFalse(inserted.date_done)
        self.assertTrue(inserted.active)
        self.assertEqual(records[1].activity_ids, inserted)
        self.assertEqual(records[1].activity_state, "overdue")
        self.assertIn(user.partner_id, records[1].message_partner_ids)
        self.assertIn(user.partner_id, records[0].message_partner_ids)
        with self.assertRaises(ValueError):
            insert_activities(self.env, [dict(vals(records[0], "x"), no_such_column=1)])
        # two activities of one assignee on a document they do not follow yet (a
        # reminder and an escalation): subscribed once
        third = self.env["res.partner"].create({"name": "Doc 3"})
        self.assertNotIn(user.partner_id, third.message_partner_ids)
        both = insert_activities(self.env, [vals(third, "reminder"), vals(third, "escalation")])
        self.assertEqual(len(both), 2)
        self.assertEqual(
            len(third.message_follower_ids.filtered(lambda f: f.partner_id == user.partner_id)), 1
        )
        # subscribed as message_subscribe subscribes: the default subtypes for a new
        # follower; one who follows already keeps their own subtypes
        fourth, fifth = self.env["res.partner"].create([{"name": "Doc 4"}, {"name": "Doc 5"}])
        fourth.message_subscribe(partner_ids=user.partner_id.ids)
        note = self.env.ref("mail.mt_note")
        fifth.message_subscribe(partner_ids=user.partner_id.ids, subtype_ids=note.ids)
        sixth = self.env["res.partner"].create({"name": "Doc 6"})
        insert_activities(self.env, [vals(sixth, "new"), vals(fifth, "kept")])
        self.env.invalidate_all()

        def subtypes(record):
            return [
                sorted(f.subtype_ids.ids)
                for f in record.message_follower_ids
                if f.partner_id == user.partner_id
            ]

        self.assertEqual(subtypes(sixth), subtypes(fourth))
        self.assertEqual(subtypes(fifth), [note.ids])

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
        # insert_activities: how a column value is converted, how dependents are marked
        field = self.env["mail.activity"]._fields["summary"]
        params = inspect.signature(field.convert_to_column_insert).parameters
        for name in ("value", "record", "values"):
            self.assertIn(name, params)
        self.assertIn("create", inspect.signature(self.env["mail.activity"].modified).parameters)
        self.assertTrue(callable(self.env.user._bus_send))
        # insert_followers / log_notes: the subtypes, the invalidation, the message id
        self.assertTrue(callable(self.env["mail.followers"]._invalidate_documents))
        self.assertIn(
            "vals_list",
            inspect.signature(self.env["mail.followers"]._invalidate_documents).parameters,
        )
        self.assertIn(
            "values", inspect.signature(self.env["mail.message"]._get_message_id).parameters
        )
        self.assertEqual(len(self.env["mail.message.subtype"].default_subtypes("res.partner")), 3)
        self.assertIn(
            "raise_if_not_found",
            inspect.signature(self.env["ir.model.data"]._xmlid_to_res_id).parameters,
        )

    def test_unlink_as_uninstall(self):
        """The uninstall's deletion skips the checks of users' deletions: a
        default system parameter cannot be deleted by hand, but can be as a
        module uninstall deletes (the transaction is rolled back)."""
        param = self.env["ir.config_parameter"].search([("key", "=", "database.uuid")])
        self.assertTrue(param)
        with self.assertRaises(ValidationError):
            param.unlink()
        unlink_as_uninstall(param)
        self.assertFalse(param.exists())

    def test_trigger_soon(self):
        """A job triggered as ``ir.cron._trigger`` triggers it (and wakes the cron
        workers after the commit), once: a second call finds the trigger waiting. A
        trigger for later, or of another job, is not one that waits; the scheduler's
        own deletion of due triggers when it takes a job is the table's ``DELETE``
        (pinned with a job running in ``tests/test_cron_concurrency.py``)."""
        cron = self.env.ref("kam_management.ir_cron_kam_action_owner_notices")
        other = self.env.ref("kam_management.ir_cron_kam_complaint_acknowledgements")
        Trigger = self.env["ir.cron.trigger"].sudo()
        Trigger.search([("cron_id", "in", (cron | other).ids)]).unlink()
        later = Trigger.create(
            {"cron_id": cron.id, "call_at": datetime.datetime.now() + datetime.timedelta(hours=1)}
        )
        Trigger.create({"cron_id": other.id, "call_at": datetime.datetime.now()})
        self.env.cr.postcommit.clear()
        first = trigger_soon(cron)
        self.assertEqual(first.cron_id, cron)
        self.assertNotEqual(first, later)

        def wake_ups():
            return [f for f in self.env.cr.postcommit._funcs if f.__name__ == "_notifydb"]

        self.assertEqual(len(wake_ups()), 1, "the cron workers are woken after the commit")
        self.env.cr.postcommit.clear()
        self.assertEqual(trigger_soon(cron), first)
        employee = new_test_user(self.env, "pin_trigger", groups="base.group_user")
        self.assertEqual(trigger_soon(cron.with_user(employee)), first)
        self.assertFalse(wake_ups(), "no second wake-up")
        self.assertEqual(Trigger.search_count([("cron_id", "=", cron.id)]), 2)
        # the shape the scheduler relies on: ready when a trigger is due
        self.assertIn(
            "ir_cron_trigger", str(self.env["ir.cron"]._get_ready_sql_condition(self.env.cr))
        )
