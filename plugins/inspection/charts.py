"""Small inline SVG charts for the report page: drawn on the server, no script, no CDN.

Every label is escaped; the numbers are also written as text so the chart reads without colour.
"""

from django.utils.html import escape
from django.utils.safestring import mark_safe

COLOUR = "#1f5fa8"


def bar_chart(title: str, labels: list[str], values: list[float | None], unit: str = "", height: int = 220):
    width = max(320, 48 * len(labels) + 60)
    known = [value for value in values if value is not None]
    top = max(known) if known and max(known) > 0 else 1
    plot = height - 70
    parts = [
        f'<svg class="chart" role="img" aria-label="{escape(title)}" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" xmlns="http://www.w3.org/2000/svg">',
        f"<title>{escape(title)}</title>",
        f'<text x="10" y="18" font-size="14">{escape(title)}</text>',
        f'<line x1="40" y1="{30 + plot}" x2="{width - 10}" y2="{30 + plot}" stroke="#666"/>',
    ]
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = 50 + index * 48
        bar = 0 if value is None else plot * value / top
        shown = "—" if value is None else f"{value:g}{unit}"
        parts.append(f'<rect x="{x}" y="{30 + plot - bar:.1f}" width="30" height="{bar:.1f}" fill="{COLOUR}">'
                     f"<title>{escape(label)}：{escape(shown)}</title></rect>")
        parts.append(f'<text x="{x + 15}" y="{26 + plot - bar:.1f}" font-size="10" text-anchor="middle">'
                     f"{escape(shown)}</text>")
        parts.append(f'<text x="{x + 15}" y="{46 + plot}" font-size="10" text-anchor="middle">'
                     f"{escape(label[:6])}</text>")
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
