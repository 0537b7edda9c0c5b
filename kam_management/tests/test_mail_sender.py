"""Every mail of the addon has a sender, or is not queued (issue 14): a public
complaint for a company without an e-mail address queued a mail that the mail
queue refused at every run (an ERROR in the server log, never delivered)."""

from freezegun import freeze_time

from odoo.tests import TransactionCase, tagged

from odoo.addons.kam_management.tools.mail import mail_sender


@freeze_time("2026-11-16 10:00:00")
@tagged("post_install", "-at_install")
class TestMailSender(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.public = cls.env.ref("base.public_user")
        cls.silent = cls.env["res.company"].create({"name": "Stil B.V.", "email": False})
        cls.silent.alias_domain_id = False
        cls.known = cls.env["res.company"].create(
            {"name": "Bekend B.V.", "email": "kwaliteit@bekend.example.com"}
        )
        cls.customer = cls.env["res.partner"].create(
            {"name": "Klant Test", "email": "klant@klant-test.example.com", "lang": "en_US"}
        )

    def _public_complaint(self, company):
        """A complaint as the public form makes it (the public user, elevated),
        acknowledged by that user (who has no address of their own)."""
        case = (
            self.env["kam.case"]
            .with_user(self.public)
            .sudo()
            .create(
                {
                    "title": "Damaged railing",
                    "case_type": "complaint",
                    "company_id": company.id,
                    "partner_id": self.customer.id,
                }
            )
        )
        case._send_acknowledgement()
        return case

    def _mails(self, case):
        return self.env["mail.mail"].search([("model", "=", "kam.case"), ("res_id", "=", case.id)])

    def test_sender(self):
        self.assertFalse(mail_sender(self.silent, self.public))
        self.assertIn("kwaliteit@bekend.example.com", mail_sender(self.known, self.public))
        officer = self.env["res.users"].create(
            {"name": "Officer", "login": "sender_officer", "email": "officer@example.com"}
        )
        self.assertIn("officer@example.com", mail_sender(self.silent, officer))

    def test_no_sender_no_mail(self):
        """No sender: nothing queued, the complaint is not marked acknowledged and
        the officer finds a note why."""
        case = self._public_complaint(self.silent)
        self.assertFalse(self._mails(case))
        self.assertFalse(case.acknowledged_date)
        self.assertFalse(case.acknowledgement_due, "not tried again at every run of the job")
        note = case.message_ids.filtered(lambda m: "was not sent" in (m.body or ""))
        self.assertEqual(len(note), 1)
        self.assertIn("Stil B.V.", note.body)
        self.assertTrue(note.is_internal)

    def test_company_sender(self):
        """With an address: queued, from the company, also when the public user
        (who has no address) sent the form."""
        case = self._public_complaint(self.known)
        mail = self._mails(case)
        self.assertEqual(len(mail), 1)
        self.assertIn("kwaliteit@bekend.example.com", mail.email_from)
        self.assertTrue(case.acknowledged_date)
