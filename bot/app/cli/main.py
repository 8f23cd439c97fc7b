"""The ``mentiondesk`` command line (typer + rich)."""

from __future__ import annotations

import json
import logging
import sys
from collections import Counter
from datetime import datetime
from enum import Enum
from importlib import resources
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from bot.app.cli.common import ConfigOpt, console, err
from bot.app.cli.common import load_config_or_exit as _load
from bot.app.cli.common import progress_bar as _progress
from bot.app.cli.common import read_feed as _read_feed
from bot.app.cli.crm import crm_app
from bot.app.cli.escalation import app as escalation_app
from bot.app.cli.model import model_app, run_desk_retrain
from bot.app.cli.privacy import customer_app
from bot.app.cli.reporting import register as register_reporting
from bot.app.cli.routing import mode_app, replay_command
from bot.app.views import RankedRow, funnel_table, ranked_table
from bot.core.config import Config, ConfigError, load_config
from bot.core.mention import Mention
from bot.core import log_cap

app = typer.Typer(help="mentiondesk: social mentions in, triaged cases out to your team.", no_args_is_help=True)
config_app = typer.Typer(help="Validate and inspect configuration files.", no_args_is_help=True)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(config_app, name="config")
app.add_typer(db_app, name="db")
app.add_typer(escalation_app, name="escalation")  # validate and simulate the escalation map
register_reporting(app)  # stats, export, forecast, user
app.add_typer(mode_app, name="mode")  # crisis mode per topic
app.command("replay")(replay_command)  # the routing dry run
app.add_typer(crm_app, name="crm")
app.add_typer(customer_app, name="customer")  # a customer's data: export, forget, retention
app.add_typer(model_app, name="model")  # which heads triage uses, trained on what


class LogFormat(str, Enum):
    text = "text"
    json = "json"


@app.callback()
def main(verbose: Annotated[bool, typer.Option("--verbose", "-v", help="Log more (DEBUG)")] = False,
         log_format: Annotated[LogFormat, typer.Option("--log-format", help="Log lines as text or one JSON object per line")] = LogFormat.text) -> None:
    from bot.core.logs import configure_logging

    configure_logging(logging.DEBUG if verbose else logging.WARNING, log_format.value)
    log_cap.install()  # untrusted text (posts, payloads) never reaches a log line unbounded


@config_app.command("check")
def config_check(file: Path) -> None:
    """Validate FILE and summarise what it configures."""
    try:
        config = load_config(file)
    except ConfigError as exc:
        err.print(f"[bold red]✗ {file} is invalid[/]", highlight=False)
        err.print(str(exc), markup=False, highlight=False)
        raise typer.Exit(2) from None
    console.print(f"[bold green]✓ {file} is valid[/]", highlight=False)
    table = Table(title="Configuration summary")
    table.add_column("section")
    table.add_column("what", overflow="fold")
    for brand in config.brands:
        table.add_row(f"brand {brand.name}", ", ".join([*brand.handles, *brand.hashtags, *brand.keywords]))
    table.add_row("topics", ", ".join(config.triage.topics) or "-")
    table.add_row("triggers", ", ".join(config.triage.triggers))
    for team in config.teams:
        channels = ", ".join(f"{k}:{v}" for k, v in team.channels.model_dump().items() if v) or "no channel"
        default = " (default)" if team is config.default_team() else ""
        table.add_row(f"team {team.name}{default}", f"{channels}; topics: {', '.join(team.topics) or '-'}")
    roles = Counter(a.role for a in config.agents)
    table.add_row("agents", ", ".join(f"{n} {r}" for r, n in sorted(roles.items())) or "-")
    table.add_row("canned responses", ", ".join(c.id for c in config.canned_responses) or "-")
    routing = config.routing
    if routing is None:
        table.add_row("routing", "none: no suggestions, no crisis mode (see `mentiondesk config example`)")
    else:
        table.add_row("routing", f"{', '.join(f'{t} {r.mode}' for t, r in routing.teams.items()) or 'suggest'}; "
                                 f"chain {' → '.join(routing.chain)}")
        table.add_row("shifts", ", ".join(f"{name} ({len(a.shifts)})" for name, a in routing.agents.items()
                                          if a.shifts) or "everyone always on shift")
        table.add_row("crisis team", routing.crisis.team if routing.crisis else "none: `mode crisis` is refused")
    weights = config.priority.weights.model_dump()
    table.add_row("priority weights", ", ".join(f"{k} {v:g}" for k, v in weights.items()))
    bands = config.priority.bands
    table.add_row("priority bands", " > ".join(f"{b.name} ({', '.join(b.intents)})" for b in bands) +
                  f", {config.priority.band_step():g} points apart" if bands else "off: the weighted sum alone")
    console.print(table)


@config_app.command("example")
def config_example() -> None:
    """Print the documented example configuration (a starting point for your own)."""
    sys.stdout.write(resources.files("bot.samples").joinpath("config.example.yaml").read_text(encoding="utf-8"))


@db_app.command("upgrade")
def db_upgrade(database_url: Annotated[Optional[str], typer.Option(help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")] = None) -> None:
    """Create or migrate the database schema to the latest version."""
    from storage.db import database_url as resolve, redacted, upgrade

    url = resolve(database_url)
    upgrade(url)
    console.print(f"[green]✓[/] schema up to date on {redacted(url)}", highlight=False)


def _rows_from_outcomes(pairs) -> list[RankedRow]:
    rows = [
        RankedRow(o.result.tier, o.result.score, o.result.intent, m.author_handle, m.text, o.result.reasons,
                  o.result.team, o.result.topic)
        for m, o in pairs if o.result is not None
    ]
    order = {"tier1": 0, "tier2": 1, "noise": 2, "spam": 3}
    return sorted(rows, key=lambda r: (order[r.tier], -r.score))


def _replay_clock(mentions: list[Mention], now: datetime | None) -> datetime | None:
    # Replaying old posts "now" would make every one look hours overdue. Score them as of the
    # newest post in the file instead, unless --now says otherwise.
    return now or (max(m.created_at for m in mentions) if mentions else None)


@app.command()
def triage(
    file: Annotated[Path, typer.Argument(help="JSONL file, one mention per line")],
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print a JSON array, highest priority first")] = False,
    limit: Annotated[int, typer.Option(help="Rows in the table (JSON always has all)")] = 40,
    now: Annotated[Optional[datetime], typer.Option(help="Score as of this time (default: newest post in FILE)")] = None,
) -> None:
    """Triage a file of mentions without touching any database: ranked table and funnel."""
    from bot.core.settings import Settings
    from bot.desk.dry_run import DryRunIngest
    from bot.triage.pipeline import TriagePipeline
    from bot.triage.select import build_classifier

    cfg = _load(config)
    with _progress(quiet=as_json) as progress:
        mentions, bad = _read_feed(file, cfg, progress)
        as_of = _replay_clock(mentions, now.astimezone() if now else None)
        # The decisions ingest would make (dedupe, repeat contacts, threads), kept in memory:
        # nothing is written, not even to a throw-away database.
        classifier, classifier_note = build_classifier(cfg, Settings())
        dry_run = DryRunIngest(TriagePipeline(cfg, classifier), cfg.customers)
        task = progress.add_task("triaging", total=len(mentions))
        pairs = []
        for start in range(0, len(mentions), TRIAGE_BATCH):
            chunk = mentions[start : start + TRIAGE_BATCH]
            pairs.extend(zip(chunk, dry_run.ingest_many(chunk, now=as_of)))
            progress.advance(task, len(chunk))
    for line in bad:
        err.print(f"[yellow]skipped {file}:{line.line_no}:[/] {line.problem}", highlight=False)
    kept = [(m, o) for m, o in pairs if not o.duplicate]
    kept.sort(key=lambda p: -p[1].result.score)
    if as_json:
        out = [
            {"id": m.external_id, "platform": m.platform, "tier": o.result.tier, "score": o.result.score,
             "intent": o.result.intent, "sentiment": o.result.sentiment.label, "topic": o.result.topic,
             "team": o.result.team, "abusive": o.result.abusive,
             "abuse": o.result.abuse.as_dict() if o.result.abuse else None, "reasons": o.result.reasons,
             "factors": [c.as_dict() for c in o.result.contributions]}
            for m, o in kept
        ]
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        sys.stdout.write("\n")
        return
    rows = _rows_from_outcomes(kept)
    console.print(ranked_table(rows[:limit], f"{file.name}: top {min(limit, len(rows))} of {len(rows)}"))
    counts = Counter(o.result.tier for _, o in kept)
    counts.update(received=len(pairs), duplicate=sum(o.duplicate for _, o in pairs))
    console.print(funnel_table(counts))
    err.print(f"[dim]{classifier_note}[/]", highlight=False)


#: Posts triaged together: the cascade encodes a batch's survivors in one call.
TRIAGE_BATCH = 500
#: Posts per ingest transaction.
INGEST_BATCH = 1000


@app.command()
def ingest(
    file: Annotated[Path, typer.Argument(help="JSONL file, one mention per line")],
    config: ConfigOpt = None,
    database_url: Annotated[Optional[str], typer.Option(help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")] = None,
) -> None:
    """Replay a JSONL file into the database (the file replay source)."""
    from bot.app.runtime import Runtime

    from bot.desk.lookahead import LookAhead

    cfg = _load(config)
    runtime = Runtime.build(cfg, database=database_url)
    with _progress() as progress:
        mentions, bad = _read_feed(file, cfg, progress)
        task = progress.add_task("ingesting", total=len(mentions))
        stored = duplicates = cases = 0
        batches = [mentions[start : start + INGEST_BATCH] for start in range(0, len(mentions), INGEST_BATCH)]
        ahead = LookAhead(runtime.pipeline)  # the cascade encodes batch N+1 while batch N is stored
        ahead.start(batches[0] if batches else None)
        for batch, following in zip(batches, [*batches[1:], None]):
            ahead.ready()
            ahead.start(following)
            for outcome in runtime.ingest_batch(batch, looked_ahead=True):
                stored += not outcome.duplicate
                duplicates += outcome.duplicate
                cases += outcome.new_case
            progress.advance(task, len(batch))
        ahead.close()
    for line in bad:
        err.print(f"[yellow]skipped {file}:{line.line_no}:[/] {line.problem}", highlight=False)
    console.print(f"stored {stored} mention(s), {duplicates} duplicate(s) skipped, {cases} new case(s), "
                  f"{len(bad)} bad line(s)")
    runtime.close()


@app.command()
def queue(
    config: ConfigOpt = None,
    database_url: Annotated[Optional[str], typer.Option(help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")] = None,
    team: Annotated[Optional[str], typer.Option(help="Only this team's cases")] = None,
    limit: int = 30,
) -> None:
    """Show the open cases, highest priority first."""
    from bot.app.runtime import Runtime

    runtime = Runtime.build(_load(config), database=database_url)
    _print_queue(runtime, team=team, limit=limit)
    runtime.close()


@app.command()
def status(
    config: ConfigOpt = None,
    database_url: Annotated[Optional[str], typer.Option(help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")] = None,
) -> None:
    """Health of the desk: feed pollers (rate limits, errors, read quota), the reply outbox, the open queue."""
    from datetime import timezone

    from bot.app.runtime import Runtime
    from bot.app.status import status_tables

    runtime = Runtime.build(_load(config), database=database_url)
    try:
        with runtime.sessions() as session:
            for table in status_tables(session, runtime.config, datetime.now(timezone.utc)):
                console.print(table)
    finally:
        runtime.close()


def _print_queue(runtime, *, team: str | None = None, limit: int = 30) -> None:
    from bot.desk.cases import open_queue
    from storage.queries import funnel_counts

    with runtime.sessions() as session:
        cases = open_queue(session, team=team, limit=limit)
        rows = [
            RankedRow(c.tier.value, c.priority, c.intent, c.mentions[0].author_handle, c.mentions[0].text,
                      [f"{r['detail']} (+{r['points']:g})" for r in c.priority_reasons if r["points"] > 0],
                      c.team, c.topic)
            for c in cases
        ]
        counts = funnel_counts(session)
    console.print(ranked_table(rows, f"Open cases{' for ' + team if team else ''} (top {len(rows)})"))
    return counts


DEMO_DB = Path("mentiondesk-demo.db")


def demo_hints(db: Path, feed: Path) -> list[str]:
    """What to try next, one command per line, each working exactly as printed on the demo's
    data: the ``./mentiondesk`` launcher uses the demo database when it finds it and no other
    database is set (another --db is named in the commands)."""
    run = "./mentiondesk" if db == DEMO_DB else f"DATABASE_URL=sqlite:///{db} ./mentiondesk"
    return [
        "Try it on this desk (./mentiondesk uses mentiondesk-demo.db when it is here and DATABASE_URL is unset):",
        *(f"  {run} {command}" for command in (
            "queue", "stats", "forecast", "status", "export cases -", f"replay {feed}",
            'mode crisis --topic safety --by "Erin Walsh"', 'mode normal --topic safety --by "Erin Walsh"')),
        "  ./mentiondesk demo --serve        # the web console, with new posts played into it live",
    ]


def _as_typed(path: Path) -> Path:
    """``path`` relative to the current directory when it is below it (shorter to type), else as is."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve())
    except ValueError:
        return path


def _demo_escalation_map(cfg: Config):
    """The bundled escalation map gives the demo's cases their SLAs (None when it does not fit a
    config of your own: then the figures just have no SLA lines)."""
    from escalation.map import EscalationMapError, load_escalation_map

    try:
        return load_escalation_map(None, cfg)
    except EscalationMapError as exc:
        err.print(f"[yellow]demo without SLAs: the bundled escalation map does not fit this config ({exc})[/]",
                  highlight=False)
        return None


@app.command()
def demo(
    db: Annotated[Path, typer.Option(help="SQLite file for the demo (recreated each run)")] = DEMO_DB,
    feed: Annotated[Optional[Path], typer.Option(help="JSONL feed (default: the bundled sample)")] = None,
    config: ConfigOpt = None,
    serve: Annotated[bool, typer.Option("--serve", help="Open the web console and play the feed into it live")] = False,
    port: Annotated[int, typer.Option(help="With --serve: port of the console")] = 8080,
    pace: Annotated[float, typer.Option(help="With --serve: seconds between two posts")] = 1.0,
    weeks: Annotated[int, typer.Option(help="Weeks of simulated desk history before today (0: none)")] = 4,
    seed: Annotated[int, typer.Option(help="Seed of the simulated history: the same seed gives the same desk")] = 7,
) -> None:
    """Build a live-looking desk in a local SQLite file: weeks of simulated work, today's sample feed, the queue."""
    from datetime import timezone

    from bot.app.demo_history import build_demo_desk, shift_to_now
    from bot.app.runtime import Runtime

    cfg = _load(config)
    for suffix in ("", "-wal", "-shm"):
        Path(str(db) + suffix).unlink(missing_ok=True)
    feed_path = feed or Path(str(resources.files("bot.samples").joinpath("demo_feed.jsonl")))
    runtime = Runtime.build(cfg, database=f"sqlite:///{db}")
    console.rule("[bold]mentiondesk demo")
    console.print(f"database: {db} (SQLite)   feed: {feed_path.name}   brand: {cfg.brands[0].name}", highlight=False)
    now = datetime.now(timezone.utc)
    with _progress() as progress:
        mentions, bad = _read_feed(feed_path, cfg, progress)
    # Live: the history runs up to now and the feed is played as new posts. Otherwise the feed is
    # today's traffic, ending a moment ago, and the simulated agents have worked all but the newest.
    today = [] if serve else shift_to_now(mentions, now)
    with _progress() as progress:
        task = progress.add_task(f"simulating {weeks} weeks of desk history" + ("" if serve else " and today"),
                                 total=None)
        summary = build_demo_desk(runtime, today, now=now, weeks=weeks, seed=seed,
                                  escalation_map=_demo_escalation_map(cfg),
                                  on_progress=lambda n: progress.advance(task, n))
    console.print(f"desk: {summary.posts} posts since {summary.start:%Y-%m-%d}"
                  + ("" if serve else " (today's feed included)")
                  + f", {summary.cases} cases, {summary.actions} agent actions (simulated, seed {seed})",
                  highlight=False)
    if serve:
        from bot.app.demo_live import serve_live

        serve_live(runtime, mentions, host="127.0.0.1", port=port, pace=pace,
                   announce=lambda line: console.print(line, highlight=False))
        runtime.close()
        return
    _print_queue(runtime, limit=25)
    console.print(funnel_table(summary.today))
    if bad:
        err.print(f"[yellow]{len(bad)} bad line(s) skipped[/]")
    err.print(f"[dim]{runtime.classifier_note}[/]", highlight=False)
    for line in demo_hints(db, _as_typed(feed_path)):
        console.print(line, highlight=False, markup=False, soft_wrap=True)
    runtime.close()


@app.command()
def serve(
    config: ConfigOpt = None,
    host: Annotated[str, typer.Option(help="Address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on")] = 8080,
    database_url: Annotated[Optional[str], typer.Option(help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")] = None,
) -> None:
    """Run the HTTP server: webhook POST /ingest, the web console /console/, /metrics, /healthz, /readyz."""
    import uvicorn

    from bot.app.runtime import Runtime
    from bot.app.server import create_app

    root = logging.getLogger()
    root.setLevel(min(root.level, logging.INFO))  # a server logs what it does; -v keeps DEBUG
    runtime = Runtime.build(_load(config), database=database_url)
    # log_config=None: uvicorn's own loggers go through our handler (and its --log-format).
    uvicorn.run(create_app(runtime), host=host, port=port, log_level="info", log_config=None)


# `mentiondesk run` is the same job under the name operators use for replicas: start it N times
# against one PostgreSQL database (see README "Several replicas").
app.command("run", help="Run a replica: the server, plus feed polling and timers when elected leader (same as serve).")(serve)




DEFAULT_DATA = Path("../shared/data")


def _data_dir(data: Path | None) -> Path:
    import os

    path = data or Path(os.environ.get("MENTIONDESK_DATA", DEFAULT_DATA))
    if not path.is_dir():
        err.print(f"[red]{path}: no such data folder (use --data or $MENTIONDESK_DATA)[/]", highlight=False)
        raise typer.Exit(2)
    return path


def _heads_dir(heads: Path | None, cfg: Config) -> Path:
    """The heads triage uses (see bot/triage/model/location.py), unless --heads names others."""
    from bot.core.settings import Settings
    from bot.triage.model.location import heads_dir_for

    return heads or heads_dir_for(cfg.triage.model.heads_dir, Settings().model_dir)


def _train_out(out: Path | None, cfg: Config) -> Path:
    """Where `train` writes: --out, the configured or $MENTIONDESK_MODEL_DIR folder, else
    models/heads (never over the shipped heads unless --out names them)."""
    from bot.core.settings import Settings
    from bot.triage.model.location import LOCAL_HEADS

    return out or Path(cfg.triage.model.heads_dir or Settings().model_dir or LOCAL_HEADS)


@app.command()
def train(
    data: Annotated[Optional[Path], typer.Option(help="Train on this labeled data folder (airline, spam sets) instead of the project's own corpus")] = None,
    out: Annotated[Optional[Path], typer.Option(help="Where to write the heads (default $MENTIONDESK_MODEL_DIR or models/heads)")] = None,
    seed: Annotated[int, typer.Option(help="Random seed: the same seed and data give the same heads")] = 13,
    limit: Annotated[Optional[int], typer.Option(help="Use at most N examples per task (quick trials)")] = None,
    fine_tune: Annotated[int, typer.Option("--fine-tune", help="Fine-tune the encoder this many epochs on sentiment and topic first (0: frozen, as the shipped heads; each epoch ~9 min on 2 cores)")] = 0,
    with_feedback: Annotated[bool, typer.Option("--with-feedback", help="Add every desk label to the training split, without the quality gate (see --from-desk)")] = False,
    from_desk: Annotated[bool, typer.Option("--from-desk", help="Retrain on the desk's own history and install the new heads only if the quality gate passes (keeps the installed encoder; --fine-tune is not used)")] = False,
    force: Annotated[bool, typer.Option("--force", help="With --from-desk: install the new heads even if the gate refuses them")] = False,
    min_cases: Annotated[Optional[int], typer.Option(help="With --from-desk: labeled desk cases needed (default triage.model.retrain.min_cases, 50)")] = None,
    database_url: Annotated[Optional[str], typer.Option(help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")] = None,
    config: ConfigOpt = None,
) -> None:
    """Train the triage heads on labeled data (held-out eval split untouched) and print their tuning metrics."""
    if from_desk:
        run_desk_retrain(config=config, database_url=database_url, data=data, out=out, seed=seed, limit=limit,
                         force=force, min_cases=min_cases)
        return
    from bot.triage.model.datasets import DataError
    from bot.triage.model.encoder import ModelUnavailable
    from bot.triage.model.train import train_all

    cfg = _load(config)
    data_dir, out_dir = (_data_dir(data) if data else None), _train_out(out, cfg)
    extra: dict = {}
    if with_feedback:
        from bot.core.settings import Settings
        from bot.triage.model.feedback import feedback_examples, team_topics
        from storage.db import database_url as normalise_url, make_engine, make_session_factory

        engine = make_engine(normalise_url(database_url or Settings().database_url))
        with make_session_factory(engine)() as session:
            extra = feedback_examples(session, cfg.triage.model.topic_map, team_topics(cfg.teams))
        engine.dispose()
        err.print(f"feedback: {sum(map(len, extra.values()))} labeled example(s) from agents' actions",
                  highlight=False)
    with _progress() as progress:
        task = progress.add_task("encoding training texts", total=None)

        def start_fine_tuning(total: int) -> None:
            progress.update(task, description=f"fine-tuning the encoder ({fine_tune} epochs)", total=total)

        def start_encoding(total: int) -> None:
            progress.update(task, description="encoding training texts", total=total, completed=0)

        try:
            info = train_all(data_dir, out_dir, seed=seed, limit=limit, fine_tune_epochs=fine_tune, extra=extra,
                             on_fine_tune_start=start_fine_tuning, on_start=start_encoding,
                             on_progress=lambda n: progress.advance(task, n))
        except ModelUnavailable as exc:
            err.print(f"[red]cannot train: {exc}[/]", highlight=False)
            raise typer.Exit(2) from None
        except DataError as exc:
            err.print(f"[red]{exc}[/]", highlight=False)
            raise typer.Exit(2) from None
    table = Table(title=f"Heads written to {out_dir} (metrics on the tuning split)")
    for column in ("task", "train", "tune", "C", "emb. weight", "macro-F1", "accuracy", "threshold"):
        table.add_column(column, justify="right" if column != "task" else "left")
    for name, metrics in info["tune_metrics"].items():
        sizes = info["examples"][name]
        threshold = info["thresholds"].get(name)
        table.add_row(name, f"{sizes['train']:,}", f"{sizes['tune']:,}", f"{metrics['c']:g}",
                      f"{metrics.get('embedding_weight', 3.0):g}",
                      f"{metrics['tune']['macro_f1']:.3f}", f"{metrics['tune']['accuracy']:.3f}",
                      f"{threshold:.3f}" if threshold is not None else "-")
    console.print(table)
    if blend := info["tune_metrics"].get("complaint", {}).get("blend"):
        console.print(f"complaint probability: {blend['weight']:g} × complaint head + {1 - blend['weight']:g} × the "
                      f"sentiment head's P(negative); precision {blend['tune_precision']:.3f} at 95% recall (tune); "
                      f"a question or praise-sounding post is a complaint from p ≥ "
                      f"{info['tune_metrics']['complaint'].get('confident_at', 0.85):.2f}")
    if screen := info.get("screen"):
        console.print(f"n-gram screen: settles a post when P(complaint) < {screen['complaint_below']:.3f}, "
                      f"P(spam) < {screen['spam_below']:.3f} and sentiment is ≥ {screen['sentiment_confidence']:.2f} "
                      f"sure: {screen['settled_tune_share']:.1%} of the sentiment tuning split, never encoded")
    if data_dir is None and not limit and not extra and not fine_tune:
        _compare_with_shipped(out_dir)


def _compare_with_shipped(out_dir: Path) -> None:
    """After a default `train`: are the new heads byte for byte the shipped ones? (the
    reproducibility promise of MODEL_CARD.md)."""
    from bot.triage.model.reproduce import compare_heads
    from bot.triage.model.location import shipped_heads_dir

    if out_dir.resolve() == shipped_heads_dir():
        console.print("heads written over the shipped ones: compare with a rebuild elsewhere "
                      "(`mentiondesk train --out /tmp/heads`)", highlight=False)
        return
    differing = compare_heads(out_dir, shipped_heads_dir())
    if differing is None:
        console.print("[yellow]no shipped heads to compare with[/]")
    elif not differing:
        console.print(f"[green]byte-identical to the shipped heads[/] ({shipped_heads_dir()})", highlight=False)
    else:
        console.print(f"[yellow]differs from the shipped heads in: {', '.join(differing)}[/] (another seed, "
                      "corpus or library version?)", highlight=False)


@app.command("eval")
def eval_command(
    file: Annotated[Optional[Path], typer.Argument(help="JSONL of {text, label} (default: the held-out split of --data)")] = None,
    task: Annotated[str, typer.Option(help="sentiment | complaint | actionable | topic | spam (actionable: the "
                                           "complaint labels against every tier-1 intent, questions too)")] = "complaint",
    data: Annotated[Optional[Path], typer.Option(help="Labeled data folder (default $MENTIONDESK_DATA or ../shared/data)")] = None,
    heads: Annotated[Optional[Path], typer.Option(help="Trained heads (default $MENTIONDESK_MODEL_DIR or models/heads)")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the metrics as JSON")] = False,
    config: ConfigOpt = None,
) -> None:
    """Precision, recall and F1 per class, macro-F1 and confusion matrices: rules, model and cascade side by side."""
    from bot.triage.model import datasets
    from bot.triage.model.evaluate import EVAL_TASKS, data_task, evaluate
    from bot.app.views import confusion_table, routing_table, scores_table

    cfg = _load(config)
    if task not in EVAL_TASKS:
        err.print(f"[red]unknown task {task!r}; known: {', '.join(EVAL_TASKS)}[/]", highlight=False)
        raise typer.Exit(2)
    try:
        if file is not None:
            examples = datasets.load_jsonl(file)
        else:
            examples = [e for e in datasets.load(data_task(task), _data_dir(data)) if e.split == "eval"]
    except datasets.DataError as exc:
        err.print(f"[red]{exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    trained, encoder, screen = None, None, None
    try:
        from bot.triage.model.classifier import encoder_for
        from bot.triage.model.heads import load_heads
        from bot.triage.model.screen import screen_from

        heads_dir = _heads_dir(heads, cfg)
        trained, manifest = load_heads(heads_dir)
        encoder = encoder_for(heads_dir, manifest, cfg.triage.model.backend)
        screen = screen_from(trained, manifest) if cfg.triage.model.screen else None
    except Exception as exc:  # noqa: BLE001 - any reason the model is unusable: rules only, said aloud
        err.print(f"[yellow]model not evaluated: {exc}[/]", highlight=False)
        trained = None
    with _progress(quiet=as_json) as progress:
        progress.add_task(f"evaluating {len(examples):,} examples", total=None)
        result = evaluate(task, examples, cfg, trained, encoder, screen=screen)
    if as_json:
        json.dump({**{name: r.as_dict() for name, r in result.reports.items()},
                   "cascade_encoded_share": result.encoded_share, "routing": result.routing}, sys.stdout, indent=1)
        sys.stdout.write("\n")
        return
    console.print(scores_table(result))
    if result.encoded_share is not None:
        console.print(f"[dim]cascade: the encoder ran on {result.encoded_share:.1%} of these posts "
                      f"({'the n-gram screen settled the clear ones' if screen else 'no screen'})[/]")
    if result.routing:
        console.print(routing_table(result.routing))
    for name, rep in result.reports.items():
        console.print(confusion_table(name, rep))


if __name__ == "__main__":  # pragma: no cover - last, so that every command above is registered
    app()
