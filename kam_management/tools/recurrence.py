"""'Due every N': recurring due dates with python-dateutil's rrule.

A series is anchored on its start date and keeps that day: monthly from 31 January
gives 28 (or 29) February, 31 March, 30 April, 31 May... A day that a shorter month
lacks falls on that month's last day, and the series returns to the anchor day
afterwards (unlike adding ``relativedelta(months=1)`` step by step, which drifts to
the 28th). Yearly from 29 February gives 28 February in common years and 29 February
in leap years."""

import datetime

from dateutil.rrule import MONTHLY, WEEKLY, YEARLY, rrule

# frequency key -> (rrule frequency, interval)
RULES = {
    "weekly": (WEEKLY, 1),
    "monthly": (MONTHLY, 1),
    "quarterly": (MONTHLY, 3),
    "half_yearly": (MONTHLY, 6),
    "yearly": (YEARLY, 1),
    "two_yearly": (YEARLY, 2),
    "three_yearly": (YEARLY, 3),
}

# the usual choices for a "due every" selection field
FREQUENCIES = [
    ("monthly", "Monthly"),
    ("quarterly", "Quarterly"),
    ("half_yearly", "Half-yearly"),
    ("yearly", "Yearly"),
    ("two_yearly", "Every two years"),
    ("three_yearly", "Every three years"),
]


def series(frequency, start):
    """The rrule of the dates due every ``frequency`` from ``start`` (a date), start
    included."""
    freq, interval = RULES[frequency]
    dtstart = datetime.datetime.combine(start, datetime.time())
    if freq == WEEKLY or start.day <= 28:
        return rrule(freq, dtstart=dtstart, interval=interval)
    # the anchor day, or the last day of a month that is too short for it
    extra = {"bymonth": start.month} if freq == YEARLY else {}
    return rrule(
        freq, dtstart=dtstart, interval=interval, bymonthday=(start.day, -1), bysetpos=1, **extra
    )


def next_due(frequency, start, after=None):
    """The first date of the series ``frequency`` from ``start`` that is later than
    ``after`` (default: ``start``, so the date one step on). ``start`` itself when
    ``after`` is earlier."""
    after = after or start
    moment = series(frequency, start).after(datetime.datetime.combine(after, datetime.time()))
    return moment.date()
