"""``mentiondesk customer export | forget | retention``: a customer's data on request, and retention."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer

from bot.app.cli.common import load_config_or_exit
from rich.console import Console

customer_app = typer.Typer(help="A customer's data: export it, erase it (forget), apply retention.",
                           no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)

HandleArg = Annotated[str, typer.Argument(help="The customer's handle, e.g. @maria_g (any platform unless --platform)")]
PlatformOpt = Annotated[Optional[str], typer.Option("--platform", "-p", help="Only this platform's handle: x, discord, …")]
ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="Config YAML (for retention.days)")]
DbOpt = Annotated[Optional[str], typer.Option("--database-url", help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")]


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _sessions(database_url: str | None):
    from bot.core.settings import Settings
    from storage.db import database_url as resolve, make_engine, make_session_factory, upgrade_engine

    engine = make_engine(resolve(database_url or Settings().database_url))
    upgrade_engine(engine)
    return engine, make_session_factory(engine)


def _retention_days(config: Path | None) -> int | None:
    return load_config_or_exit(config).retention.days


def _summary(done) -> str:
    return (f"{done.cases} case(s), {done.mentions} post(s), {done.events} event(s), {done.outbox} repl(ies), "
            f"{done.customers} customer identit(ies), {done.handles} handle(s)")


@customer_app.command("export")
def export_command(
    handle: HandleArg,
    platform: PlatformOpt = None,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the JSON here (default: stdout)")] = None,
    database_url: DbOpt = None,
) -> None:
    """Everything held about a customer, as JSON: identities, posts, cases, events, replies."""
    from bot.privacy.export import export_customer

    engine, sessions = _sessions(database_url)
    try:
        with sessions() as session:
            document = export_customer(session, handle, platform=platform, now=_now())
    finally:
        engine.dispose()
    text = json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False)
    if output:
        output.write_text(text + "\n", encoding="utf-8")
        err.print(f"wrote {output}", highlight=False)
    else:
        typer.echo(text)
    if not document["customers"] and not document["mentions"]:
        err.print(f"[yellow]nothing is held about {handle!r}[/]", highlight=False)


@customer_app.command("forget")
def forget_command(
    handle: HandleArg,
    platform: PlatformOpt = None,
    yes: Annotated[bool, typer.Option("--yes", "-y", help="Do not ask for confirmation")] = False,
    by: Annotated[str, typer.Option("--by", help="Who asked for it, recorded in each case's event")] = "cli",
    database_url: DbOpt = None,
) -> None:
    """Erase a customer's posts, names and identities from mentions, cases, events and replies.

    The rows stay, anonymous, so reports still add up; each case records that it was erased."""
    from bot.privacy.erase import customers_by_handle, forget_customer
    from storage.db import transaction

    engine, sessions = _sessions(database_url)
    try:
        if not yes:
            with sessions() as session:
                # Without --platform the same handle on several platforms may be several people: show who.
                found = [f"{h.platform}:{h.handle} (customer {c.id})"
                         for c in customers_by_handle(session, handle, platform) for h in c.handles]
            err.print(f"found: {', '.join(found) or 'no customer record (only posts, if any)'}", highlight=False)
            if not typer.confirm(f"Erase everything held about {handle!r}? This cannot be undone"):
                raise typer.Exit(1)
        with transaction(sessions) as session:
            done = forget_customer(session, handle, platform=platform, actor=by.strip()[:200] or "cli", now=_now())
    finally:
        engine.dispose()
    if not (done.customers or done.mentions):
        err.print(f"[red]✗ nothing is held about {handle!r}"
                  f"{' on ' + platform if platform else ''}: nothing erased[/]", highlight=False)
        raise typer.Exit(1)
    console.print(f"erased {handle}: {_summary(done)}", highlight=False)
    console.print("Also remove them from the config's customers: list and from your CRM, if they are there; "
                  "cards already posted in Slack or Discord keep their text until deleted there.", highlight=False)


@customer_app.command("retention")
def retention_command(
    days: Annotated[Optional[int], typer.Option("--days", min=1, help="Default: the config's retention.days")] = None,
    config: ConfigOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Erase the personal data of cases closed more than retention.days ago (what the leader does hourly)."""
    from bot.privacy.retention import run_retention

    days = days or _retention_days(config)
    if not days:
        err.print("[red]✗ no retention period: set retention.days in the config or pass --days[/]", highlight=False)
        raise typer.Exit(2)
    engine, sessions = _sessions(database_url)
    try:
        done = run_retention(sessions, days=days, now=_now())
    finally:
        engine.dispose()
    console.print(f"retention {days} day(s): erased {_summary(done)}", highlight=False)
