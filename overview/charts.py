"""Charts drawn on the server as inline SVG, so they show without JavaScript.

Pure functions: they take labels, numbers and links and return SVG markup. Every piece of
text and every attribute is escaped here, so labels that users typed (supplier names) are
safe to pass. Each chart is a labelled group with a <title> and a <desc> (role="group",
aria-labelledby), not an image: its bars are links, and an image may hold no interactive
element. Pages show the same numbers in a table as well.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 340
LABEL_SIZE = 13
ROW_HEIGHT = 38
BAR_HEIGHT = 14
VALUE_SPACE = 56  # room right of the longest bar for its value

# Colours with at least 3:1 contrast against white, for bars and legend swatches.
COLOURS = {
    "signed": "#2e7d32",
    "not_signed": "#b7791f",
    "declined": "#c62828",
    "withdrawn": "#7b1fa2",
    "unknown": "#8a8f98",
    "primary": "#1f3a5f",
    "gap": "#c62828",
}


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    url: str = ""
    text: str = ""  # how the value reads; the number itself when empty
    colour: str = "primary"


@dataclass(frozen=True)
class Segment:
    key: str  # picks the colour and the legend entry
    label: str
    value: int
    url: str = ""


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)


def _open(chart_id, height, title, description):
    chart_id = escape(chart_id)
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="group" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" id="{chart_id}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def _link(url, inner, label):
    if not url:
        return inner
    return f'<a href="{escape(url)}" aria-label="{escape(label)}">{inner}</a>'


def _truncate(text, limit=46):
    return text if len(text) <= limit else text[: limit - 1] + "…"


def bar_chart(*, chart_id, title, description, bars, max_value=None):
    """Horizontal bars, one per row, each label above its bar and the value after it.
    None when there are no bars: the page says so in words instead."""
    if not bars:
        return None
    top = max_value if max_value is not None else max(bar.value for bar in bars)
    top = top or 1
    height = ROW_HEIGHT * len(bars) + 8
    span = WIDTH - VALUE_SPACE
    parts = _open(chart_id, height, title, description)
    for index, bar in enumerate(bars):
        y = index * ROW_HEIGHT
        length = max(0.0, min(1.0, bar.value / top)) * span
        text = bar.text or _number(bar.value)
        colour = COLOURS.get(bar.colour, COLOURS["primary"])
        inner = (
            f'<text x="0" y="{y + LABEL_SIZE + 2}" font-size="{LABEL_SIZE}" '
            f'fill="#212529">{escape(_truncate(bar.label))}</text>'
            f'<rect x="0" y="{y + 20}" width="{span}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="#e9ecef"/>'
            f'<rect x="0" y="{y + 20}" width="{length:.1f}" height="{BAR_HEIGHT}" rx="3" '
            f'fill="{colour}"/>'
            f'<text x="{span + 6}" y="{y + 32}" font-size="{LABEL_SIZE}" font-weight="600" '
            f'fill="#212529">{escape(text)}</text>'
        )
        parts.append(f'<g class="chart-row">{_link(bar.url, inner, f"{bar.label}: {text}")}</g>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped


def stacked_bar_chart(*, chart_id, title, description, rows, legend):
    """One horizontal bar per row, split into segments; `rows` is [(label, [Segment])],
    `legend` is [(key, label)] in the order the segments are drawn. None when every
    segment is zero."""
    if not any(segment.value for _, segments in rows for segment in segments):
        return None
    legend_rows = (len(legend) + 2) // 3
    legend_height = legend_rows * 20 + 6
    height = legend_height + ROW_HEIGHT * len(rows) + 8
    span = WIDTH - VALUE_SPACE
    parts = _open(chart_id, height, title, description)
    for index, (key, label) in enumerate(legend):
        x, y = (index % 3) * (WIDTH // 3), (index // 3) * 20
        parts.append(
            f'<rect x="{x}" y="{y + 3}" width="12" height="12" rx="2" '
            f'fill="{COLOURS.get(key, COLOURS["primary"])}"/>'
            f'<text x="{x + 17}" y="{y + 13}" font-size="12" fill="#212529">{escape(label)}</text>'
        )
    for index, (label, segments) in enumerate(rows):
        y = legend_height + index * ROW_HEIGHT
        total = sum(segment.value for segment in segments)
        parts.append(
            f'<text x="0" y="{y + LABEL_SIZE + 2}" font-size="{LABEL_SIZE}" '
            f'fill="#212529">{escape(_truncate(label))}</text>'
            f'<rect x="0" y="{y + 20}" width="{span}" height="{BAR_HEIGHT}" fill="#e9ecef"/>'
        )
        x = 0.0
        for segment in segments:
            if not segment.value:
                continue
            length = segment.value / total * span if total else 0
            rect = (
                f'<rect x="{x:.1f}" y="{y + 20}" width="{length:.1f}" height="{BAR_HEIGHT}" '
                f'fill="{COLOURS.get(segment.key, COLOURS["primary"])}" '
                f'stroke="#fff" stroke-width="1"/>'
            )
            parts.append(
                _link(segment.url, rect, f"{label}, {segment.label}: {_number(segment.value)}")
            )
            x += length
        parts.append(
            f'<text x="{span + 6}" y="{y + 32}" font-size="{LABEL_SIZE}" font-weight="600" '
            f'fill="#212529">{_number(total)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every value above is escaped
