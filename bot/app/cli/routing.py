"""``mentiondesk mode crisis|normal|status`` — crisis mode per topic from the command line."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

mode_app = typer.Typer(help="Crisis mode per topic: route to the crisis team, hold replies for PR.",
                       no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="Config YAML (default: $MENTIONDESK_CONFIG)")]
DbOpt = Annotated[Optional[str], typer.Option(help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")]
TopicOpt = Annotated[str, typer.Option("--topic", "-t", help="A topic of triage.topics")]
ReasonOpt = Annotated[Optional[str], typer.Option(help="Why (kept with the switch)")]
ByOpt = Annotated[Optional[str], typer.Option(help="The agent you switch as (agents[] name; role pr, lead or supervisor)")]


def _switch(mode: str, topic: str, reason: str | None, by: str | None, config: Path | None, database_url: str | None):
    from bot.app.cli.common import load_config_or_exit as _load
    from bot.desk.crisis import set_topic_mode
    from bot.app.runtime import Runtime
    from bot.desk.actions import resolve_actor
    from bot.desk.crisis import CLI_SWITCH_ROLES
    from storage.db import transaction

    cfg = _load(config)
    if not by:
        allowed = [a.name for a in cfg.agents if a.role in {r.value for r in CLI_SWITCH_ROLES}]
        err.print(f"[red]✗ say who switches: --by NAME, an agent with the pr, lead or supervisor role "
                  f"({', '.join(allowed) or 'none configured'})[/]", highlight=False)
        raise typer.Exit(2)
    runtime = Runtime.build(cfg, database=database_url)
    try:
        with transaction(runtime.sessions) as session:
            result = set_topic_mode(session, runtime.config, topic, mode, resolve_actor(session, "cli", by),
                                    reason=reason)
    finally:
        runtime.close()
    if not result.ok:
        err.print(f"[red]✗ {result.reason}[/]", highlight=False)
        raise typer.Exit(2)
    if not result.changed:
        console.print(result.reason, highlight=False)
        return
    crisis = runtime.config.routing.crisis if runtime.config.routing else None
    if mode == "crisis":
        console.print(f"🚨 [bold]{topic}[/] is in crisis mode: new cases go to [bold]{crisis.team}[/], "
                      f"every reply on it waits for PR approval ({len(result.open_cases)} open case(s) marked).",
                      highlight=False)
    else:
        console.print(f"✓ {topic} is back to normal routing and approval ({len(result.open_cases)} open case(s) marked).",
                      highlight=False)


@mode_app.command("crisis")
def crisis(topic: TopicOpt, reason: ReasonOpt = None, by: ByOpt = None, config: ConfigOpt = None,
           database_url: DbOpt = None) -> None:
    """Switch TOPIC into crisis mode."""
    _switch("crisis", topic, reason, by, config, database_url)


@mode_app.command("normal")
def normal(topic: TopicOpt, reason: ReasonOpt = None, by: ByOpt = None, config: ConfigOpt = None,
           database_url: DbOpt = None) -> None:
    """Switch TOPIC back to normal."""
    _switch("normal", topic, reason, by, config, database_url)


@mode_app.command("status")
def status(config: ConfigOpt = None, database_url: DbOpt = None) -> None:
    """Topics in crisis mode, and who switched them when."""
    from bot.app.cli.common import load_config_or_exit as _load
    from bot.app.runtime import Runtime
    from storage.modes import current_modes

    runtime = Runtime.build(_load(config), database=database_url)
    try:
        with runtime.sessions() as session:
            rows = [r for r in current_modes(session).values() if r.mode == "crisis"]
    finally:
        runtime.close()
    if not rows:
        console.print("No topic is in crisis mode.")
    for row in rows:
        console.print(f"🚨 {row.topic}: crisis since {row.created_at:%Y-%m-%d %H:%M} UTC by {row.actor}"
                      + (f" ({row.reason})" if row.reason else ""), highlight=False)


def replay_command(
    file: Annotated[Path, typer.Argument(help="JSONL file of past mentions, one per line")],
    config: ConfigOpt = None,
    escalation: Annotated[Optional[Path], typer.Option(help="Escalation map YAML to apply as well")] = None,
    crisis: Annotated[Optional[list[str]], typer.Option(help="Replay with this topic in crisis mode (repeatable)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object per mention instead of a table")] = False,
) -> None:
    """Dry run: where each mention would have gone and which rules fired. Posts nothing, stores nothing."""
    import json
    from collections import Counter

    from rich.table import Table

    from bot.app.cli.common import load_config_or_exit as _load, progress_bar as _progress, read_feed as _read_feed
    from bot.app.replay import dry_run

    cfg = _load(config)
    emap = None
    if escalation is not None:
        from escalation.map import EscalationMapError, load_escalation_map

        try:
            emap = load_escalation_map(escalation, cfg)
        except EscalationMapError as exc:
            err.print(f"[bold red]Invalid escalation map[/]\n{exc}", highlight=False)
            raise typer.Exit(2) from None
    with _progress(quiet=as_json) as progress:
        mentions, bad = _read_feed(file, cfg, progress)
    for line in bad:
        err.print(f"[yellow]skipped {file}:{line.line_no}:[/] {line.problem}", highlight=False)
    try:
        rows = dry_run(cfg, mentions, escalation_map=emap, crisis=crisis or ())
    except ValueError as exc:
        err.print(f"[red]✗ {exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    if as_json:
        for row in rows:
            typer.echo(json.dumps(row.as_dict(), ensure_ascii=False))
        return
    table = Table(title=f"Dry run of {file.name} (nothing posted; triage reasons with --json)", show_lines=True)
    for column in ("time", "id", "tier", "topic", "case", "team", "agent", "rules fired"):
        table.add_column(column, overflow="fold")
    for row in rows:
        if row.case_id is None:
            continue
        case = f"#{row.case_id}" + (" (joined)" if row.joined else "")
        agent = f"{row.agent} ({row.mode})" if row.agent else ("-" if row.joined else "nobody")
        table.add_row(row.created_at[:16], row.mention_id, f"{row.tier} {row.intent}", row.topic or "-", case,
                      row.team or "-", agent, "\n".join(r for r in row.rules if not r.startswith("triage: ")))
    console.print(table)
    teams = Counter(r.team for r in rows if r.case_id and not r.joined)
    tiers = Counter(r.tier for r in rows)
    console.print(f"{len(rows)} mention(s): " + ", ".join(f"{n} {t}" for t, n in tiers.most_common())
                  + "; new cases per team: " + (", ".join(f"{t} {n}" for t, n in teams.most_common()) or "none"),
                  highlight=False)
