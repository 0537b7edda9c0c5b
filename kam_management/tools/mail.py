"""Who sends the mails of kam_management.

A mail without a sender is queued, then refused at every run of the mail queue
(an ERROR in the server log each time; the customer never gets it). So every
mail of the addon is sent from :func:`mail_sender` (the templates use the same
``res.company.kam_mail_from``), and a mail that would have no sender is not
queued at all: :func:`without_sender` picks those records out and
:func:`note_not_mailed` tells the KAM officer on each of them."""

from .core_shortcuts import log_notes
from .languages import company_lang


def mail_sender(company, user=None):
    """The sender of a mail for ``company``: the company's address (or the
    default sender of its mail domain or of the server), else the address of the
    ``user`` who sends it; "" when there is none."""
    sender = company.kam_mail_from
    if not sender and user and user.email:
        sender = user.email_formatted
    return sender or ""


def without_sender(records, user=None):
    """The part of ``records`` (each with a ``company_id``) whose mail would have
    no sender."""
    return records.filtered(lambda record: not mail_sender(record.company_id, user))


def note_not_mailed(records, mail_name):
    """An internal note on each of ``records``, in its company's language, that
    the mail ``mail_name(env)`` (a translated name) was not sent because the
    company has no e-mail address."""
    for record in records:
        record = record.with_context(lang=company_lang(record.company_id))
        log_notes(
            record,
            lambda rec: rec.env._(
                "%(mail)s was not sent: %(company)s has no e-mail address (Settings > "
                "Companies), so no mail can leave for it.",
                mail=mail_name(rec.env),
                company=rec.company_id.name,
            ),
        )
