"""Charts drawn on the server as SVG: nothing to download, nothing to run in the browser, readable on a phone
(the drawing scales to the screen's width)."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 600, 220
MARGIN_LEFT, MARGIN_RIGHT, MARGIN_TOP, MARGIN_BOTTOM = 36, 8, 12, 28
BAR_HEIGHT, BAR_GAP, LABEL_WIDTH = 22, 6, 200


@dataclass(frozen=True)
class Line:
    label: str
    values: Sequence[int]
    colour: str


def _nice_top(value: int) -> int:
    """The axis' top: the smallest of 1, 2, 5 × 10ⁿ not below the largest value."""
    magnitude = 1
    while True:
        for multiple in (1, 2, 5):
            if multiple * magnitude >= value:
                return multiple * magnitude
        magnitude *= 10


def line_chart(title: str, days: Sequence[date], lines: Sequence[Line]) -> str:
    """Daily counts as lines over `days`, with the axis' top value, first and last day, and a legend."""
    top = _nice_top(max((max(line.values, default=0) for line in lines), default=0))
    plot_width = WIDTH - MARGIN_LEFT - MARGIN_RIGHT
    plot_height = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM
    step = plot_width / max(len(days) - 1, 1)

    def point(index: int, value: int) -> str:
        return f"{MARGIN_LEFT + index * step:.1f},{MARGIN_TOP + plot_height * (1 - value / top):.1f}"

    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP + plot_height}" x2="{WIDTH - MARGIN_RIGHT}" '
             f'y2="{MARGIN_TOP + plot_height}" stroke="#999"/>',
             f'<line x1="{MARGIN_LEFT}" y1="{MARGIN_TOP}" x2="{WIDTH - MARGIN_RIGHT}" y2="{MARGIN_TOP}" '
             f'stroke="#ddd" stroke-dasharray="4"/>',
             f'<text x="{MARGIN_LEFT - 4}" y="{MARGIN_TOP + 4}" text-anchor="end" class="axis">{top}</text>',
             f'<text x="{MARGIN_LEFT - 4}" y="{MARGIN_TOP + plot_height}" text-anchor="end" class="axis">0</text>']
    if days:
        parts.append(f'<text x="{MARGIN_LEFT}" y="{HEIGHT - 8}" class="axis">{days[0]:%d/%m}</text>')
        parts.append(f'<text x="{WIDTH - MARGIN_RIGHT}" y="{HEIGHT - 8}" text-anchor="end" class="axis">'
                     f'{days[-1]:%d/%m}</text>')
    for number, line in enumerate(lines):
        points = " ".join(point(index, value) for index, value in enumerate(line.values))
        parts.append(f'<polyline class="series" fill="none" stroke="{line.colour}" stroke-width="2.5" '
                     f'points="{points}"><title>{escape(line.label)}</title></polyline>')
        legend_x = WIDTH // 2 - 120 + number * 130  # under the plot, between the first and last day
        parts.append(f'<rect x="{legend_x}" y="{HEIGHT - 14}" width="12" height="4" fill="{line.colour}"/>'
                     f'<text x="{legend_x + 16}" y="{HEIGHT - 8}" class="legend">{escape(line.label)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(title: str, rows: Sequence[tuple[str, int]], colour: str = "#2b6cb0") -> str:
    """Horizontal bars, one per row, labelled and with their value: long Thai labels fit better than on columns."""
    top = max((value for _label, value in rows), default=0) or 1
    height = max(len(rows), 1) * (BAR_HEIGHT + BAR_GAP) + BAR_GAP
    bar_space = WIDTH - LABEL_WIDTH - 50
    parts = [f'<svg class="chart" viewBox="0 0 {WIDTH} {height}" role="img" aria-label="{escape(title)}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>']
    for index, (label, value) in enumerate(rows):
        y = BAR_GAP + index * (BAR_HEIGHT + BAR_GAP)
        shown = label if len(label) <= 22 else label[:21] + "…"
        parts.append(f'<text x="{LABEL_WIDTH - 6}" y="{y + BAR_HEIGHT - 6}" text-anchor="end" class="legend">'
                     f'{escape(shown)}</text>'
                     f'<rect class="bar" x="{LABEL_WIDTH}" y="{y}" width="{max(bar_space * value / top, 1):.1f}" '
                     f'height="{BAR_HEIGHT}" fill="{colour}"><title>{escape(label)}: {value}</title></rect>'
                     f'<text x="{LABEL_WIDTH + bar_space * value / top + 6:.1f}" y="{y + BAR_HEIGHT - 6}" '
                     f'class="legend">{value}</text>')
    parts.append("</svg>")
    return "".join(parts)
