"""Architecture figures: how big each package is and whether the import graph has cycles.

    python bench/architecture.py            # a table
    python bench/architecture.py --json     # one JSON line

Prints lines of code per top-level package and per ``bot`` sub-package (the largest package's
share of all code), and the import cycles at two levels, lazy (function-level) imports included
because grimp reads every import statement in a file:

- **units**: sub-packages and loose modules (``bot.triage``, ``bot.desk.actions``, ``handlers.slack``,
  ``escalation.engine``); a cycle here means two parts of the house need each other;
- **files**: single modules.

The layer rules themselves are enforced by import-linter (``pyproject.toml``,
``tests/test_architecture.py``); this script is for the before/after figures in a closing note.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import defaultdict
from pathlib import Path

import grimp

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("bot", "handlers", "escalation", "storage")


def _code_lines(path: Path) -> int:
    """Non-blank lines (comments and docstrings count: they are part of what a reader reads)."""
    return sum(1 for line in path.read_text(encoding="utf-8").splitlines() if line.strip())


def line_counts() -> dict[str, int]:
    counts: dict[str, int] = defaultdict(int)
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            rel = path.relative_to(ROOT).with_suffix("")
            parts = rel.parts
            counts[package] += _code_lines(path)
            if package == "bot":
                unit = parts[1] if len(parts) > 2 else f"{parts[1]}.py"
                counts[f"bot/{unit}"] += _code_lines(path)
    return dict(counts)


def _unit(module: str) -> str:
    parts = module.split(".")
    return ".".join(parts[:2])


def strongly_connected(graph: dict[str, set[str]]) -> list[set[str]]:
    """Tarjan's algorithm, iterative; returns the components with more than one member."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    on_stack: set[str] = set()
    stack: list[str] = []
    found: list[set[str]] = []
    counter = 0
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(graph.get(start, ())))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            advanced = False
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(graph.get(child, ()))))
                    advanced = True
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            if advanced:
                continue
            work.pop()
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def import_graphs() -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*PACKAGES, cache_dir=None)
    files: dict[str, set[str]] = defaultdict(set)
    units: dict[str, set[str]] = defaultdict(set)
    for module in graph.modules:
        if ".migrations" in module:
            continue
        for imported in graph.find_modules_directly_imported_by(module):
            if ".migrations" in imported:
                continue
            # A package's __init__ importing its own children is not a cycle a reader cares about.
            if imported.startswith(module + "."):
                continue
            files[module].add(imported)
            if _unit(module) != _unit(imported):
                units[_unit(module)].add(_unit(imported))
    return files, units


def figures() -> dict:
    lines = line_counts()
    total = sum(lines[p] for p in PACKAGES)
    largest = max(PACKAGES, key=lambda p: lines[p])
    files, units = import_graphs()
    unit_cycles = strongly_connected(units)
    file_cycles = strongly_connected(files)
    loose = sorted(k for k in lines if k.startswith("bot/") and k.endswith(".py"))
    # The largest unit a reader must take in at once: a bot/ sub-package, or bot/'s loose modules together.
    units = {k: v for k, v in lines.items() if k.startswith("bot/") and not k.endswith(".py")}
    units["bot/*.py (loose modules)"] = sum(lines[k] for k in loose)
    units.update({p: lines[p] for p in PACKAGES if p != "bot"})
    largest_unit = max(units, key=units.get)
    return {
        "lines": {p: lines[p] for p in PACKAGES},
        "total_lines": total,
        "largest_package": largest,
        "largest_share": round(lines[largest] / total, 3),
        "largest_unit": largest_unit,
        "largest_unit_share": round(units[largest_unit] / total, 3),
        "bot_units": {k: v for k, v in sorted(lines.items()) if k.startswith("bot/")},
        "loose_modules_in_bot": len(loose) - 1,  # __init__.py does not count
        "unit_cycles": [sorted(c) for c in unit_cycles],
        "units_in_cycles": sum(len(c) for c in unit_cycles),
        "file_cycles": [sorted(c) for c in file_cycles],
        "files_in_cycles": sum(len(c) for c in file_cycles),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true", help="one JSON line instead of tables")
    args = parser.parse_args()
    result = figures()
    if args.json:
        print(json.dumps(result))
        return
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title="Lines of code (non-blank, migrations excluded)")
    table.add_column("package")
    table.add_column("lines", justify="right")
    table.add_column("share", justify="right")
    for package in PACKAGES:
        n = result["lines"][package]
        table.add_row(package, f"{n:,}", f"{n / result['total_lines']:.0%}")
    table.add_row("[bold]total", f"[bold]{result['total_lines']:,}", "")
    console.print(table)
    units = Table(title="bot/ sub-packages and loose modules")
    units.add_column("unit")
    units.add_column("lines", justify="right")
    for unit, n in result["bot_units"].items():
        units.add_row(unit, f"{n:,}")
    console.print(units)
    cycles = Table(title="Import cycles (lazy imports included)")
    cycles.add_column("level")
    cycles.add_column("cycles", justify="right")
    cycles.add_column("members", justify="right")
    cycles.add_row("units", str(len(result["unit_cycles"])), str(result["units_in_cycles"]))
    cycles.add_row("files", str(len(result["file_cycles"])), str(result["files_in_cycles"]))
    console.print(cycles)
    for level in ("unit_cycles", "file_cycles"):
        for cycle in result[level]:
            console.print(f"  {level[:-7]} cycle: " + " ⇄ ".join(cycle))
    console.print(f"loose modules in bot/: {result['loose_modules_in_bot']}; largest unit: {result['largest_unit']} "
                  f"({result['largest_unit_share']:.0%} of all code)")


if __name__ == "__main__":
    main()
