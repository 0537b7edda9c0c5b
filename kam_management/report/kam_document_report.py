from odoo import api, models
from odoo.exceptions import AccessError, UserError

OFFICER = "kam_management.group_kam_officer"


class ReportKamDocumentControlled(models.AbstractModel):
    """A controlled copy: printed by KAM officers only, of the effective
    version only, and registered in the document's chatter (who printed which
    version when), so that replaced copies can be collected."""

    _name = "report.kam_management.report_kam_document_controlled"
    _description = "KAM controlled copy of a document"

    @api.model
    def _get_report_values(self, docids, data=None):
        if not self.env.user.has_group(OFFICER):
            raise AccessError(self.env._("Only KAM officers print controlled copies."))
        documents = self.env["kam.document"].browse(docids)
        documents.check_access("read")
        not_effective = documents.filtered(lambda document: document.state != "effective")
        if not_effective:
            raise UserError(
                self.env._(
                    "Only the effective version is printed as a controlled copy; %(document)s "
                    "has none.",
                    document=not_effective[:1].display_name,
                )
            )
        for document in documents:
            # in the company's language, whoever prints it
            document.message_post(
                body=document._kam_system_env()._(
                    "Controlled copy of version %(version)s printed.",
                    version=document.current_version_id.name,
                ),
                subtype_xmlid="mail.mt_note",
            )
        return {"doc_ids": docids, "doc_model": "kam.document", "docs": documents}
