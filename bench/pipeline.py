"""Throughput of the real path: a realistic stream through the entry points users run.

The stream (bench/realistic.py, seeded: ~30% spam, ~50% unrelated, ~20% addressed to the brand)
is written to a JSONL file once, then each selected combination runs in a child process of its
own (so that its peak RSS is its own):

* ``ingest``: ``mentiondesk ingest FILE`` (the CLI command itself, in-process in the child);
* ``webhook``: ``mentiondesk serve`` as a subprocess on 127.0.0.1, the posts POSTed to
  ``/ingest`` in batches over a few connections; stage times are read from its ``/metrics``;
* ``triage``: ``mentiondesk triage FILE --json`` (no database);

on SQLite (a file) and PostgreSQL (a fresh database on ``--pg``), with the rules classifier and
with the model cascade (``--heads``: trained heads; the packaged ones when they ship). Printed:
posts/s, the share of posts the encoder saw, seconds per stage (parse, dedupe, context, triage,
store, case, card) and peak RSS, as a table on stderr and ONE JSON line on stdout.

    .venv/bin/python bench/pipeline.py                      # ~1 min: 3,000 posts, every combination
    .venv/bin/python bench/pipeline.py --posts 100000 --path ingest --classifier cascade
    .venv/bin/python bench/pipeline.py --path triage --profile /tmp/prof   # cProfile per child
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
STAGES = ("parse", "dedupe", "context", "triage", "store", "case", "card")


def default_heads() -> str:
    """The heads the cascade runs on: $MENTIONDESK_MODEL_DIR, else the packaged ones when they ship."""
    if os.environ.get("MENTIONDESK_MODEL_DIR"):
        return os.environ["MENTIONDESK_MODEL_DIR"]
    shipped = ROOT / "bot" / "triage" / "model" / "shipped"
    return str(shipped) if (shipped / "manifest.json").is_file() else "models/heads"


def write_feed(path: Path, posts: int, seed: int) -> None:
    from bench.realistic import stream

    with path.open("w", encoding="utf-8") as out:
        for post in stream(posts, seed=seed):
            out.write(json.dumps(post, ensure_ascii=False) + "\n")


def write_config(path: Path, classifier: str, heads: str) -> None:
    import yaml

    config = yaml.safe_load((ROOT / "bot" / "samples" / "config.example.yaml").read_text(encoding="utf-8"))
    model = config["triage"].setdefault("model", {})
    model["use"] = "auto" if classifier == "cascade" else "rules"
    model["heads_dir"] = str(Path(heads).resolve())
    path.write_text(yaml.safe_dump(config, allow_unicode=True, sort_keys=False), encoding="utf-8")


# --- child bodies: one path, one database, one classifier -------------------------------------

def _counters() -> dict:
    from bot.core.observability import ENCODED, SCREEN_SETTLED, stage_totals

    return {"stages": stage_totals(), "encoded": ENCODED._value.get(), "screen_settled": SCREEN_SETTLED._value.get()}


def _timed_build():
    """Time Runtime.build (migrations, model load): start-up, reported apart from the stream."""
    from bot.app.runtime import Runtime

    original, spent = Runtime.build.__func__, [0.0]

    def build(cls, *args, **kwargs):
        started = time.perf_counter()
        try:
            return original(cls, *args, **kwargs)
        finally:
            spent[0] += time.perf_counter() - started

    Runtime.build = classmethod(build)
    return spent


def run_cli(spec: dict) -> dict:
    """``mentiondesk ingest`` or ``mentiondesk triage --json`` in this process."""
    from bot.app.cli.main import app

    startup = _timed_build()
    args = ([spec["path"], spec["feed"], "-c", spec["config"]]
            + (["--database-url", spec["url"]] if spec["path"] == "ingest" else ["--json"]))
    workdir = tempfile.mkdtemp(prefix="md-bench-cwd-")
    before = set(os.listdir(workdir))
    out = io.StringIO()
    cwd = os.getcwd()
    os.chdir(workdir)  # triage must not leave a database anywhere, here included
    started = time.perf_counter()
    try:
        with contextlib.redirect_stdout(out):
            app(args, standalone_mode=False)
    finally:
        os.chdir(cwd)
    seconds = time.perf_counter() - started
    result = {"seconds": seconds, "startup_seconds": startup[0], **_counters()}
    if spec["path"] == "triage":
        result["output_rows"] = len(json.loads(out.getvalue()))
        result["files_left"] = sorted(set(os.listdir(workdir)) - before)
    else:
        result["summary"] = out.getvalue().strip().splitlines()[-1]
    return result


def metric_value(text: str, name: str, labels: str = "") -> float:
    pattern = re.escape(name) + (r"\{" + re.escape(labels) + r"\}" if labels else "") + r" ([0-9.e+-]+)"
    found = re.search(r"^" + pattern + "$", text, re.MULTILINE)
    return float(found.group(1)) if found else 0.0


def run_webhook(spec: dict) -> dict:
    """``mentiondesk serve`` in a subprocess; the posts POSTed to /ingest over a few connections."""
    import httpx

    from tests.conftest import free_port

    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "MENTIONDESK_MODEL_DIR": spec["heads"]}
    env.pop("MENTIONDESK_WEBHOOK_TOKEN", None)
    server = subprocess.Popen([sys.executable, "-m", "bot.app.cli.main", "serve", "-c", spec["config"],
                               "--database-url", spec["url"], "--port", str(port)], env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    try:
        while True:
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if server.poll() is not None or time.perf_counter() - started > 180:
                raise RuntimeError("mentiondesk serve did not start")
            time.sleep(0.2)
        startup = time.perf_counter() - started
        lines = Path(spec["feed"]).read_text(encoding="utf-8").splitlines()
        size = spec["webhook_batch"]
        bodies = ["[" + ",".join(lines[i:i + size]) + "]" for i in range(0, len(lines), size)]
        failures: list[str] = []
        lock = threading.Lock()

        def sender(my: list[str]) -> None:
            with httpx.Client(base_url=base, timeout=120) as client:
                for body in my:
                    response = client.post("/ingest", content=body.encode(),
                                           headers={"content-type": "application/json"})
                    if response.status_code != 200:
                        with lock:
                            failures.append(f"{response.status_code} {response.text[:200]}")

        connections = spec["connections"]
        threads = [threading.Thread(target=sender, args=(bodies[i::connections],)) for i in range(connections)]
        began = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        seconds = time.perf_counter() - began
        metrics = httpx.get(base + "/metrics", timeout=30).text
        status = Path(f"/proc/{server.pid}/status").read_text()
        peak_kib = int(re.search(r"VmHWM:\s+(\d+)", status).group(1))
    finally:
        server.terminate()
        server.wait(timeout=30)
    if failures:
        raise RuntimeError(f"{len(failures)} webhook batch(es) failed, first: {failures[0]}")
    stages = {s: metric_value(metrics, "mentiondesk_ingest_stage_seconds_total", f'stage="{s}"') for s in STAGES}
    return {"seconds": seconds, "startup_seconds": startup, "stages": stages,
            "encoded": metric_value(metrics, "mentiondesk_triage_encoded_total"),
            "screen_settled": metric_value(metrics, "mentiondesk_triage_screen_settled_total"),
            "peak_rss_mb": peak_kib / 1024}


def child_main(spec: dict) -> None:
    runner = run_webhook if spec["path"] == "webhook" else run_cli
    if spec.get("profile"):
        import cProfile

        profiler = cProfile.Profile()
        result = profiler.runcall(runner, spec)
        profiler.dump_stats(spec["profile"])
    else:
        result = runner(spec)
    result.setdefault("peak_rss_mb", resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    if spec["path"] != "triage":
        from sqlalchemy import create_engine, func, select

        from storage.models import Case, Event, Mention

        engine = create_engine(spec["url"])
        with engine.connect() as conn:
            result["stored"] = conn.execute(select(func.count()).select_from(Mention)).scalar_one()
            result["cases"] = conn.execute(select(func.count()).select_from(Case)).scalar_one()
            result["events"] = conn.execute(select(func.count()).select_from(Event)).scalar_one()
        engine.dispose()
    print(json.dumps(result))


# --- the parent: feed, databases, children, table ---------------------------------------------

def run_child(spec: dict) -> dict:
    cmd = [sys.executable, __file__, "--child", json.dumps(spec)]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    done = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env)
    if done.returncode != 0:  # reported in the table (a failure is a finding too), the other runs go on
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return {"error": last[:300]}
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=3000, help="posts in the stream")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--path", default="ingest,webhook,triage", help="ingest, webhook, triage (comma-separated)")
    parser.add_argument("--db", default="sqlite,postgresql", help="sqlite, postgresql (ingest and webhook)")
    parser.add_argument("--classifier", default="rules,cascade", help="rules, cascade")
    parser.add_argument("--heads", default=default_heads(), help="trained heads for the cascade")
    parser.add_argument("--pg", default=os.environ.get("MENTIONDESK_TEST_PG", DEFAULT_PG))
    parser.add_argument("--webhook-batch", type=int, default=100, help="posts per POST /ingest")
    parser.add_argument("--connections", type=int, default=4, help="concurrent webhook senders")
    parser.add_argument("--profile", help="folder for one cProfile dump per child (ingest, triage)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child_main(json.loads(args.child))
        return

    from rich.console import Console
    from rich.table import Table

    from bench.triage import pg_database

    console = Console(stderr=True, width=None if sys.stderr.isatty() else 200)
    paths = [p for p in args.path.split(",") if p]
    dbs = [d for d in args.db.split(",") if d]
    classifiers = [c for c in args.classifier.split(",") if c]
    if "cascade" in classifiers and not (Path(args.heads) / "manifest.json").is_file():
        raise SystemExit(f"no trained heads in {args.heads} (--heads, or `mentiondesk train`)")
    results = []
    with tempfile.TemporaryDirectory(prefix="md-pipeline-") as tmp:
        feed = Path(tmp) / "stream.jsonl"
        write_feed(feed, args.posts, args.seed)
        configs = {}
        for name in classifiers:
            configs[name] = str(Path(tmp) / f"config-{name}.yaml")
            write_config(Path(configs[name]), name, args.heads)
        runs = []
        for path in paths:
            for classifier in classifiers:
                for db in (dbs if path != "triage" else [None]):
                    runs.append((path, db, classifier))
        if args.profile:
            Path(args.profile).mkdir(parents=True, exist_ok=True)
        for path, db, classifier in runs:
            label = f"{path} / {db or 'no database'} / {classifier}"
            console.print(f"[dim]running {label} ({args.posts:,} posts)…[/]")
            spec = {"path": path, "db": db, "classifier": classifier, "feed": str(feed), "config": configs[classifier],
                    "heads": args.heads, "webhook_batch": args.webhook_batch, "connections": args.connections,
                    "profile": str(Path(args.profile) / f"{path}-{db or 'none'}-{classifier}.prof") if args.profile else None}
            drop = None
            if db == "sqlite":
                spec["url"] = f"sqlite:///{tmp}/{path}-{classifier}.db"
            elif db == "postgresql":
                made = pg_database(args.pg)
                if made is None:
                    console.print(f"[yellow]skipped {label}: PostgreSQL not reachable at {args.pg}[/]")
                    continue
                spec["url"], drop = made
            try:
                result = run_child(spec)
            finally:
                if drop:
                    drop()
            result.update(path=path, db=db or "-", classifier=classifier, posts=args.posts)
            if "error" not in result:
                result.update(posts_per_s=args.posts / result["seconds"], encoded_share=result["encoded"] / args.posts)
            print(json.dumps(result), file=sys.stderr, flush=True)  # kept even if a later run fails
            results.append(result)

    table = Table(title=f"{args.posts:,} realistic posts (seed {args.seed}): posts/s and seconds per stage")
    for column in ("path", "db", "classifier", "posts/s", "seconds", "start-up s", "encoder saw", *STAGES,
                   "peak RSS MB"):
        table.add_column(column, justify="left" if column in ("path", "db", "classifier") else "right", no_wrap=True)
    for r in results:
        if "error" in r:
            table.add_row(r["path"], r["db"], r["classifier"], "failed", r["error"][:60], *[""] * (len(STAGES) + 3))
            continue
        table.add_row(r["path"], r["db"], r["classifier"], f"{r['posts_per_s']:,.0f}", f"{r['seconds']:.1f}",
                      f"{r['startup_seconds']:.1f}", f"{r['encoded_share']:.1%}",
                      *(f"{r['stages'].get(s, 0.0):.2f}" for s in STAGES), f"{r['peak_rss_mb']:.0f}")
    console.print(table)
    console.print("[dim]seconds: the command's wall time for the stream (ingest/triage include start-up; the "
                  "webhook's is from the first POST to the last answer). Stages overlap the wall time when work "
                  "runs in parallel; 'card' is the post-commit listeners (no Slack here).[/]")
    keep = ("path", "db", "classifier", "posts", "posts_per_s", "seconds", "startup_seconds", "encoded_share",
            "stages", "peak_rss_mb", "stored", "cases", "events", "output_rows", "files_left", "error")
    print(json.dumps({"posts": args.posts, "seed": args.seed, "cpus": os.cpu_count(),
                      "load_average": os.getloadavg()[0],
                      "runs": [{k: (round(v, 3) if isinstance(v, float) else
                                    {s: round(x, 3) for s, x in v.items()} if k == "stages" else v)
                                for k, v in r.items() if k in keep} for r in results]}))


if __name__ == "__main__":
    main()
