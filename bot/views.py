"""Rich renderings shared by CLI commands: ranked tables and the triage funnel."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.table import Table
from rich.text import Text

TIER_STYLE = {"tier1": "bold red", "tier2": "yellow", "noise": "dim", "spam": "dim magenta"}
FUNNEL_ORDER = ("received", "duplicate", "spam", "noise", "tier2", "tier1")


@dataclass(frozen=True)
class RankedRow:
    tier: str
    score: float
    intent: str
    author: str
    text: str
    reasons: Sequence[str]
    team: str | None = None
    topic: str | None = None


def excerpt(text: str, width: int = 70) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def ranked_table(rows: Sequence[RankedRow], title: str, *, show_team: bool = True) -> Table:
    table = Table(title=title, show_lines=False, expand=True)
    table.add_column("#", justify="right", style="dim", no_wrap=True)
    table.add_column("tier", no_wrap=True)
    table.add_column("score", justify="right", no_wrap=True)
    table.add_column("intent", no_wrap=True)
    if show_team:
        table.add_column("team", no_wrap=True)
    # One line per mention whatever the terminal width: long cells end in an ellipsis.
    table.add_column("author", no_wrap=True, max_width=16, overflow="ellipsis")
    table.add_column("text", ratio=3, min_width=16, no_wrap=True, overflow="ellipsis")
    table.add_column("top reasons", ratio=2, min_width=12, no_wrap=True, overflow="ellipsis")
    for rank, row in enumerate(rows, start=1):
        cells = [str(rank), Text(row.tier, style=TIER_STYLE.get(row.tier, "")), f"{row.score:.1f}", row.intent]
        if show_team:
            cells.append(row.team or "-")
        # Text(...) renders social text literally: no rich markup from a tweet is interpreted.
        cells += [Text("@" + row.author), Text(excerpt(row.text)), Text("; ".join(row.reasons[:3]))]
        table.add_row(*cells)
    return table


def funnel_table(counts: dict[str, int]) -> Table:
    received = max(counts.get("received", 0), 1)
    table = Table(title="Triage funnel")
    table.add_column("stage")
    table.add_column("mentions", justify="right")
    table.add_column("share", justify="right")
    table.add_column("", min_width=20, no_wrap=True)
    labels = {"received": "received", "duplicate": "duplicates dropped", "spam": "spam", "noise": "noise",
              "tier2": "tier 2 (engage if time)", "tier1": "tier 1 (must answer)"}
    for stage in FUNNEL_ORDER:
        n = counts.get(stage, 0)
        share = n / received
        bar = "█" * round(share * 20)
        table.add_row(labels[stage], str(n), f"{share:.0%}", Text(bar, style=TIER_STYLE.get(stage, "cyan")))
    return table
