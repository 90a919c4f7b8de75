"""Partial dates: the one representation of a date a source may give only in part.

Sources say "in 2015", "in September 2019" or "24 October 2018". A partial date is stored as
text in ISO 8601 reduced precision: "2015", "2015-09" or "2015-09-24". That text sorts in
time order, reads the same in the database, the API and CSV exports, and a year filter is a
prefix match. `PartialDate` is the Python value; `PartialDateField` the model field.
"""

import calendar
import datetime
import re
from functools import total_ordering

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Left, Length
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

ISO_PATTERN = r"^[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
_ISO_RE = re.compile(ISO_PATTERN)
_DOTTED_RE = re.compile(r"^(?:(\d{1,2})\.)?(\d{1,2})\.(\d{4})$")  # 24.10.2018 or 10.2018

YEAR, MONTH, DAY = "year", "month", "day"


@total_ordering
class PartialDate:
    """A year, a year and month, or a full date."""

    __slots__ = ("year", "month", "day")

    def __init__(self, year, month=None, day=None):
        if day is not None and month is None:
            raise ValueError("a day needs a month")
        if not 1 <= year <= 9999:
            raise ValueError("year out of range")
        if month is not None and not 1 <= month <= 12:
            raise ValueError("month out of range")
        if day is not None:
            datetime.date(year, month, day)  # raises ValueError for 31 February
        self.year, self.month, self.day = year, month, day

    @classmethod
    def parse(cls, value):
        """Parse "2015", "2015-09", "2015-09-24", "24.10.2018", "10.2018" or a date."""
        if value is None or isinstance(value, PartialDate):
            return value
        if isinstance(value, datetime.datetime):
            value = value.date()
        if isinstance(value, datetime.date):
            return cls(value.year, value.month, value.day)
        text = str(value).strip()
        if _ISO_RE.match(text):
            parts = [int(p) for p in text.split("-")]
            return cls(*parts)
        dotted = _DOTTED_RE.match(text)
        if dotted:
            day, month, year = dotted.groups()
            return cls(int(year), int(month), int(day) if day else None)
        raise ValueError(f"not a partial date: {text!r}")

    @property
    def precision(self):
        return DAY if self.day else MONTH if self.month else YEAR

    @property
    def first_day(self):
        return datetime.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self):
        if self.day:
            return self.first_day
        month = self.month or 12
        return datetime.date(self.year, month, calendar.monthrange(self.year, month)[1])

    def as_date(self):
        """The full date, or None when the source gave only a year or a month."""
        return self.first_day if self.day else None

    def isoformat(self):
        text = f"{self.year:04d}"
        if self.month:
            text += f"-{self.month:02d}"
        if self.day:
            text += f"-{self.day:02d}"
        return text

    def display(self):
        """Human form in the active language: "2015", "сентябрь 2015", "24.10.2018"."""
        if self.day:
            return self.first_day.strftime("%d.%m.%Y")
        if self.month:
            return f"{month_name(self.month)} {self.year}"
        return str(self.year)

    def __str__(self):
        return self.isoformat()

    def __repr__(self):
        return f"PartialDate({self.isoformat()!r})"

    def __eq__(self, other):
        if isinstance(other, str):
            try:
                other = PartialDate.parse(other)
            except ValueError:
                return False
        if not isinstance(other, PartialDate):
            return NotImplemented
        return self.isoformat() == other.isoformat()

    def __lt__(self, other):
        if not isinstance(other, PartialDate):
            other = PartialDate.parse(other)
        return self.isoformat() < other.isoformat()

    def __hash__(self):
        return hash(self.isoformat())

    def __len__(self):
        # Lets the CharField max_length validator measure the stored text.
        return len(self.isoformat())


def month_name(month):
    names = [
        pgettext("month", "January"), pgettext("month", "February"), pgettext("month", "March"),
        pgettext("month", "April"), pgettext("month", "May"), pgettext("month", "June"),
        pgettext("month", "July"), pgettext("month", "August"), pgettext("month", "September"),
        pgettext("month", "October"), pgettext("month", "November"), pgettext("month", "December"),
    ]
    return names[month - 1]


class PartialDateFormField(forms.CharField):
    default_error_messages = {
        "invalid": _("Enter a year (2015), a month (2015-09) or a date (2015-09-24 or 24.09.2015)."),
    }

    def to_python(self, value):
        value = super().to_python(value)
        if value in self.empty_values:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from None

    def prepare_value(self, value):
        return value.isoformat() if isinstance(value, PartialDate) else value


class PartialDateField(models.CharField):
    """A date known to the year, the month or the day, stored as reduced-precision ISO text."""

    description = _("Partial date (year, month or day)")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("help_text", _("A year (2015), a month (2015-09) or a full date (2015-09-24)."))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("max_length", None)
        return name, path, args, kwargs

    def from_db_value(self, value, expression, connection):
        return None if value is None else PartialDate.parse(value)

    def to_python(self, value):
        if value in (None, ""):
            return None
        try:
            return PartialDate.parse(value)
        except ValueError:
            raise ValidationError(PartialDateFormField.default_error_messages["invalid"], code="invalid") from None

    def get_prep_value(self, value):
        if value in (None, ""):
            return None
        if hasattr(value, "resolve_expression"):
            return value
        try:
            return PartialDate.parse(value).isoformat()
        except ValueError:
            # Let the database's CHECK constraint name the problem rather than hiding it here.
            return str(value)

    def value_to_string(self, obj):
        value = self.value_from_object(obj)
        return "" if value is None else PartialDate.parse(value).isoformat()

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PartialDateFormField, **kwargs})


def format_check(field_name, name):
    """A CHECK constraint that the stored text is a well-formed partial date."""
    return models.CheckConstraint(
        condition=Q(**{f"{field_name}__isnull": True}) | Q(**{f"{field_name}__regex": ISO_PATTERN}),
        name=name,
    )


def not_before_check(start, end, name):
    """A CHECK constraint that `end` does not come before `start`.

    Compares on the shorter precision, so "2015" ends no earlier than "2015-09-18" starts.
    """
    return models.CheckConstraint(
        condition=Q(**{f"{start}__isnull": True})
        | Q(**{f"{end}__isnull": True})
        | Q(**{f"{end}__gte": Left(start, Length(end))}),
        name=name,
    )


def on_or_after(field_name, day):
    """Q: the partial date's period reaches `day` or later."""
    return Q(**{f"{field_name}__gte": Left(models.Value(day.isoformat()), Length(field_name))})


def on_or_before(field_name, day):
    """Q: the partial date's period starts on `day` or earlier."""
    return Q(**{f"{field_name}__lte": day.isoformat()})


def in_year(field_name, year):
    return Q(**{f"{field_name}__startswith": f"{int(year):04d}"})
