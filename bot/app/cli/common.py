"""What every mentiondesk sub-command shares: the consoles, the --config option, loading the
configuration with a readable error, the progress bar and reading a feed file with it.

Its own module so the sub-apps (``crm``, ``mode``, ``escalation``, reporting) and ``main`` import
it instead of each other: ``main`` composes the sub-apps and nothing imports ``main``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from bot.core.config import Config, ConfigError, load_config
from bot.core.mention import Mention
from bot.core.observability import stage
from bot.feeds.file_replay import BadLine, count_lines, replay_file

console = Console()
err = Console(stderr=True, soft_wrap=True)

ConfigOpt = Annotated[Optional[Path], typer.Option("--config", "-c", help="Config YAML (default: $MENTIONDESK_CONFIG or the bundled example)")]


def load_config_or_exit(config: Path | None) -> Config:
    from bot.core.settings import Settings

    try:
        return load_config(config or Settings().config_path)
    except ConfigError as exc:
        err.print(f"[bold red]Invalid configuration[/]\n{exc}", markup=True, highlight=False)
        raise typer.Exit(2) from None


def progress_bar(quiet: bool = False) -> Progress:
    return Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                    console=err, transient=True, disable=quiet)


def read_feed(path: Path, config: Config, progress: Progress) -> tuple[list[Mention], list[BadLine]]:
    if not path.exists():
        err.print(f"[red]{path}: file not found[/]")
        raise typer.Exit(2)
    total = count_lines(path)
    task = progress.add_task(f"reading {path.name}", total=total)
    mentions, bad = [], []
    with stage("parse"):
        for item in replay_file(path, max_text_chars=config.triage.max_text_chars):
            (bad if isinstance(item, BadLine) else mentions).append(item)
            progress.advance(task)
    return mentions, bad
