"""``mentiondesk crm import FILE.csv``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

crm_app = typer.Typer(help="Customer data from your CRM.", no_args_is_help=True)
console = Console()
err = Console(stderr=True, soft_wrap=True)


@crm_app.command("import")
def crm_import(
    file: Annotated[Path, typer.Argument(help="CSV: crm_id, tier, value, email, name, x, discord, instagram, …")],
    config: Annotated[Optional[Path], typer.Option("--config", "-c", help="Config YAML")] = None,
    database_url: Annotated[Optional[str], typer.Option(help="Default: $DATABASE_URL or sqlite:///mentiondesk.db")] = None,
) -> None:
    """Attach CRM records to customers; rows naming identities of several customers merge them."""
    from bot.app.cli.common import load_config_or_exit as _load
    from bot.crm.importer import CrmFileError, import_file
    from bot.app.runtime import Runtime
    from storage.db import transaction

    runtime = Runtime.build(_load(config), database=database_url)
    try:
        with transaction(runtime.sessions) as session:
            report = import_file(session, file, priority=runtime.config.priority)
    except CrmFileError as exc:
        err.print(f"[red]✗ {exc}[/]", highlight=False)
        raise typer.Exit(2) from None
    finally:
        runtime.close()
    for line, problem in report.problems:
        err.print(f"[yellow]skipped {file}:{line}:[/] {problem}", highlight=False)
    console.print(f"{report.rows} row(s): {report.created} new customer(s), {report.updated} updated, "
                  f"{report.merged} merged into another, {len(report.problems)} skipped; "
                  f"{report.rescored} open case(s) re-scored", highlight=False)
    if report.problems and len(report.problems) == report.rows:
        raise typer.Exit(1)
