"""Small server-side SVG charts for the dashboard: no JavaScript library, no CDN.

Every label goes through ``escape`` (topics, team and agent names are configuration, but the
rule is simpler without exceptions). Functions return ``Markup`` so templates embed them as is.
"""

from __future__ import annotations

from markupsafe import Markup, escape

COLOURS = ("#3b6fd8", "#e07b39", "#4aa564", "#a05bc8", "#c94d4d")


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if value <= step:
            return float(step)
    return float(value)


def bar_chart(items: list[tuple[str, float]], *, title: str, unit: str = "", width: int = 560, height: int = 200,
              target: float | None = None, target_label: str = "", label_every: int = 1) -> Markup:
    """Vertical bars; an optional dashed target line (an SLA)."""
    left, bottom, top = 60, 30, 24
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = _nice_max(max([v for _, v in items] + [target or 0, 0]))
    n = max(1, len(items))
    slot = plot_w / n
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" stroke="#999"/>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="axis">{peak:g}{escape(unit)}</text>',
             f'<text x="{left - 4}" y="{top + plot_h}" text-anchor="end" class="axis">0</text>']
    for i, (label, value) in enumerate(items):
        h = plot_h * value / peak
        x = left + i * slot + slot * 0.1
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{slot * 0.8:.1f}" height="{h:.1f}" '
                     f'fill="{COLOURS[0]}"><title>{escape(label)}: {value:g}{escape(unit)}</title></rect>')
        if i % label_every == 0:
            parts.append(f'<text x="{x + slot * 0.4:.1f}" y="{height - 12}" text-anchor="middle" class="axis">'
                         f'{escape(label)}</text>')
    if target is not None:
        y = top + plot_h - plot_h * target / peak
        parts.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - 10}" y2="{y:.1f}" stroke="#c94d4d" '
                     f'stroke-dasharray="6 4"/><text x="{width - 12}" y="{y - 4:.1f}" text-anchor="end" '
                     f'class="axis target">{escape(target_label)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def hbar_chart(rows: list[tuple[str, list[float]]], *, title: str, series: list[str], width: int = 560) -> Markup:
    """Horizontal grouped bars, one row per label (per-agent load)."""
    row_h, left, top = 22, 120, 40
    height = top + row_h * max(1, len(rows)) + 10
    peak = _nice_max(max([v for _, values in rows for v in values] + [0]))
    plot_w = width - left - 40
    bar_h = (row_h - 6) / max(1, len(series))
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<text x="4" y="14" class="chart-title">{escape(title)}</text>']
    for j, name in enumerate(series):
        parts.append(f'<rect x="{left + j * 110}" y="22" width="10" height="10" fill="{COLOURS[j % len(COLOURS)]}"/>'
                     f'<text x="{left + j * 110 + 14}" y="31" class="axis">{escape(name)}</text>')
    for i, (label, values) in enumerate(rows):
        y = top + i * row_h
        parts.append(f'<text x="{left - 6}" y="{y + row_h / 2 + 4:.1f}" text-anchor="end" class="axis">'
                     f'{escape(label)}</text>')
        for j, value in enumerate(values):
            w = plot_w * value / peak
            parts.append(f'<rect x="{left}" y="{y + 3 + j * bar_h:.1f}" width="{w:.1f}" height="{bar_h:.1f}" '
                         f'fill="{COLOURS[j % len(COLOURS)]}"><title>{escape(label)} {escape(series[j])}: '
                         f'{value:g}</title></rect>')
            if value:  # a zero bar needs no number on top of the others
                parts.append(f'<text x="{left + w + 3:.1f}" y="{y + 3 + (j + 1) * bar_h - 2:.1f}" '
                             f'class="axis">{value:g}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))


def forecast_chart(hours: list[tuple[str, float, int]], *, title: str, width: int = 900, height: int = 220) -> Markup:
    """Forecast cases per hour (bars) with the agents needed (a step line), 168 hours."""
    left, bottom, top = 40, 30, 24
    plot_w, plot_h = width - left - 40, height - bottom - top
    peak = _nice_max(max([c for _, c, _ in hours] + [a for _, _, a in hours] + [0]))
    slot = plot_w / max(1, len(hours))
    parts = [f'<svg class="chart" role="img" viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
             f'xmlns="http://www.w3.org/2000/svg"><title>{escape(title)}</title>',
             f'<text x="{left}" y="14" class="chart-title">{escape(title)}</text>',
             f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" class="axis">{peak:g}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>']
    points = []
    for i, (label, cases, agents) in enumerate(hours):
        h = plot_h * cases / peak
        x = left + i * slot
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{max(slot - 0.5, 0.5):.1f}" '
                     f'height="{h:.1f}" fill="{COLOURS[0]}" opacity="0.7"><title>{escape(label)}: {cases:.1f} cases, '
                     f'{agents} agents</title></rect>')
        y = top + plot_h - plot_h * agents / peak
        points.append(f"{x:.1f},{y:.1f} {x + slot:.1f},{y:.1f}")
        if i % 24 == 0:
            parts.append(f'<text x="{x:.1f}" y="{height - 12}" class="axis">{escape(label)}</text>')
    parts.append(f'<polyline points="{" ".join(points)}" fill="none" stroke="{COLOURS[1]}" stroke-width="2"/>')
    parts.append(f'<rect x="{left + plot_w - 200}" y="6" width="10" height="10" fill="{COLOURS[0]}"/>'
                 f'<text x="{left + plot_w - 186}" y="15" class="axis">cases / hour</text>'
                 f'<rect x="{left + plot_w - 100}" y="6" width="10" height="10" fill="{COLOURS[1]}"/>'
                 f'<text x="{left + plot_w - 86}" y="15" class="axis">agents needed</text></svg>')
    return Markup("".join(parts))
