"""``mentiondesk stats | export | forecast | user set-password``: supervisor commands."""

from __future__ import annotations

import csv
import json
import sys
from datetime import date, datetime, time, timedelta, timezone
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

console = Console()
err = Console(stderr=True, soft_wrap=True)
user_app = typer.Typer(help="Web console accounts.", no_args_is_help=True)

DbOpt = Annotated[Optional[str], typer.Option("--database-url", help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")]
EscOpt = Annotated[Optional[Path], typer.Option("--escalation", help="Escalation map for the SLA targets (default $MENTIONDESK_ESCALATION)")]
# Spreadsheets run a cell starting with one of these as a formula: customer text must never do that.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _moment(value: str, *, end: bool = False) -> datetime:
    """``today``, ``week``, an ISO date (whole day) or an ISO datetime (UTC unless it says otherwise)."""
    now = datetime.now(timezone.utc)
    today = datetime.combine(now.date(), time(), tzinfo=timezone.utc)
    if value == "now":
        return now
    if value == "today":
        return today
    if value == "week":
        return today - timedelta(days=6)
    try:
        if len(value) == 10:
            day = datetime.combine(date.fromisoformat(value), time(), tzinfo=timezone.utc)
            return day + timedelta(days=1) if end else day
        moment = datetime.fromisoformat(value)
    except ValueError:
        err.print(f"[red]bad date {value!r}: use today, week, YYYY-MM-DD or YYYY-MM-DDTHH:MM[+zone][/]", highlight=False)
        raise typer.Exit(2) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _sessions(database_url: str | None):
    from bot.core.settings import Settings
    from storage.db import database_url as resolve, make_engine, make_session_factory, upgrade_engine

    engine = make_engine(resolve(database_url or Settings().database_url))
    upgrade_engine(engine)
    return engine, make_session_factory(engine)


def _sla(escalation: Path | None) -> dict:
    from bot.reporting.metrics import sla_targets
    from bot.core.settings import Settings

    path = escalation or Settings().escalation_path
    if not path:
        return {}
    from escalation.map import load_escalation_map

    try:
        return sla_targets(load_escalation_map(path))
    except Exception as exc:  # noqa: BLE001 - say what is wrong with the map, then go on without targets
        err.print(f"[yellow]SLA targets not read from {path}: {exc}[/]", highlight=False)
        return {}


def _d(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    return f"{seconds:.0f} s" if seconds < 90 else f"{seconds / 60:.1f} min" if seconds < 5400 else f"{seconds / 3600:.1f} h"


def _pct(value: float | None) -> str:
    return "–" if value is None else f"{100 * value:.0f} %"


def stats(
    since: Annotated[str, typer.Option(help="today | week | YYYY-MM-DD | ISO datetime")] = "week",
    until: Annotated[str, typer.Option(help="now | YYYY-MM-DD (end of that day) | ISO datetime")] = "now",
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON")] = False,
    escalation: EscOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Supervisor figures for the cases opened in a period: times, SLA, volumes, agents, approvals."""
    from bot.reporting.metrics import compute

    start, end = _moment(since), _moment(until, end=True)
    targets = _sla(escalation)
    engine, sessions = _sessions(database_url)
    try:
        with sessions() as session:
            report = compute(session, start, end, default_sla=targets)
    except ValueError as exc:
        err.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    if as_json:
        json.dump(report.as_dict(), sys.stdout, indent=1, default=str)
        sys.stdout.write("\n")
        return
    head = Table(title=f"Cases opened {start:%Y-%m-%d %H:%M} – {end:%Y-%m-%d %H:%M} UTC")
    for column in ("measure", "count", "median", "mean", "p90"):
        head.add_column(column, justify="left" if column == "measure" else "right")
    for label, d in (("time to claim", report.time_to_claim), ("time to first reply", report.time_to_first_reply),
                     ("time to resolve", report.time_to_resolve), ("approval delay", report.approvals["delay"])):
        head.add_row(label, str(d.count), _d(d.median), _d(d.mean), _d(d.p90))
    console.print(head)
    sla = Table(title=f"SLA ({report.cases} cases, {report.not_actionable} not actionable)")
    for column in ("SLA", "met", "breached", "not due yet", "compliance"):
        sla.add_column(column, justify="left" if column == "SLA" else "right")
    for name, f in report.sla.items():
        sla.add_row(name.replace("_", " "), str(f.met), str(f.breached), str(f.pending), _pct(f.compliance))
    console.print(sla)
    if not targets:
        console.print("[dim]SLA counted only for cases with an SLA snapshot; pass --escalation FILE (or set "
                      "MENTIONDESK_ESCALATION) for the map's targets[/]", highlight=False)
    volumes = Table(title="Volume")
    volumes.add_column("by")
    volumes.add_column("cases", overflow="fold")
    for key in ("tier", "topic", "sentiment", "platform", "hour"):
        volumes.add_row(key, ", ".join(f"{k} {v}" for k, v in report.volume[key].items()) or "–")
    volumes.add_row("escalations", f"{report.escalations['total']} "
                    f"({', '.join(f'{k} {v}' for k, v in report.escalations['by_level'].items()) or 'none'})")
    ab = report.abusive
    volumes.add_row("abusive", f"{ab['total']}" + (f" ({', '.join(f'{k} {v}' for k, v in ab['by_team'].items())})"
                                                 if ab["total"] else ""))
    ap = report.approvals
    volumes.add_row("approvals", f"{ap['requested']} asked, {ap['approved']} approved, {ap['rejected']} rejected, "
                    f"{ap['pending']} pending")
    sat = report.satisfaction
    volumes.add_row("satisfaction", f"{sat['answers']} answers to {sat['surveys']} surveys"
                    + (f", mean {sat['mean']:.1f} / 5" if sat["mean"] is not None else ""))
    console.print(volumes)
    agents = Table(title="Per agent")
    for column in ("agent", "claimed", "replies", "resolved", "open now", "handling (median)"):
        agents.add_column(column, justify="left" if column == "agent" else "right")
    for a in report.agents:
        agents.add_row(a.name, str(a.claimed), str(a.replies), str(a.resolved), str(a.open_now), _d(a.handling.median))
    console.print(agents)


def _safe(value: object) -> object:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def export(
    what: Annotated[str, typer.Argument(help="cases | events")],
    file: Annotated[Path, typer.Argument(help="CSV file to write ('-' for standard output)")],
    start: Annotated[str, typer.Option("--from", help="YYYY-MM-DD or ISO datetime (inclusive)")] = "week",
    end: Annotated[str, typer.Option("--to", help="YYYY-MM-DD (through that day) or ISO datetime")] = "now",
    database_url: DbOpt = None,
) -> None:
    """CSV of the cases opened (or the events written) in a date range."""
    from sqlalchemy import select
    from sqlalchemy.orm import selectinload

    from storage.models import Case, Event

    if what not in ("cases", "events"):
        err.print(f"[red]unknown export {what!r}: use cases or events[/]", highlight=False)
        raise typer.Exit(2)
    lo, hi = _moment(start), _moment(end, end=True)
    engine, sessions = _sessions(database_url)
    out = sys.stdout if str(file) == "-" else file.open("w", newline="", encoding="utf-8")
    rows = 0
    try:
        writer = csv.writer(out)
        with sessions() as session:
            if what == "cases":
                writer.writerow(["case_id", "opened_at", "platform", "tier", "intent", "abusive", "sentiment", "topic",
                                 "team", "state", "assignee", "priority", "claimed_at", "first_reply_at", "resolved_at",
                                 "author_handle", "text", "url"])
                query = (select(Case).where(Case.opened_at >= lo, Case.opened_at < hi).order_by(Case.id)
                         .options(selectinload(Case.mentions), selectinload(Case.assignee)))
                for c in session.scalars(query):
                    first = c.mentions[0] if c.mentions else None
                    writer.writerow([_safe(v) for v in (
                        c.id, c.opened_at.isoformat(), c.platform, c.tier.value, c.intent, "yes" if c.abusive else "no",
                        c.sentiment, c.topic or "",
                        c.team or "", c.state.value, c.assignee.name if c.assignee else "", f"{c.priority:.1f}",
                        *(t.isoformat() if t else "" for t in (c.claimed_at, c.first_reply_at, c.resolved_at)),
                        first.author_handle if first else "", first.text if first else "",
                        (first.url or "") if first else "")])
                    rows += 1
            else:
                writer.writerow(["event_id", "case_id", "created_at", "type", "actor", "source", "payload"])
                query = select(Event).where(Event.created_at >= lo, Event.created_at < hi).order_by(Event.id)
                for e in session.scalars(query):
                    writer.writerow([_safe(v) for v in (e.id, e.case_id, e.created_at.isoformat(), e.type, e.actor,
                                                        e.source, json.dumps(e.payload, ensure_ascii=False))])
                    rows += 1
    finally:
        if out is not sys.stdout:
            out.close()
        engine.dispose()
    err.print(f"{rows} {what[:-1] if rows == 1 else what} written to {file}", highlight=False)


def forecast(
    weeks: Annotated[int, typer.Option(help="Average the same hour over this many past weeks")] = 4,
    aht: Annotated[Optional[float], typer.Option(help="Handling time in seconds (default: measured claim → first reply)")] = None,
    target: Annotated[Optional[float], typer.Option(help="Claim within this many seconds (default: the tier-1 claim SLA, else 900)")] = None,
    level: Annotated[float, typer.Option(help="Share of cases to claim within the target")] = 0.8,
    now: Annotated[str, typer.Option(help="Forecast from this moment (default now)")] = "now",
    as_json: Annotated[bool, typer.Option("--json", help="Print the 168 hours as JSON")] = False,
    escalation: EscOpt = None,
    database_url: DbOpt = None,
) -> None:
    """Hourly case volume for the next 7 days and the agents each hour needs (Erlang C)."""
    from bot.reporting.forecast import forecast_workload

    sla = _sla(escalation)
    target_s = target or sla.get("tier1", {}).get("claim", 900)
    engine, sessions = _sessions(database_url)
    try:
        with sessions() as session:
            plan = forecast_workload(session, _moment(now), weeks=weeks, aht_seconds=aht, target_seconds=target_s,
                                     target_level=level)
    except ValueError as exc:
        err.print(f"[red]cannot forecast: {exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    if as_json:
        json.dump({"start": plan.start.isoformat(), "aht_seconds": plan.aht_seconds, "target_seconds": target_s,
                   "level": level, "history_weeks": plan.history_weeks,
                   "error": None if plan.error is None else {"mae": plan.error.mae, "mape": plan.error.mape},
                   "hours": [{"start": h.start.isoformat(), "cases": h.cases, "agents": h.agents} for h in plan.hours]},
                  sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    table = Table(title=f"Forecast from {plan.start:%a %Y-%m-%d %H:00} UTC: cases / agents needed")
    table.add_column("day", no_wrap=True)
    for hour in range(0, 24, 3):
        table.add_column(f"{(plan.start.hour + hour) % 24:02d}h+", justify="right", no_wrap=True)
    for day in range(7):
        cells = []
        for hour in range(0, 24, 3):
            block = plan.hours[day * 24 + hour: day * 24 + hour + 3]
            cells.append(f"{sum(h.cases for h in block):.0f}/{max(h.agents for h in block)}")
        table.add_row(plan.hours[day * 24].start.strftime("%a %d"), *cells)
    console.print(table)
    console.print("cells: cases in the three hours / most agents needed in any of them", style="dim")
    error = ("its error needs two weeks of history" if plan.error is None else
             f"error on the last week: MAE {plan.error.mae:.2f} cases/hour"
             + (f", MAPE {100 * plan.error.mape:.0f} %" if plan.error.mape is not None else ""))
    console.print(f"method: seasonal average of the same hour over the last {weeks} week(s); {error}\n"
                  f"staffing: Erlang C, {100 * level:.0f} % claimed within {_d(target_s)}, handling time "
                  f"{_d(plan.aht_seconds)} ({'measured' if plan.aht_measured else 'assumed'}); "
                  f"{sum(h.cases for h in plan.hours):.0f} cases, peak {max(h.agents for h in plan.hours)} agents",
                  highlight=False)


@user_app.command("set-password")
def set_password_command(
    name: Annotated[str, typer.Argument(help="The agent's name as in the config's agents[]")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input")] = False,
    database_url: DbOpt = None,
) -> None:
    """Set (or change) an agent's web console password."""
    from bot.desk.accounts import AccountError, set_password

    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    engine, sessions = _sessions(database_url)
    try:
        with sessions() as session, session.begin():
            agent = set_password(session, name, password)
            role = agent.role.value
    except AccountError as exc:
        err.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    console.print(f"[green]✓[/] password set for {name} ({role})", highlight=False)


def register(app: typer.Typer) -> None:
    app.command()(stats)
    app.command()(export)
    app.command()(forecast)
    app.add_typer(user_app, name="user")
