"""``mentiondesk escalation ...``: check an escalation map, simulate the pings a case would get."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from bot.core.config import Config, ConfigError, load_config
from escalation.chain import CaseFacts, snapshot, unattended_plan
from escalation.snapshot import Snapshot, step_from_map
from bot.core.durations import format_duration
from escalation.map import EscalationMap, EscalationMapError, Step, load_escalation_map

app = typer.Typer(help="Escalation map: validate it, simulate a case's escalation.", no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="Main config YAML whose teams and people "
                                                   "the map names (default: $MENTIONDESK_CONFIG or the bundled example)")]


def _config(path: Path | None) -> Config:
    from bot.core.settings import Settings

    try:
        return load_config(path or Settings().config_path)
    except ConfigError as exc:
        err.print(f"[bold red]Invalid configuration[/]\n{exc}", highlight=False)
        raise typer.Exit(2) from None


def _load(file: Path, config: Config) -> EscalationMap:
    try:
        return load_escalation_map(file, config)
    except EscalationMapError as exc:
        err.print(f"[bold red]✗ {file} is invalid[/]", highlight=False)
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None


def _step_text(step: Step, emap: EscalationMap) -> str:
    return step_from_map(step, emap).describe()


def map_tree(emap: EscalationMap, title: str) -> Tree:
    tree = Tree(f"[bold]{title}[/]")
    for cat in emap.categories:
        conditions = {k: v for k, v in cat.match.model_dump(exclude_defaults=True).items()}
        label = f"[bold cyan]{cat.name}[/] → {cat.team or '(case team)'}"
        if cat.requires_approval:
            label += " [yellow](PR approval)[/]"
        node = tree.add(label)
        node.add(f"[dim]match: {conditions or 'every case'}[/]")
        for i, step in enumerate(cat.chain, 1):
            node.add(f"{i}. {_step_text(step, emap)}", highlight=False)
    sla = tree.add("[bold]SLA[/]")
    for tier, policy in emap.sla.items():
        sla.add(f"{tier}: claim {format_duration(policy.claim)}, first reply {format_duration(policy.first_reply)}, "
                f"warn {format_duration(policy.warn_before)} before; on breach: {', '.join(policy.on_breach) or '—'}"
                + (f"; PR approval within {format_duration(policy.approval)}" if policy.approval else ""))
    hours = tree.add("[bold]Business hours[/]")
    for team, h in emap.business_hours.items():
        hours.add(f"{team}: 24/7" if h.always else
                  f"{team}: {', '.join(h.days)} {h.open:%H:%M}–{h.close:%H:%M} {h.timezone}")
    tree.add(f"[bold]Approval[/]: sensitive topics {', '.join(emap.approval.sensitive_topics) or '—'}; "
             f"{len(emap.approval.blocked_keywords)} blocked keywords")
    return tree


@app.command("check")
def check(file: Path, config: ConfigOpt = None) -> None:
    """Validate FILE against the config's teams and people and print its chains as a tree."""
    emap = _load(file, _config(config))
    console.print(f"[bold green]✓ {file} is valid[/]", highlight=False)
    console.print(map_tree(emap, str(file)))


def _facts_from_text(cfg: Config, text: str, followers: int, verified: bool, at: datetime) -> CaseFacts:
    """Triage ``text`` as a fresh mention in a throwaway in-memory database."""
    from bot.core.mention import parse_mention
    from bot.app.runtime import Runtime
    from escalation.engine import facts_for
    from storage.models import Case

    runtime = Runtime.build(cfg, database="sqlite://")
    try:
        mention = parse_mention({"platform": "x", "id": "simulate-1", "text": text, "created_at": at.isoformat(),
                                 "author": {"id": "u-sim", "handle": "simulated", "followers": followers,
                                            "verified": verified}})
        outcome = runtime.ingest_batch([mention], now=at)[0]
        if outcome.case_id is None:
            err.print(f"[yellow]this text opens no case (triage: {outcome.result.tier}); nothing would be pinged[/]")
            raise typer.Exit(1)
        with runtime.sessions() as session:
            return facts_for(session, session.get(Case, outcome.case_id))
    finally:
        runtime.close()


def _snapshot_of_case(case_id: int, database_url: str | None):
    from sqlalchemy.orm import Session

    from storage.db import make_engine
    from storage.models import Case

    engine = make_engine(database_url)
    try:
        with Session(engine) as session:
            case = session.get(Case, case_id)
            if case is None:
                err.print(f"[red]there is no case {case_id}[/]")
                raise typer.Exit(2)
            from escalation.engine import facts_for

            stored = Snapshot.from_json(case.escalation) if case.escalation else None
            return stored, facts_for(session, case), case.opened_at
    finally:
        engine.dispose()


@app.command("simulate")
def simulate(
    file: Path,
    case: Annotated[Optional[int], typer.Option("--case", help="A stored case (its snapshot if it has one)")] = None,
    text: Annotated[Optional[str], typer.Option("--text", help="A post to triage as a new case")] = None,
    followers: Annotated[int, typer.Option(help="Author followers (with --text)")] = 150,
    verified: Annotated[bool, typer.Option(help="Verified author (with --text)")] = False,
    at: Annotated[Optional[datetime], typer.Option(help="When the case opens (UTC; default now; with --text)")] = None,
    config: ConfigOpt = None,
    database_url: Annotated[Optional[str], typer.Option(help="With --case; default $DATABASE_URL")] = None,
) -> None:
    """Print the timeline of pings a case would get if nobody claimed or answered it."""
    if (case is None) == (text is None):
        err.print("[red]give exactly one of --case ID or --text '...'[/]")
        raise typer.Exit(2)
    cfg = _config(config)
    emap = _load(file, cfg)
    opened = (at or datetime.now(timezone.utc))
    opened = opened if opened.tzinfo else opened.replace(tzinfo=timezone.utc)
    if text is not None:
        facts = _facts_from_text(cfg, text, followers, verified, opened)
        snap = snapshot(emap, facts)
    else:
        stored, facts, opened = _snapshot_of_case(case, database_url)
        snap = stored or snapshot(emap, facts)
    console.print(f"tier {facts.tier}, intent {facts.intent}, topic {facts.topic or '—'}, "
                  f"sentiment {facts.sentiment}, followers {facts.followers}", highlight=False)
    if snap is None:
        console.print("[yellow]no category and no SLA applies: nobody would be pinged[/]")
        return
    console.print(f"category: [bold]{snap.category or '(none: SLA only)'}[/]"
                  + (" — replies need PR approval" if snap.requires_approval else ""), highlight=False)
    if snap.sla and snap.sla.hours_team:
        hours = snap.business_hours[snap.sla.hours_team]
        console.print(f"SLA clock: business hours of team {snap.sla.hours_team} ({hours.timezone}); nights, "
                      "days off and holidays do not count, for the SLA and the chain's waits", highlight=False)
    elif snap.sla:
        console.print("SLA clock: 24/7", highlight=False)
    table = Table(title=f"If nobody claims it (opened {opened:%a %Y-%m-%d %H:%M} UTC)")
    for col in ("after", "at (UTC)", "what", "who / where"):
        table.add_column(col)
    for item in unattended_plan(snap, opened):
        what = item.kind.replace("_", " ")
        if item.kind == "sla_warning":
            what = f"SLA warning ({item.sla.replace('_', ' ')})"
        elif item.kind == "sla_breach":
            what = f"SLA breach ({item.sla.replace('_', ' ')}): {', '.join(item.detail['actions']) or '—'}"
        table.add_row(f"+{format_duration(item.at - opened)}", f"{item.at:%a %H:%M}", what,
                      ", ".join(item.targets) or (snap.team or ""))
    console.print(table)
