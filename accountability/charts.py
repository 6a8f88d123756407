"""Small server-side SVG charts: no JavaScript, no chart library, nothing fetched from outside.

The markup uses presentation attributes and CSS classes only (no ``style`` attributes), so
the portal's Content-Security-Policy holds. Every text is escaped by ``format_html``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from django.utils.formats import date_format
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

COLOURS = ("#1f6feb", "#d97706", "#15803d", "#b91c1c")


def bar_chart(
    rows: Sequence[tuple[str, float]], *, title: str, maximum: float = 100.0, unit: str = ""
) -> SafeString:
    """Return horizontal bars, one per (label, value), scaled to ``maximum``."""
    row_height, label_width, bar_width = 22, 180, 360
    height = row_height * len(rows) + 10
    width = label_width + bar_width + 60
    bars = []
    for index, (label, value) in enumerate(rows):
        y = 5 + index * row_height
        length = 0 if maximum <= 0 else max(0.0, min(value / maximum, 1.0)) * bar_width
        bars.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
                '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>'
                '<text x="{}" y="{}" class="chart-value">{}{}</text>',
                label_width - 6,
                y + 15,
                label[:16],
                label_width,
                y + 3,
                f"{length:.1f}",
                row_height - 6,
                COLOURS[0],
                label_width + length + 4,
                y + 15,
                f"{value:g}",
                unit,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        width,
        height,
        title,
        title,
        mark_safe("".join(bars)),  # noqa: S308 - each part was built by format_html
    )


def nice_ticks(top: float, *, most: int = 6, whole: bool = False) -> list[float]:
    """Return 0 up to at least ``top`` in steps of 1, 2 or 5 times a power of ten, at most
    ``most`` steps: readable axis ticks (not only 0 and the maximum). ``whole``: steps of at
    least 1 (counts)."""
    if top <= 0:
        return [0.0, 1.0]
    magnitude = 10 ** math.floor(math.log10(top / most))
    step = next(m * magnitude for m in (1, 2, 5, 10) if top / (m * magnitude) <= most)
    if whole:
        step = max(step, 1)
    count = math.ceil(top / step - 1e-9)
    return [round(i * step, 10) for i in range(count + 1)]


def month_labels(months: Sequence[date]) -> list[tuple[str, str, str]]:
    """Return (month, year or "", full label) per month for a chart's x-axis.

    The month always says it is one ("12月"); the year appears under the first month and under
    every January, so a period that crosses a year says where; the full label ("2026年12月")
    is the tooltip's and the data table's.
    """
    labels = []
    for index, month in enumerate(months):
        # Date formats (django.utils.dateformat), translated: "M" is "Dec", Chinese "n月" "12月".
        short = date_format(month, pgettext("date format of a month on a chart axis", "M"))
        year = ""
        if index == 0 or month.month == 1:
            year = date_format(month, pgettext("date format of a year on a chart axis", "Y"))
        labels.append((short, year, date_format(month, "YEAR_MONTH_FORMAT")))
    return labels


def _number(value: float) -> str:
    return f"{value:.1f}".removesuffix(".0")


def line_chart(
    months: Sequence[date],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    maximum: float | None = None,
    whole: bool = False,
) -> SafeString:
    """Return a line chart of one or more series over the months (gaps where a value is None),
    followed by the same figures as a table (folded under a summary).

    The y-axis has ticks at steps of 1, 2 or 5 times a power of ten; each point names its month
    and value in a ``<title>`` (shown on hover). The SVG is one image to assistive technology
    (``role="img"``): the table is what a screen reader or keyboard user reads.
    """
    width, height, left, bottom, top = 640, 250, 44, 40, 24
    plot_w, plot_h = width - left - 20, height - bottom - top
    values = [v for _name, points in series for v in points if v is not None]
    ticks = nice_ticks(maximum if maximum is not None else max([*values, 1.0]), whole=whole)
    top_value = ticks[-1]
    step = plot_w / max(len(months) - 1, 1)
    labels = month_labels(months)

    def xy(index: int, value: float) -> tuple[float, float]:
        return left + index * step, top + plot_h - (value / top_value) * plot_h

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="{}"></line>'
            '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>',
            left,
            f"{y:.1f}",
            left + plot_w,
            f"{y:.1f}",
            "chart-axis" if tick == 0 else "chart-grid",
            left - 4,
            f"{y + 4:.1f}",
            _number(tick),
        )
        for tick in ticks
        for y in [xy(0, tick)[1]]
    ]
    for i, (short, year, _full) in enumerate(labels):
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
                f"{left + i * step:.1f}",
                height - 22,
                short,
            )
        )
        if year:
            parts.append(
                format_html(
                    '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
                    f"{left + i * step:.1f}",
                    height - 6,
                    year,
                )
            )
    for number, (name, points) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        coordinates = [(i, *xy(i, v), v) for i, v in enumerate(points) if v is not None]
        if coordinates:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"></polyline>',
                    " ".join(f"{x:.1f},{y:.1f}" for _i, x, y, _v in coordinates),
                    colour,
                )
            )
            parts.append(
                format_html_join(
                    "",
                    '<g class="chart-point"><title>{}</title>'
                    '<circle cx="{}" cy="{}" r="3" fill="{}"></circle>'
                    '<circle cx="{}" cy="{}" r="9" fill="transparent"></circle></g>',
                    (
                        (
                            f"{name} · {labels[i][2]}: {_number(v)}",
                            f"{x:.1f}",
                            f"{y:.1f}",
                            colour,
                            f"{x:.1f}",
                            f"{y:.1f}",
                        )
                        for i, x, y, v in coordinates
                    ),
                )
            )
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="10" height="10" fill="{}"></rect>'
                '<text x="{}" y="13" class="chart-label">{}</text>',
                left + number * 200,
                colour,
                left + number * 200 + 14,
                name,
            )
        )
    head = format_html_join("", '<th scope="col">{}</th>', ((name,) for name, _points in series))
    body = format_html_join(
        "",
        '<tr><th scope="row">{}</th>{}</tr>',
        (
            (
                full,
                format_html_join(
                    "",
                    "<td>{}</td>",
                    (
                        ("—" if points[i] is None else _number(points[i] or 0),)
                        for _n, points in series
                    ),
                ),
            )
            for i, (_short, _year, full) in enumerate(labels)
        ),
    )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>'
        '<details class="chart-data"><summary>{}</summary>'
        '<table class="table table-sm portal-table"><caption class="visually-hidden">{}</caption>'
        '<thead><tr><th scope="col">{}</th>{}</tr></thead><tbody>{}</tbody></table></details>',
        width,
        height,
        title,
        title,
        mark_safe("".join(parts)),  # noqa: S308 - each part was built by format_html
        _("The figures as a table"),
        title,
        pgettext("chart table column", "Month"),
        head,
        body,
    )
