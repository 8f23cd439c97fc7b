"""`mentiondesk model status` and the desk retrain behind `mentiondesk train --from-desk`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from bot.app.cli.common import ConfigOpt, console, err
from bot.app.cli.common import load_config_or_exit as _load
from bot.app.cli.common import progress_bar as _progress

model_app = typer.Typer(help="The triage model: which heads are in use and how they were trained.",
                        no_args_is_help=True)

# Exit codes of `train --from-desk`.
REFUSED, TOO_LITTLE = 1, 3


def _fmt(value, digits: int = 3) -> str:
    return "-" if value is None else (f"{value:.{digits}f}" if isinstance(value, float) else str(value))


def gate_table(gate: dict, title: str) -> Table:
    table = Table(title=title)
    for column in ("task", "figure", "held back", "installed", "new", "verdict"):
        table.add_column(column, justify="left" if column in ("task", "figure", "verdict") else "right")
    colours = {"worse": "red", "better": "green", "equal": "green", "new head": "green"}
    for row in gate["rows"]:
        colour = colours.get(row["verdict"], "dim")
        table.add_row(row["task"], row["figure"], f"{row['n']:,}", _fmt(row["old"]), _fmt(row["new"]),
                      f"[{colour}]{row['verdict']}[/]")
    return table


def desk_table(counts: dict[str, dict[str, int]]) -> Table:
    table = Table(title="Desk examples (held back: never trained on, scored by the gate)")
    for column in ("task", "train", "tune", "held back"):
        table.add_column(column, justify="left" if column == "task" else "right")
    for task, split in counts.items():
        table.add_row(task, f"{split['train']:,}", f"{split['tune']:,}", f"{split['held_back']:,}")
    return table


def run_desk_retrain(*, config: Path | None, database_url: str | None, data: Path | None, out: Path | None,
                     seed: int, limit: int | None, force: bool, min_cases: int | None) -> None:
    """`mentiondesk train --from-desk`: labels from the desk, retrain, gate, install (or refuse)."""
    from bot.core.settings import Settings
    from bot.triage.model.datasets import DataError
    from bot.triage.model.desk_training import base_data_dir, retrain_from_desk
    from bot.triage.model.encoder import ModelUnavailable
    from bot.triage.select import installed_heads_dir, trained_heads_dir
    from storage.db import database_url as normalise_url, make_engine, make_session_factory, redacted

    cfg = _load(config)
    settings = Settings()
    # Compared with the heads triage uses now (maybe the shipped ones), installed as trained heads.
    current_dir = installed_heads_dir(cfg, settings)
    heads_dir = out or trained_heads_dir(cfg, settings)
    data_dir = base_data_dir(data)
    if data_dir is not None and not data_dir.is_dir():
        err.print(f"[red]{data_dir}: no such data folder (use --data or $MENTIONDESK_DATA)[/]", highlight=False)
        raise typer.Exit(2)
    url = normalise_url(database_url or settings.database_url)
    engine = make_engine(url)
    err.print(f"desk history from {redacted(url)}; base data: {data_dir or 'the project corpus'}; compared with "
              f"{current_dir}; installed into {heads_dir}", highlight=False)
    try:
        with _progress() as progress:
            task = progress.add_task("encoding training texts", total=None)
            outcome = retrain_from_desk(
                make_session_factory(engine), cfg, heads_dir, current_dir=current_dir if out is None else out,
                data_dir=data_dir, seed=seed, limit=limit,
                force=force, min_cases=min_cases or cfg.triage.model.retrain.min_cases,
                on_start=lambda total: progress.update(task, total=total, completed=0),
                on_progress=lambda n: progress.advance(task, n))
    except (ModelUnavailable, DataError) as exc:
        err.print(f"[red]cannot retrain: {exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    finally:
        engine.dispose()
    signals = ", ".join(f"{n} {what.replace('_', ' ')}" for what, n in sorted(outcome.labels.signals.items()))
    console.print(f"{outcome.labels.labeled_cases} labeled desk case(s)" + (f" ({signals})" if signals else ""),
                  highlight=False)
    if outcome.status == "too_little":
        err.print(f"[yellow]{outcome.message}[/]", highlight=False)
        raise typer.Exit(TOO_LITTLE)
    console.print(desk_table(outcome.labels.counts()))
    console.print(gate_table(outcome.gate.as_dict(), "Quality gate: installed vs new heads on the held-back slice"))
    if outcome.status == "refused":
        err.print(f"[bold red]✗ {outcome.message}[/] (--force installs them anyway)", highlight=False)
        raise typer.Exit(REFUSED)
    colour = "green" if outcome.status == "installed" else "yellow"
    console.print(f"[{colour}]✓ {outcome.message}[/]", highlight=False)
    if outcome.previous is not None:
        console.print(f"previous heads kept in {outcome.previous}", highlight=False)


@model_app.command("status")
def status(
    config: ConfigOpt = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object")] = False,
    heads: Annotated[Optional[Path], typer.Option(help="Heads folder (default: the one triage loads)")] = None,
) -> None:
    """Which heads triage uses (and why), what they were trained on, when, and their figures."""
    from bot.core.settings import Settings
    from bot.triage.model_status import model_status

    cfg = _load(config)
    if heads is not None:
        cfg.triage.model.heads_dir = str(heads)
    report = model_status(cfg, Settings())
    if as_json:
        json.dump(report, sys.stdout, indent=1, default=str)
        sys.stdout.write("\n")
        return
    _print_status(report)


def _print_status(report: dict) -> None:
    heads = report["heads"]
    table = Table(title="Triage model", show_header=False)
    table.add_column("what", style="bold")
    table.add_column("value", overflow="fold")
    table.add_row("triage.model.use", report["use"])
    table.add_row("classifier", report["classifier"])
    table.add_row("heads", f"{heads['kind']} folder {heads['path']}" + ("" if heads["present"] else " (none there)"))
    if heads["present"]:
        table.add_row("trained at", _fmt(heads.get("trained_at")))
        table.add_row("data fingerprint", _fmt(heads.get("data_fingerprint")))
        verified = heads.get("files_verified") or []
        mismatched = heads.get("files_mismatched") or []
        table.add_row("head files", f"{len(verified)} verified" + (f", [red]{len(mismatched)} do not match "
                                                                    f"their SHA-256: {', '.join(mismatched)}[/]"
                                                                    if mismatched else ""))
    encoder = report.get("encoder")
    if encoder:
        checked = "[green]checksum verified[/]" if encoder.get("checksum_verified") else "[red]checksum NOT verified[/]"
        table.add_row("encoder", f"{encoder['kind']}: {checked}" + (f" ({encoder['path']})" if encoder.get("path") else "")
                      + (f" — {encoder['problem']}" if encoder.get("problem") else ""))
        onnx = encoder.get("onnx") or {}
        table.add_row("ONNX export", (f"cached in the {onnx.get('where')}, " + (
            "checksum verified" if onnx.get("checksum_verified") else "[red]checksum mismatch[/]") + f" ({onnx['path']})")
            if onnx.get("cached") else f"not built yet (built once at first use into {onnx.get('path')})")
    if report.get("previous"):
        table.add_row("previous set", f"{report['previous']['path']} (trained {report['previous']['trained_at']})")
    retrain = report["retrain"]
    table.add_row("scheduled retrain", (f"on, {retrain['schedule']}, at least {retrain['min_cases']} labeled cases"
                                        if retrain["enabled"] else "off (triage.model.retrain.enabled)"))
    last = report.get("last_retrain")
    if last:
        table.add_row("last desk retrain", f"{last.get('at')}: {last.get('status')} — {last.get('message')}")
    console.print(table)
    if not heads["present"]:
        return
    examples = Table(title="Examples per task (train / tune / eval) and by source")
    for column in ("task", "train", "tune", "eval", "corpus", "public sets", "desk"):
        examples.add_column(column, justify="left" if column == "task" else "right")
    for task, split in (heads.get("examples") or {}).items():
        kinds = (heads.get("sources") or {}).get(task) or {}
        examples.add_row(task, *(f"{split.get(s, 0):,}" for s in ("train", "tune", "eval")),
                         *(f"{kinds[k]:,}" if k in kinds else "-" for k in ("corpus", "public sets", "desk")))
    console.print(examples)
    tune = Table(title="Figures on the tuning split (recorded at training)")
    for column in ("task", "macro-F1", "accuracy", "threshold"):
        tune.add_column(column, justify="left" if column == "task" else "right")
    for task, row in (heads.get("tune") or {}).items():
        tune.add_row(task, _fmt(row.get("macro_f1")), _fmt(row.get("accuracy")), _fmt(row.get("threshold")))
    console.print(tune)
    if desk := heads.get("desk"):
        console.print(desk_table(desk["examples"]))
    if gate := heads.get("gate"):
        title = "Gate of the desk retrain that installed these heads" + (" (forced)" if gate.get("forced") else "")
        console.print(gate_table(gate, title))
