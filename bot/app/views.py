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


def scores_table(evaluation) -> Table:
    """Per-class precision/recall/F1 of each configuration side by side, then macro-F1 and accuracy."""
    names = list(evaluation.reports)
    table = Table(title=f"{evaluation.task}: held-out evaluation")
    table.add_column("class")
    table.add_column("support", justify="right")
    for name in names:
        table.add_column(f"{name} P / R / F1", justify="right", no_wrap=True)
    first = next(iter(evaluation.reports.values()))
    for label in first.labels:
        cells = [label, str(first.score(label).support)]
        for name in names:
            s = evaluation.reports[name].score(label)
            cells.append(f"{s.precision:.2f} / {s.recall:.2f} / {s.f1:.2f}")
        table.add_row(*cells)
    table.add_section()
    table.add_row("macro-F1", "", *(f"{evaluation.reports[n].macro_f1:.3f}" for n in names), style="bold")
    table.add_row("accuracy", str(first.n), *(f"{evaluation.reports[n].accuracy:.3f}" for n in names))
    return table


def routing_table(routing: dict[str, dict[str, float]]) -> Table:
    """Topic routing per configuration: how many posts get a topic, and how many of those are right."""
    table = Table(title="topic routing: posts given a topic (the rest go to the default team)")
    for column in ("configuration", "coverage", "accuracy when routed"):
        table.add_column(column, justify="left" if column == "configuration" else "right")
    for name, figures in routing.items():
        table.add_row(name, f"{figures['coverage']:.1%}", f"{figures['accuracy']:.3f}")
    return table


def confusion_table(name: str, rep) -> Table:
    """Rows: the true label; columns: what the configuration predicted."""
    columns = rep.labels + [c for c in range(len(rep.confusion[0]) - len(rep.labels))]
    table = Table(title=f"{name}: confusion (rows true, columns predicted)")
    table.add_column("true \\ predicted")
    extra = len(rep.confusion[0]) - len(rep.labels)
    for label in rep.labels:
        table.add_column(label[:14], justify="right")
    for i in range(extra):
        table.add_column(f"other {i + 1}", justify="right")
    for label, row in zip(rep.labels, rep.confusion):
        table.add_row(label, *(str(v) for v in row))
    return table
