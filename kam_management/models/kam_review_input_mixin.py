from odoo import api, models


class KamReviewInputMixin(models.AbstractModel):
    """A model whose data feeds the management review (ISO 9001 9.3.2, ISO 14001
    9.3, ISO 45001 9.3).

    A model inherits this mixin and returns, from ``_kam_review_inputs(review,
    periods)``, its contributions (``tools.review_inputs.Contribution``: figures
    and short tables for one topic of the review, by the topic's code). The
    review finds every adopter through the registry when it is prepared and
    freezes what they return; nothing central lists them. ``periods`` is
    ``(period under review, the period before)`` (``tools.periods.Period``): a
    figure gives both values, so the review compares them. The method runs as
    superuser on the model of the adopter, for the review's company: it must
    filter on ``review.company_id`` itself and should use one grouped query for
    both periods (``tools.periods.grouped_by_period``)."""

    _name = "kam.review.input.mixin"
    _description = "KAM input of the management review"

    @api.model
    def _kam_review_inputs(self, review, periods):
        """The contributions of this model to ``review`` (a list of
        ``tools.review_inputs.Contribution``)."""
        return []
