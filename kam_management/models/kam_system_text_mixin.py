from odoo import models

from ..tools.languages import company_lang


class KamSystemTextMixin(models.AbstractModel):
    """Texts the system writes on a record (the creation note, automatic notes,
    reasons it records itself) in the language of the record's company, not in
    the language of whoever happened to trigger them: an English administrator
    who imports Dutch cases, the mail gateway or the daily job leave Dutch notes
    in a Dutch company.

    A model opts in by inheriting this mixin (listed before ``mail.thread``); it then
    writes such texts through ``_kam_system_env()``:
    ``record._kam_system_env()._("Case %(reference)s created", ...)``.
    Activities are written in their assignee's language instead
    (``tools/activities.py``); mails in their recipient's (mail templates)."""

    _name = "kam.system.text.mixin"
    _description = "KAM texts written by the system"

    def _kam_system_company(self):
        """The company whose language the record's system texts use."""
        if "company_id" in self._fields and len(self.company_id) == 1:
            return self.company_id
        return self.env.company

    def _kam_system_lang(self):
        return company_lang(self._kam_system_company())

    def _kam_in_system_lang(self):
        """``self`` with the company's language (one company per call)."""
        return self.with_context(lang=self._kam_system_lang())

    def _kam_system_env(self):
        """The environment in the company's language, for ``env._(...)``."""
        return self._kam_in_system_lang().env

    def _kam_creation_note(self):
        """The note logged when the record is created, e.g.
        ``self.env._("Hazard created")`` (called in the company's language);
        False: mail.thread's "<model> created". A text of the module's own is in
        the company's language also while the module's translations of model
        names are not loaded yet (demo data at install)."""
        return False

    def activity_feedback(
        self,
        act_type_xmlids,
        user_id=None,
        feedback=None,
        attachment_ids=None,
        only_automated=True,
    ):
        """The "done" note of an activity in the company's language (one call
        per language), whoever marks it done."""
        by_lang = {}
        for record in self:
            by_lang.setdefault(record._kam_system_lang(), []).append(record.id)
        for lang, ids in by_lang.items():
            super(KamSystemTextMixin, self.browse(ids).with_context(lang=lang)).activity_feedback(
                act_type_xmlids,
                user_id=user_id,
                feedback=feedback,
                attachment_ids=attachment_ids,
                only_automated=only_automated,
            )
        return True

    def _creation_message(self):
        record = self._kam_in_system_lang()
        return record._kam_creation_note() or super(KamSystemTextMixin, record)._creation_message()
