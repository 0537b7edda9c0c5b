from odoo import api, models
from odoo.tools.translate import LazyTranslate

from ..tools.periods import share
from ..tools.review_inputs import Contribution, Figure

_lt = LazyTranslate(__name__)


class KamToolbox(models.Model):
    """Toolbox meetings in the management review (ISO 45001 9.3: consultation and
    participation of workers): meetings held in the period and their attendance."""

    _name = "kam.toolbox"
    _inherit = ["kam.toolbox", "kam.review.input.mixin"]

    @api.model
    def _kam_review_inputs(self, review, periods):
        Attendee = self.env["kam.toolbox.attendee"].sudo()
        held, rates = [], []
        for period in periods:  # two periods: a fixed number of queries
            meetings = self.sudo().search(
                [
                    ("company_id", "=", review.company_id.id),
                    ("state", "=", "held"),
                    ("held_date", ">=", period.start),
                    ("held_date", "<=", period.end),
                ]
            )
            states = dict(
                Attendee._read_group([("toolbox_id", "in", meetings.ids)], ["state"], ["__count"])
            )
            invited = sum(states.values())
            held.append(len(meetings))
            rates.append(share(states.get("attended", 0), invited))
        figures = [
            Figure("toolboxes", _lt("Toolbox meetings held"), held[0], held[1], better="higher"),
            Figure(
                "toolbox_attendance",
                _lt("Attendance at toolbox meetings"),
                rates[0],
                rates[1],
                unit="percent",
                better="higher",
            ),
        ]
        return [Contribution("participation", figures=figures, sequence=20)]
