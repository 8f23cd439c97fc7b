"""``mentiondesk mode crisis|normal|status`` — crisis mode per topic from the command line."""

from __future__ import annotations

import getpass
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
ByOpt = Annotated[Optional[str], typer.Option(help="Who is switching (default: your login name)")]


def _switch(mode: str, topic: str, reason: str | None, by: str | None, config: Path | None, database_url: str | None):
    from bot.actions import Actor
    from bot.cli import _load
    from bot.crisis import set_topic_mode
    from bot.runtime import Runtime
    from storage.db import transaction

    runtime = Runtime.build(_load(config), database=database_url)
    try:
        with transaction(runtime.sessions) as session:
            who = by or getpass.getuser()
            result = set_topic_mode(session, runtime.config, topic, mode, Actor("cli", who, name=who), reason=reason)
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
    from bot.cli import _load
    from bot.runtime import Runtime
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
