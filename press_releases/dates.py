"""Dates in press-release text: full or partial, single or ranges, relative to the publication date.

Regular expressions cover ranges ("с 18 по 21 сентября", "с 28 февраля по 3 марта", "2017 - 2018
годах"), relative days ("вчера, 29 октября") and English forms; natasha's DatesExtractor adds any
Russian single date they missed. A day and month without a year take the publication date's year
(today's when the release has no date), so "29 октября" in a release of 30 October 2019 is 2019-10-29.
"""

import datetime
import re
from dataclasses import dataclass

from press_releases import vocabulary
from twinning.partial_dates import PartialDate


@dataclass
class DateMention:
    start: int
    stop: int
    text: str
    value: PartialDate
    end: PartialDate | None = None

    def as_dict(self):
        return {
            "start": self.start,
            "stop": self.stop,
            "text": self.text,
            "value": self.value.isoformat(),
            "end": self.end.isoformat() if self.end else None,
        }


_MONTH_RU = (
    r"(?:январ[ьяе]|феврал[ьяе]|март[аеу]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[аеу]?|"
    r"сентябр[ьяе]|октябр[ьяе]|ноябр[ьяе]|декабр[ьяе])"
)
_MONTH_EN = r"(?:" + "|".join(sorted(vocabulary.MONTHS_EN, key=len, reverse=True)) + r")\.?"
_YEAR_WORD = r"(?:\s*(?:гг?\.|годах|годов|годы|году|года|год)(?!\w))"
_DASH = r"\s*[-–—]\s*"

# Tried in order; a later pattern never takes text an earlier one matched.
_PATTERNS = [
    # с 28 февраля по 3 марта 2020 года / 28 февраля – 3 марта
    ("dm_dm", rf"(?:\bс\s+)?(?P<d1>\d{{1,2}})\s+(?P<m1>{_MONTH_RU})(?:\s+(?P<y1>\d{{4}}))?(?:\s*по\s*|{_DASH})"
     rf"(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RU})(?:\s+(?P<y2>\d{{4}}){_YEAR_WORD}?)?"),
    # с 18 по 21 сентября 2019 г. / 18–21 сентября
    ("d_dm", rf"(?:\bс\s+(?P<d1>\d{{1,2}})\s*по\s*|\b(?P<d1b>\d{{1,2}}){_DASH})(?P<d2>\d{{1,2}})\s+(?P<m2>{_MONTH_RU})"
     rf"(?:\s+(?P<y2>\d{{4}}){_YEAR_WORD}?)?"),
    # 2017 - 2018 годах
    ("y_y", rf"\b(?P<y1>\d{{4}}){_DASH}(?P<y2>\d{{4}}){_YEAR_WORD}"),
    # вчера, 29 октября (the explicit date wins; the relative word is kept in the highlighted text)
    ("rel_dm", r"\b(?P<rel>позавчера|вчера|сегодня|завтра|послезавтра|yesterday|today|tomorrow)\b,?\s+"
     rf"(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_RU}|{_MONTH_EN})(?:\s+(?P<y>\d{{4}}){_YEAR_WORD}?)?"),
    # 24 октября 2018 г.
    ("dmy", rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_RU})\s+(?P<y>\d{{4}}){_YEAR_WORD}?"),
    # 24.10.2018
    ("dotted", r"\b(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})\b"),
    # в апреле 2018 года
    ("my", rf"\b(?P<m>{_MONTH_RU})\s+(?P<y>\d{{4}}){_YEAR_WORD}?"),
    # 29 октября
    ("dm", rf"\b(?P<d>\d{{1,2}})\s+(?P<m>{_MONTH_RU})(?!\w)"),
    # в 2015 году
    ("y", rf"\b(?P<y>\d{{4}}){_YEAR_WORD}"),
    # English: from 18 to 21 September 2019 / 18-21 September
    ("en_d_dm", rf"\b(?:from\s+)?(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?(?:\s+to\s+|{_DASH})(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+"
     rf"(?P<m2>{_MONTH_EN})(?:,?\s+(?P<y2>\d{{4}}))?"),
    # 24 October 2018 / 24th of October
    ("en_dmy", rf"\b(?P<d>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m>{_MONTH_EN})(?:,?\s+(?P<y>\d{{4}}))?"),
    # October 24, 2018
    ("en_mdy", rf"\b(?P<m>{_MONTH_EN})\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:,?\s+(?P<y>\d{{4}}))?"),
    # October 2018
    ("en_my", rf"\b(?P<m>{_MONTH_EN})\s+(?P<y>\d{{4}})"),
    # in 2015
    ("en_y", r"\b(?:in|since|from|until)\s+(?P<y>(?:19|20)\d{2})\b"),
    # вчера / yesterday alone
    ("rel", r"\b(?P<rel>позавчера|вчера|сегодня|завтра|послезавтра|yesterday|today|tomorrow)\b"),
    # в этом году / this year
    ("this_year", "|".join(re.escape(phrase) for phrase in vocabulary.THIS_YEAR_PHRASES)),
]
_COMPILED = [(name, re.compile(pattern, re.IGNORECASE)) for name, pattern in _PATTERNS]


def month_number(word):
    """The month a Russian or English month word names ("сентября" -> 9, "Sept." -> 9)."""
    word = word.lower().rstrip(".")
    if word in vocabulary.MONTHS_EN:
        return vocabulary.MONTHS_EN[word]
    for stem in sorted(vocabulary.MONTH_STEMS_RU, key=len, reverse=True):
        if word.startswith(stem):
            return vocabulary.MONTH_STEMS_RU[stem]
    raise ValueError(word)


def _year(text, default):
    return int(text) if text else default


def _plausible(year):
    return 1800 <= year <= 2100


def _from_match(kind, match, reference):
    """The (start, end) partial dates a match stands for, or None when it is not a usable date."""
    groups = match.groupdict()
    year = reference.year
    if kind in ("dm_dm", "d_dm", "en_d_dm"):
        month2 = month_number(groups["m2"])
        year2 = _year(groups.get("y2"), year)
        month1 = month_number(groups["m1"]) if groups.get("m1") else month2
        year1 = _year(groups.get("y1"), year2 - 1 if month1 > month2 else year2)
        day1 = int(groups.get("d1") or groups.get("d1b"))
        return PartialDate(year1, month1, day1), PartialDate(year2, month2, int(groups["d2"]))
    if kind == "y_y":
        start, end = int(groups["y1"]), int(groups["y2"])
        if not (_plausible(start) and _plausible(end)) or end < start:
            return None
        return PartialDate(start), PartialDate(end)
    if kind == "rel":
        return PartialDate.parse(reference + datetime.timedelta(days=vocabulary.RELATIVE_DAYS[groups["rel"].lower()])), None
    if kind == "this_year":
        return PartialDate(year), None
    if kind == "dotted":
        return PartialDate(int(groups["y"]), int(groups["m"]), int(groups["d"])), None
    if kind in ("y", "en_y"):
        value = int(groups["y"])
        return (PartialDate(value), None) if _plausible(value) else None
    if kind in ("my", "en_my"):
        return PartialDate(int(groups["y"]), month_number(groups["m"])), None
    # dmy, dm, rel_dm, en_dmy, en_mdy
    return PartialDate(_year(groups.get("y"), year), month_number(groups["m"]), int(groups["d"])), None


def find_dates(text, *, published_on=None, natasha_extractor=None):
    """Every date in `text`, in text order. `published_on` (a date) resolves relative words and
    years left out; without it today's date does."""
    reference = published_on or datetime.date.today()
    taken = []
    mentions = []

    def free(start, stop):
        return all(stop <= other_start or start >= other_stop for other_start, other_stop in taken)

    for kind, pattern in _COMPILED:
        for match in pattern.finditer(text):
            start, stop = match.span()
            # Trailing spaces the optional groups swallowed are not part of the date.
            stop = start + len(match.group(0).rstrip())
            if not free(start, stop):
                continue
            if kind in ("rel", "this_year") and published_on is None:
                continue  # "вчера" means nothing without the publication date
            try:
                value = _from_match(kind, match, reference)
            except ValueError:
                value = None  # "31 февраля", a year out of range: not a date
            if value is None:
                continue
            taken.append((start, stop))
            mentions.append(DateMention(start, stop, text[start:stop], *value))
    if natasha_extractor is not None:
        for match in natasha_extractor(text):
            fact = match.fact
            if fact.year is None and fact.month is None:
                continue
            if not free(match.start, match.stop):
                continue
            try:
                year = fact.year or reference.year
                value = PartialDate(year, fact.month, fact.day if fact.month else None)
            except ValueError:
                continue
            taken.append((match.start, match.stop))
            mentions.append(DateMention(match.start, match.stop, text[match.start : match.stop], value))
    return sorted(mentions, key=lambda mention: mention.start)
