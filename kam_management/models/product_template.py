from odoo import models


class ProductTemplate(models.Model):
    _name = "product.template"
    _inherit = ["product.template", "kam.complaint.mixin", "kam.reportable.mixin"]

    def _kam_complaint_field(self):
        return "product_id.product_tmpl_id"

    def _compute_kam_complaint_count(self):
        counts = dict(
            self.env["kam.case"]._read_group(
                self._kam_complaint_domain(), ["product_id"], ["__count"]
            )
        )
        for template in self:
            template.kam_complaint_count = sum(
                counts.get(variant, 0) for variant in template.product_variant_ids
            )

    def _kam_complaint_defaults(self):
        return {"product_id": self.product_variant_id.id}
