"""The quality gate of a desk retrain: new heads replace the installed ones only if they are no worse.

Both sets are scored on the desk's held-back slice (posts no training run ever saw, see
``feedback.desk_split``), each on what triage does with it:

- complaint: F1 of the "complaint" (actionable) class, with the complaint probability triage
  uses (the sentiment blend included) and the head's own threshold;
- topic: accuracy of the head's topic;
- spam: F1 of the "spam" class.

Where the slice holds no example of the class (a desk that never dismissed spam), the figure is
the accuracy instead: F1 would be 0 whatever the heads say.

A task with no held-back examples is not compared. The new set passes when no compared figure
is lower than the installed set's (``tolerance`` allows a little noise; 0 by default).
Installing is two renames in the heads folder's parent: the previous set is kept as
``<name>.previous`` so an operator can move it back.
"""

from __future__ import annotations

import shutil
from dataclasses import asdict, dataclass
from pathlib import Path

import numpy as np

from bot.triage.model.datasets import Example
from bot.triage.model.metrics import report

# task -> (figure, the class it is about, or None for accuracy)
FIGURES = {"complaint": ("complaint F1", "complaint"), "topic": ("topic accuracy", None), "spam": ("spam F1", "spam")}


@dataclass(frozen=True)
class GateRow:
    task: str
    figure: str
    n: int
    old: float | None  # None: no installed head for the task
    new: float | None
    verdict: str  # better | equal | worse | new head | not compared

    def as_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True)
class GateResult:
    passed: bool
    rows: list[GateRow]
    note: str = ""

    def as_dict(self) -> dict:
        return {"passed": self.passed, "note": self.note, "rows": [r.as_dict() for r in self.rows]}


def predictions(task: str, heads: dict, texts: list[str], vectors: np.ndarray) -> list[str] | None:
    """What the set's head for ``task`` says about ``texts`` (None: the set has no such head)."""
    head = heads.get(task)
    if head is None:
        return None
    if task == "complaint":
        from bot.triage.model.heads import complaint_probabilities

        probs = complaint_probabilities(heads, texts, vectors)
        threshold = head.threshold if head.threshold is not None else 0.5
        return ["complaint" if p >= threshold else "other" for p in probs]
    return head.predict(texts, vectors)


def figure_of(task: str, examples: list[Example]) -> tuple[str, str | None]:
    """The figure compared for ``task``: F1 of its positive class, or accuracy when the held-back
    slice has no example of that class (F1 would be 0 for any set)."""
    figure, positive = FIGURES[task]
    if positive and not any(e.label == positive for e in examples):
        return f"{task} accuracy (no {positive} held back)", None
    return figure, positive


def score(task: str, heads: dict, examples: list[Example], vectors: np.ndarray) -> float | None:
    said = predictions(task, heads, [e.text for e in examples], vectors)
    if said is None:
        return None
    truth = [e.label for e in examples]
    _, positive = figure_of(task, examples)
    result = report(truth, said, sorted(set(truth) | ({positive} if positive else set())))
    return round(result.score(positive).f1 if positive else result.accuracy, 4)


def compare(old_heads: dict | None, new_heads: dict, held_back: dict[str, list[Example]], embed, *,
            tolerance: float = 0.0) -> GateResult:
    """Score both sets on ``held_back`` (task -> examples); ``embed(texts)`` gives the vectors
    (both sets are fitted on the same encoder)."""
    rows = []
    for task in FIGURES:
        examples = held_back.get(task) or []
        figure, _ = figure_of(task, examples)
        if not examples or task not in new_heads:
            rows.append(GateRow(task, figure, len(examples), None, None, "not compared"))
            continue
        vectors = embed([e.text for e in examples])
        new = score(task, new_heads, examples, vectors)
        old = score(task, old_heads, examples, vectors) if old_heads else None
        if old is None:
            verdict = "new head"
        elif new > old:
            verdict = "better"
        elif new >= old - tolerance:
            verdict = "equal"
        else:
            verdict = "worse"
        rows.append(GateRow(task, figure, len(examples), old, new, verdict))
    compared = [r for r in rows if r.verdict != "not compared"]
    if not compared:
        return GateResult(False, rows, "nothing to compare: the held-back slice has no labeled post")
    worse = [r for r in compared if r.verdict == "worse"]
    if worse:
        return GateResult(False, rows, "worse than the installed heads on " + ", ".join(r.figure for r in worse))
    note = "no installed heads to compare with" if old_heads is None else "no worse than the installed heads"
    return GateResult(True, rows, note)


def backup_dir(heads_dir: Path) -> Path:
    return heads_dir.with_name(heads_dir.name + ".previous")


def install(new_dir: Path, heads_dir: Path) -> Path | None:
    """Put the set in ``new_dir`` (a folder next to ``heads_dir``, same file system) in place of
    ``heads_dir``; the previous set becomes ``<name>.previous`` (returned; None when there was
    none). Each rename is atomic: a reader sees the old set, or briefly no folder (it then keeps
    the heads it has), never half a set."""
    heads_dir.parent.mkdir(parents=True, exist_ok=True)
    backup = backup_dir(heads_dir)
    previous = None
    if heads_dir.exists():
        if backup.exists():
            shutil.rmtree(backup)
        heads_dir.rename(backup)
        previous = backup
    new_dir.rename(heads_dir)
    return previous
