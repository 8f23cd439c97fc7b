"""``mentiondesk crm import FILE.csv``: CRM records onto customers, merging one person's identities.

Columns: ``crm_id`` (required), ``tier``, ``value``, ``email``, ``name`` and one column per
platform holding that platform's handle (``x``, ``discord``, ``instagram``, ``facebook``,
``bluesky``, ``mastodon``). A row finds every stored customer with that CRM id, a listed handle
or the e-mail, merges them into one and gives it the CRM data and any identity it lacked.
A bad row is reported with its line number and skipped; the others are imported. Importing
the same file twice changes nothing the second time. Given the config's ``priority``, the open
cases of every imported customer have their CRM factor re-scored (``bot/crm/rescore.py``), each
change recorded as a ``crm_rescored`` event, so the queue ranks them by what the CRM now says.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.config import Priority
from bot.crm.merge import EMAIL, MergeConflict, unify
from bot.crm.rescore import rescore_crm_factor
from storage import queries
from storage.models import OPEN_STATES, Case

PLATFORM_COLUMNS = ("x", "discord", "instagram", "facebook", "bluesky", "mastodon")
KNOWN = ("crm_id", "tier", "value", "email", "name", *PLATFORM_COLUMNS)


class CrmFileError(ValueError):
    """The file as a whole cannot be read (missing or unknown columns)."""


@dataclass
class ImportReport:
    rows: int = 0
    created: int = 0
    updated: int = 0
    merged: int = 0  # customers folded into another because they are the same person
    rescored: int = 0  # open cases whose priority changed with the CRM data
    problems: list[tuple[int, str]] = field(default_factory=list)  # (line, problem)


def _row_identities(row: dict[str, str]) -> list[tuple[str, str]]:
    ids = [(platform, row[platform].strip()) for platform in PLATFORM_COLUMNS if (row.get(platform) or "").strip()]
    if (row.get("email") or "").strip():
        ids.append((EMAIL, row["email"].strip()))
    return ids


def _parse_value(text: str) -> float | None:
    text = (text or "").strip().replace(",", "")
    if not text:
        return None
    value = float(text)  # ValueError names the text
    if value < 0 or value != value:
        raise ValueError(f"value must be a number ≥ 0, not {text!r}")
    return value


def import_rows(session: Session, text: str, *, name: str = "FILE", priority: Priority | None = None) -> ImportReport:
    reader = csv.DictReader(io.StringIO(text))
    header = [h.strip().lower() for h in (reader.fieldnames or [])]
    if "crm_id" not in header:
        raise CrmFileError(f"{name}: the first line must name the columns, with at least crm_id "
                           f"(known: {', '.join(KNOWN)})")
    unknown = [h for h in header if h not in KNOWN]
    if unknown:
        raise CrmFileError(f"{name}: unknown column(s) {', '.join(unknown)} (known: {', '.join(KNOWN)})")
    reader.fieldnames = header
    report = ImportReport()
    for row in reader:
        line = reader.line_num
        report.rows += 1
        try:
            with session.begin_nested():  # a bad row leaves nothing half-written
                _import_row(session, row, report, priority)
        except (ValueError, MergeConflict) as exc:
            report.problems.append((line, str(exc)))
    return report


def _import_row(session: Session, row: dict[str, str], report: ImportReport, priority: Priority | None) -> None:
    crm_id = (row.get("crm_id") or "").strip()
    if not crm_id:
        raise ValueError("crm_id is empty")
    if len(crm_id) > 100:
        raise ValueError("crm_id is longer than 100 characters")
    try:
        value = _parse_value(row.get("value") or "")
    except ValueError:
        raise ValueError(f"value must be a number, not {row.get('value')!r}") from None
    customer, created, merged = unify(session, crm_id=crm_id, identities=_row_identities(row), tier=row.get("tier"),
                                      value=value, name=(row.get("name") or "").strip() or None)
    report.created += created
    report.updated += not created
    report.merged += merged
    if priority is not None:
        report.rescored += _rescore_open_cases(session, customer, priority, crm_id)


def _rescore_open_cases(session: Session, customer, priority: Priority, crm_id: str) -> int:
    changed = 0
    session.flush()
    for case in session.scalars(select(Case).where(Case.customer_id == customer.id, Case.state.in_(OPEN_STATES))
                                .order_by(Case.id)):
        before, after = rescore_crm_factor(case, customer, priority)
        if after != before:
            changed += 1
            queries.add_event(session, case.id, "crm_rescored", actor="crm import",
                              payload={"crm_id": crm_id, "tier": customer.crm_tier, "value": customer.crm_value,
                                       "priority_before": before, "priority_after": after})
    return changed


def import_file(session: Session, path: str | Path, *, priority: Priority | None = None) -> ImportReport:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise CrmFileError(f"{path}: file not found") from None
    except UnicodeDecodeError:
        raise CrmFileError(f"{path}: not UTF-8 text") from None
    return import_rows(session, text, name=str(path), priority=priority)
