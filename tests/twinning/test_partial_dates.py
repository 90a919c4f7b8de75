import datetime

import pytest

from twinning.partial_dates import PartialDate


@pytest.mark.parametrize(
    ("text", "iso", "first", "last"),
    [
        ("2015", "2015", datetime.date(2015, 1, 1), datetime.date(2015, 12, 31)),
        ("2016-02", "2016-02", datetime.date(2016, 2, 1), datetime.date(2016, 2, 29)),
        ("24.10.2018", "2018-10-24", datetime.date(2018, 10, 24), datetime.date(2018, 10, 24)),
        ("09.2025", "2025-09", datetime.date(2025, 9, 1), datetime.date(2025, 9, 30)),
    ],
)
def test_partial_date_parse_gives_period(text, iso, first, last):
    value = PartialDate.parse(text)

    assert (value.isoformat(), value.first_day, value.last_day) == (iso, first, last)


@pytest.mark.parametrize("text", ["", "15", "2015-13", "2015-02-30", "next year", "2015-9"])
def test_partial_date_parse_rejects_nonsense(text):
    with pytest.raises(ValueError):
        PartialDate.parse(text)


def test_partial_dates_sort_in_time_order():
    values = [PartialDate.parse(t) for t in ["2018-10-24", "2015", "2018-10", "2016-01-05"]]

    assert [v.isoformat() for v in sorted(values)] == ["2015", "2016-01-05", "2018-10", "2018-10-24"]
