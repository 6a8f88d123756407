"""Small server-side SVG charts: no JavaScript, no chart library, nothing fetched from outside.

The markup uses presentation attributes and CSS classes only (no ``style`` attributes), so
the portal's Content-Security-Policy holds. Every text is escaped by ``format_html``.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

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


def line_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[float | None]]],
    *,
    title: str,
    maximum: float | None = None,
) -> SafeString:
    """Return a line chart of one or more series over the labels (gaps where a value is None)."""
    width, height, left, bottom, top = 640, 240, 40, 30, 20
    plot_w, plot_h = width - left - 20, height - bottom - top
    values = [v for _name, points in series for v in points if v is not None]
    top_value = maximum if maximum is not None else max([*values, 1.0])
    step = plot_w / max(len(labels) - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        return left + index * step, top + plot_h - (value / top_value) * plot_h if top_value else 0

    parts = [
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" class="chart-axis"></line>'
            '<text x="{}" y="{}" text-anchor="end" class="chart-label">{}</text>'
            '<text x="{}" y="{}" text-anchor="end" class="chart-label">0</text>',
            left,
            top + plot_h,
            left + plot_w,
            top + plot_h,
            left - 4,
            top + 4,
            f"{top_value:g}",
            left - 4,
            top + plot_h,
        )
    ]
    parts.extend(
        format_html(
            '<text x="{}" y="{}" text-anchor="middle" class="chart-label">{}</text>',
            f"{left + i * step:.1f}",
            height - 8,
            label,
        )
        for i, label in enumerate(labels)
    )
    for number, (name, points) in enumerate(series):
        colour = COLOURS[number % len(COLOURS)]
        coordinates = [xy(i, v) for i, v in enumerate(points) if v is not None]
        if coordinates:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2"></polyline>',
                    " ".join(f"{x:.1f},{y:.1f}" for x, y in coordinates),
                    colour,
                )
            )
            parts.append(
                format_html_join(
                    "",
                    '<circle cx="{}" cy="{}" r="3" fill="{}"></circle>',
                    ((f"{x:.1f}", f"{y:.1f}", colour) for x, y in coordinates),
                )
            )
        parts.append(
            format_html(
                '<rect x="{}" y="4" width="10" height="10" fill="{}"></rect>'
                '<text x="{}" y="13" class="chart-label">{}</text>',
                left + number * 180,
                colour,
                left + number * 180 + 14,
                name,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}"'
        ' xmlns="http://www.w3.org/2000/svg"><title>{}</title>{}</svg>',
        width,
        height,
        title,
        title,
        mark_safe("".join(parts)),  # noqa: S308 - each part was built by format_html
    )
