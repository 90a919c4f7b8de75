import datetime

import pytest

from press_releases.dates import find_dates

PUBLISHED = datetime.date(2019, 10, 30)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("С 18 по 21 сентября официальная делегация", [("С 18 по 21 сентября", "2019-09-18", "2019-09-21")]),
        ("с 28 февраля по 3 марта гости", [("с 28 февраля по 3 марта", "2019-02-28", "2019-03-03")]),
        ("с 28 декабря по 3 января 2020 года", [("с 28 декабря по 3 января 2020 года", "2019-12-28", "2020-01-03")]),
        ("24 октября 2018 г. между городами", [("24 октября 2018 г.", "2018-10-24", None)]),
        ("еще в 2015 году", [("2015 году", "2015", None)]),
        ("В 2017 - 2018 годах", [("2017 - 2018 годах", "2017", "2018")]),
        ("В апреле 2018 года", [("апреле 2018 года", "2018-04", None)]),
        ("Вчера, 29 октября, на форуме", [("Вчера, 29 октября", "2019-10-29", None)]),
        ("Позавчера делегация", [("Позавчера", "2019-10-28", None)]),
        ("в текущем году", [("в текущем году", "2019", None)]),
        ("on 24 October 2018 and from 2 to 4 May", [("24 October 2018", "2018-10-24", None), ("from 2 to 4 May", "2019-05-02", "2019-05-04")]),
        ("к 950-летию города и 31 февраля", []),
    ],
)
def test_find_dates(text, expected):
    found = find_dates(text, published_on=PUBLISHED)

    assert [(d.text, d.value.isoformat(), d.end.isoformat() if d.end else None) for d in found] == expected


def test_relative_words_need_a_publication_date():
    assert find_dates("Вчера делегация прибыла") == []
