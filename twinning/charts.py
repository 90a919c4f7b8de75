"""Geometry for the SVG bar charts of the statistics page, drawn on the server.

No chart library and no script: the templates in templates/statistics/ turn these numbers
into <rect> and <text> elements inside a viewBox, so the charts scale with the page, print,
and work with JavaScript off. Styles live in static/stats/stats.css.
"""

from dataclasses import dataclass

WIDTH = 640
ROW_HEIGHT = 22
LABEL_WIDTH = 190
VALUE_GAP = 6
PLOT_HEIGHT = 160
AXIS_HEIGHT = 20


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float
    css_class: str = ""


def _scale(value, maximum, length):
    return 0 if maximum == 0 else value / maximum * length


def horizontal_bars(rows, *, css_class=""):
    """One bar per (label, value), one under the other; returns (bars, height of the chart)."""
    rows = list(rows)
    maximum = max((value for _label, value in rows), default=0)
    plot_width = WIDTH - LABEL_WIDTH - 50  # room for the value after the bar
    bars = [
        Bar(
            label=str(label),
            value=value,
            x=LABEL_WIDTH,
            y=index * ROW_HEIGHT,
            width=round(_scale(value, maximum, plot_width), 1),
            height=ROW_HEIGHT - 6,
            css_class=css_class,
        )
        for index, (label, value) in enumerate(rows)
    ]
    return bars, len(rows) * ROW_HEIGHT


@dataclass(frozen=True)
class YearColumn:
    year: int
    bars: list
    tick: bool  # print the year under this column


def year_columns(years, series, *, tick_every=5):
    """Columns of side-by-side bars per year: `years` is [{"year": y, name: n, …}], `series` the names to draw."""
    years = list(years)
    maximum = max((row[name] for row in years for name in series), default=0)
    slot = WIDTH / max(len(years), 1)
    bar_width = max(slot * 0.8 / len(series), 0.5)
    columns = []
    for index, row in enumerate(years):
        bars = []
        for offset, name in enumerate(series):
            height = round(_scale(row[name], maximum, PLOT_HEIGHT), 1)
            bars.append(
                Bar(
                    label=f"{row['year']}: {row[name]}",
                    value=row[name],
                    x=round(index * slot + slot * 0.1 + offset * bar_width, 2),
                    y=PLOT_HEIGHT - height,
                    width=round(bar_width, 2),
                    height=height,
                    css_class=f"series-{name}",
                )
            )
        columns.append(YearColumn(year=row["year"], bars=bars, tick=row["year"] % tick_every == 0))
    return columns, slot
