"""Horizontal bar charts drawn as SVG on the server. Every bar carries its label and value as text and a fill
pattern of its own, so the chart reads without colour; the figures are also in the table next to it."""

from decimal import Decimal

from fonds.formatting import euro

PATTERNS = ("solid", "hatch", "dots", "cross", "vertical")
LABEL_WIDTH = 230
BAR_MAX = 300
ROW = 34


def bar_chart(*, chart_id: str, title: str, bars: list[tuple[str, Decimal]], suffix: dict | None = None) -> dict:
    """`bars`: (label, amount). `suffix`: optional extra text per label (e.g. a percentage)."""
    top = max((value for _, value in bars), default=Decimal(0))
    rows = []
    for index, (label, value) in enumerate(bars):
        width = int(BAR_MAX * value / top) if top > 0 and value > 0 else 0
        text = euro(value) + (f" ({suffix[label]})" if suffix and label in suffix else "")
        rows.append({"label": label, "value": value, "text": text, "width": max(width, 1 if value > 0 else 0),
                     "y": index * ROW + 8, "text_y": index * ROW + 27, "value_x": LABEL_WIDTH + width + 8,
                     "pattern": f"{chart_id}-{PATTERNS[index % len(PATTERNS)]}",
                     "kind": PATTERNS[index % len(PATTERNS)]})
    return {"id": chart_id, "title": title, "rows": rows, "height": len(bars) * ROW + 12,
            "label_width": LABEL_WIDTH, "bar_x": LABEL_WIDTH, "width": LABEL_WIDTH + BAR_MAX + 200,
            "description": "; ".join(f"{r['label']}: {r['text']}" for r in rows)}
