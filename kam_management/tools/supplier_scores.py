"""Score mapping of the measured supplier figures (scores 0-10, one decimal).

Pure functions, no Odoo dependency, so the mapping is documented and tested in
one place:

- on-time delivery rate (percent of receipts on time): 98 % or more scores 10,
  50 % or less scores 0, linear in between;
- return rate (percent of the received quantity returned to the supplier):
  0 % scores 10, each percent returned costs one point (10 % or more: 0);
- supplier nonconformities in the period: none scores 10, each one costs two
  points (5 or more: 0).

A figure that cannot be measured (no receipts in the period) gives no score
(None): the evaluator scores that criterion by hand.
"""

ON_TIME_FULL = 98.0
ON_TIME_ZERO = 50.0
RETURN_POINTS_PER_PERCENT = 1.0
NC_POINTS_EACH = 2.0


def _clamp(score):
    return round(min(10.0, max(0.0, score)), 1)


def on_time_score(rate):
    if rate is None:
        return None
    if rate >= ON_TIME_FULL:
        return 10.0
    return _clamp((rate - ON_TIME_ZERO) * 10.0 / (ON_TIME_FULL - ON_TIME_ZERO))


def return_score(rate):
    if rate is None:
        return None
    return _clamp(10.0 - rate * RETURN_POINTS_PER_PERCENT)


def nonconformity_score(count):
    if count is None:
        return None
    return _clamp(10.0 - count * NC_POINTS_EACH)


def score_for(measure, figures):
    """The score of a criterion with ``measure`` from the evaluation's
    ``figures`` ({"on_time_rate", "return_rate", "nc_count", "receipt_count"}),
    None when the criterion has no measure or the figure is unknown."""
    if measure == "on_time_rate":
        return on_time_score(figures["on_time_rate"] if figures.get("receipt_count") else None)
    if measure == "return_rate":
        return return_score(figures["return_rate"] if figures.get("received_qty") else None)
    if measure == "nonconformity_count":
        return nonconformity_score(figures.get("nc_count", 0))
    return None


def supplier_class(total, class_a_min, class_b_min):
    """A from ``class_a_min`` points, B from ``class_b_min``, else C."""
    if total >= class_a_min:
        return "a"
    if total >= class_b_min:
        return "b"
    return "c"
