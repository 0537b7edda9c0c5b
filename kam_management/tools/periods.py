"""Calendar periods (month, quarter, half year, year) and figures per period.

Indicators and the management review both count, sum and compare records per
period. ``grouped_by_period`` does it for any number of periods with **one**
``_read_group``: the records are grouped by month (or by day when a period does
not start on the first of a month) and the groups are added up per period in
Python, so the number of queries does not depend on the number of periods nor
on the number of records.

Only aggregates that can be added up again are allowed (``__count``, ``:sum``,
``:min``, ``:max``); an average is a sum divided by a count."""

import bisect
import datetime
from dataclasses import dataclass

import pytz
from dateutil.relativedelta import relativedelta

from odoo.fields import Domain
from odoo.tools.misc import format_date

# frequency key -> months per period; every period starts on the first of a month
# that is a multiple of its length (quarters: January, April, July, October)
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "half_yearly": 6, "yearly": 12}
FREQUENCIES = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("half_yearly", "Half-yearly"),
    ("yearly", "Yearly"),
]
ONE_DAY = datetime.timedelta(days=1)


@dataclass(frozen=True)
class Period:
    """A period of days, ``start`` and ``end`` included."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.end < self.start:
            raise ValueError(f"A period cannot end ({self.end}) before it starts ({self.start})")

    @property
    def days(self):
        return (self.end - self.start).days + 1

    def previous(self):
        """The period of the same length just before this one (a year before a
        calendar year, the month before a month...)."""
        if self.is_whole_months():
            months = self.months()
            start = self.start - relativedelta(months=months)
            return Period(start, self.start - ONE_DAY)
        return Period(self.start - datetime.timedelta(days=self.days), self.start - ONE_DAY)

    def is_whole_months(self):
        return self.start.day == 1 and (self.end + ONE_DAY).day == 1

    def months(self):
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1


def period_of(day, frequency):
    """The calendar period of ``frequency`` that contains ``day``."""
    months = FREQUENCY_MONTHS[frequency]
    month = (day.month - 1) // months * months + 1
    start = datetime.date(day.year, month, 1)
    return Period(start, start + relativedelta(months=months) - ONE_DAY)


def periods_from(first_day, frequency, until):
    """The periods of ``frequency`` from the one holding ``first_day`` to the one
    holding ``until`` (both included)."""
    periods = []
    period = period_of(first_day, frequency)
    while period.start <= until:
        periods.append(period)
        period = period_of(period.end + ONE_DAY, frequency)
    return periods


def ended_periods(first_day, frequency, today):
    """The periods of ``frequency`` from the one holding ``first_day`` that ended
    before ``today``."""
    return [p for p in periods_from(first_day, frequency, today) if p.end < today]


def period_label(env, period, frequency):
    """'maart 2026', 'K1 2026', 'H2 2026', '2026' in the language of ``env``; a
    period that is not a calendar period shows its dates."""
    if frequency and period_of(period.start, frequency) == period:
        if frequency == "monthly":
            return format_date(env, period.start, date_format="MMMM y")
        if frequency == "quarterly":
            return format_date(env, period.start, date_format="QQQ y")
        if frequency == "half_yearly":
            return env._(
                "H%(half)s %(year)s",
                half=1 if period.start.month == 1 else 2,
                year=period.start.year,
            )
        if frequency == "yearly":
            return str(period.start.year)
    if period.is_whole_months() and period.months() == 12 and period.start.month == 1:
        return str(period.start.year)
    return f"{format_date(env, period.start)} – {format_date(env, period.end)}"


def company_tz(company):
    """The time zone in which the days of ``company`` begin and end."""
    name = company.partner_id.tz or "UTC"
    return name if name in pytz.all_timezones_set else "UTC"


def _bounds(field, first, last, tz):
    """(from, to) of a domain on ``field`` covering the days ``first`` to ``last``:
    dates for a date field, UTC moments of local midnight for a datetime field."""
    if field.type == "date":
        return first, last + ONE_DAY
    zone = pytz.timezone(tz)

    def utc(day):
        local = zone.localize(datetime.datetime.combine(day, datetime.time.min))
        return local.astimezone(pytz.utc).replace(tzinfo=None)

    return utc(first), utc(last + ONE_DAY)


def _combine(aggregate):
    if aggregate == "__count" or aggregate.endswith(":sum"):
        return lambda a, b: (a or 0) + (b or 0)
    if aggregate.endswith(":max"):
        return lambda a, b: b if a is None else a if b is None else max(a, b)
    if aggregate.endswith(":min"):
        return lambda a, b: b if a is None else a if b is None else min(a, b)
    raise ValueError(f"{aggregate}: only counts, sums, minimums and maximums add up per period")


def grouped_by_period(model, domain, date_field, periods, aggregates, groupby=(), tz="UTC"):
    """Aggregates of the records of ``model`` in ``domain`` per period, with one
    ``_read_group``.

    :param date_field: the date or datetime field that places a record in a period
        (a datetime in the time zone ``tz``)
    :param periods: a list of ``Period``; they must not overlap
    :param aggregates: e.g. ``["__count", "hours:sum"]``
    :param groupby: further groupings (``["incident_kind"]``)
    :return: ``{(index of the period, *group values): [aggregate values]}``; a
        period without records has no key
    """
    if not periods:
        return {}
    combiners = [_combine(aggregate) for aggregate in aggregates]
    ordered = sorted(range(len(periods)), key=lambda i: periods[i].start)
    starts = [periods[i].start for i in ordered]
    field = model._fields[date_field]
    granularity = "month" if all(p.is_whole_months() for p in periods) else "day"
    low, high = _bounds(field, starts[0], max(p.end for p in periods), tz)
    where = Domain(domain) & Domain(date_field, ">=", low) & Domain(date_field, "<", high)
    rows = model.with_context(tz=tz)._read_group(
        where, [f"{date_field}:{granularity}", *groupby], aggregates
    )
    result = {}
    for row in rows:
        bucket = row[0]
        if isinstance(bucket, datetime.datetime):
            bucket = bucket.date()
        position = bisect.bisect_right(starts, bucket) - 1
        if position < 0:
            continue
        index = ordered[position]
        if bucket > periods[index].end:
            continue  # between two periods that do not touch
        key = (index, *row[1 : 1 + len(groupby)])
        values = row[1 + len(groupby) :]
        if key in result:
            result[key] = [
                combine(old, new)
                for combine, old, new in zip(combiners, result[key], values, strict=True)
            ]
        else:
            result[key] = list(values)
    return result


def share(part, whole):
    """``part`` as a percentage of ``whole`` (None when there is no whole)."""
    return 100.0 * part / whole if whole else None


def total(rows, index, where=None, column=0):
    """The sum of aggregate ``column`` of ``rows`` (a ``grouped_by_period`` result)
    for the period ``index``, over the groups whose values match ``where``:
    ``{position in the groupby: accepted values}``."""
    return sum(
        values[column] or 0
        for key, values in rows.items()
        if key[0] == index
        and all(key[1 + position] in accepted for position, accepted in (where or {}).items())
    )
