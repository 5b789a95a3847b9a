"""Charts as SVG drawn on the server by pygal: no JavaScript, vectors in print.

Each chart goes into the page as an `<img>` with a `data:` URI, which the strict
Content-Security-Policy allows (`img-src 'self' data:`): an SVG shown as an image runs
no script, and pygal's own small script is removed anyway. Hidden figures are not drawn.
"""

from __future__ import annotations

import base64
import re

import pygal
from pygal.style import Style

from mentoring.reports.figures import Chart
from mentoring.reports.suppression import PLAIN, Wording

SCRIPT_RE = re.compile(r"<script\b.*?</script>", re.DOTALL)

STYLE = Style(
    background="#ffffff",
    plot_background="#ffffff",
    foreground="#1f2933",
    foreground_strong="#1f2933",
    foreground_subtle="#6b7785",
    font_family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif",
    label_font_size=13,
    major_label_font_size=13,
    legend_font_size=14,
    title_font_size=16,
    value_font_size=12,
    colors=("#1d4e89", "#e07a1f", "#2a9d8f", "#8e44ad", "#c0392b", "#7f8c8d"),
)

KINDS = {"bar": pygal.Bar, "hbar": pygal.HorizontalBar, "line": pygal.Line}


def render_svg(chart: Chart, title: str, wording: Wording = PLAIN) -> str:
    """The chart as a standalone SVG document with its title, values written as the
    wording writes numbers (the labels come worded from `figures`)."""
    rows = len(chart.labels)
    height = max(260, 60 + 34 * rows * max(1, len(chart.series))) if chart.kind == "hbar" else 360
    graph = KINDS[chart.kind](
        style=STYLE,
        width=860,
        height=min(height, 900),
        js=[],
        disable_xml_declaration=True,
        title=title,
        legend_at_bottom=True,
        legend_at_bottom_columns=max(1, len(chart.series)),
        show_legend=len(chart.series) > 1,
        print_values=True,
        print_zeroes=True,
        truncate_label=-1,
        truncate_legend=-1,
        x_label_rotation=0 if chart.kind == "hbar" or rows <= 8 else 30,
        value_formatter=wording.percent if chart.unit == "%" else wording.number,
        range=(0, 100) if chart.unit == "%" else None,
        include_x_axis=True,
        # pygal writes x_title under the chart: the values' axis of a horizontal bar chart.
        **({"x_title" if chart.kind == "hbar" else "y_title": chart.axis} if chart.axis else {}),
    )
    # A horizontal bar chart draws its first category at the bottom: reverse it so the
    # chart reads top-down in the table's order.
    order = (lambda items: list(reversed(items))) if chart.kind == "hbar" else list
    graph.x_labels = order(chart.labels)
    for name, cells in chart.series:
        graph.add(name, order([cell.chart_value for cell in cells]))
    return SCRIPT_RE.sub("", graph.render(is_unicode=True))


def data_uri(chart: Chart, title: str, wording: Wording = PLAIN) -> str:
    """The chart as a `data:` URI for an `<img>`."""
    svg = render_svg(chart, title, wording).encode("utf-8")
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")
