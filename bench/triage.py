"""Benchmark: N synthetic mentions through ingest + triage + store.

Runs once per database (SQLite file, and PostgreSQL when reachable), each in a child process
so that the peak RSS reported is that backend's own. Prints a table, then one JSON line.

    python bench/triage.py [--n 100000] [--batch 500] [--pg postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"

# Shapes of real traffic, as the seed figures put it: about 30% of brand hits are spam, most of the
# rest is noise, and only a few percent need an answer.
TEMPLATES = [
    # noise (~55%)
    (16, "A skylark sang over the field in {city} at {hh}:{mm} this morning"),
    (12, "RT @SkylarkAir: New route to {city} starts {hh}:{mm} on March {row}! #FlySkylark"),
    (9, "@SkylarkAir {emoji}"),
    (9, "Skylark Motel near {city} had the cleanest rooms, ${n}9 a night, room {num}"),
    (9, "Anyone else think {city} is overrated in winter? {hh}:{mm} and still dark"),
    # spam (~30%)
    (14, "🔥 FLASH SALE {city} from ${n}9 👉 bit.ly/{ref} https://deals-{ref}.top #SkylarkAir"),
    (10, "Win a free trip!! follow @SkylarkAir + retweet + click https://win-{ref}.example #giveaway"),
    (6, "🚀 $SKY{n} airdrop for @SkylarkAir fans, connect wallet https://sky-{ref}.xyz"),
    # tier 2 (~12%)
    (6, "Flying #FlySkylark to {city} tomorrow at {hh}:{mm}, can't wait {emoji}"),
    (3, "Thanks @SkylarkAir, the crew on SK{num} was amazing {emoji}"),
    (3, "Which airline has the best legroom to {city}? I'm {row}{mm} cm tall {emoji}"),
    # tier 1 (~3%)
    (1.0, "@SkylarkAir how do I add a checked bag to booking {ref}?"),
    (0.8, "@SkylarkAir flight SK{num} delayed again, {n} hours at the gate and no information {emoji}"),
    (0.6, "@SkylarkHelp my bag didn't arrive in {city}, file {ref}. Where is it?"),
    (0.4, "@SkylarkAir stranded at DEN, my connection to {city} leaves in {n}0 min and nobody is at the desk"),
    (0.2, "@SkylarkAir smoke in the cabin on SK{num}, we're being evacuated"),
]
# Personal tails keep texts as varied as real people write them (the repeat rule is for bots).
TAILS = ["", "", " (seat {row}{seat})", " day {row} of this trip", " with my {who}", " #{city}trip", " lol",
         " again.", " 🙏 {row}"]
WHO = ["mum", "dad", "kids", "partner", "team", "dog", "sister"]
CITIES = ["Lisbon", "Toronto", "Denver", "Porto", "Madrid", "Paris", "Tokyo", "Berlin"]
EMOJI = ["✈️", "😍", "😡", "🙃", "🧳", "🙏", ""]


def synthetic(n: int, seed: int = 7):
    """Yields n mention dicts with the interface's shape; deterministic for a seed."""
    rng = random.Random(seed)
    weights = [w for w, _ in TEMPLATES]
    start = datetime(2026, 11, 20, tzinfo=timezone.utc)
    authors = [f"traveller_{i}" for i in range(max(n // 5, 10))]
    for i in range(n):
        template = rng.choices(TEMPLATES, weights)[0][1]
        text = (template + rng.choice(TAILS)).format(row=rng.randint(1, 40), seat=rng.choice("ABCDEF"),
                                                      hh=f"{rng.randint(0, 23):02d}", mm=f"{rng.randint(0, 59):02d}",
                                                      who=rng.choice(WHO), city=rng.choice(CITIES), emoji=rng.choice(EMOJI), num=rng.randint(10, 999),
                               n=rng.randint(1, 9), ref=uuid.UUID(int=rng.getrandbits(128)).hex[:8])
        handle = rng.choice(authors)
        yield {"platform": "x", "id": str(10**18 + i), "text": text,
               "created_at": (start + timedelta(seconds=i)).isoformat(),
               "author": {"id": handle, "handle": handle, "followers": int(rng.paretovariate(1.2) * 50)},
               "lang": "en"}


def run_backend(name: str, url: str, n: int, batch: int) -> dict:
    """Child process body: ingest n mentions into a fresh database at url."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from bot.core.config import load_config
    from bot.core.mention import parse_mention
    from bot.app.runtime import Runtime

    runtime = Runtime.build(load_config(None), database=url)
    tiers: dict[str, int] = {}
    started = time.perf_counter()
    with Progress(TextColumn(f"[bold]{name}[/]"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                  transient=True) as progress:
        task = progress.add_task(name, total=n)
        chunk = []
        for item in synthetic(n):
            chunk.append(parse_mention(item))
            if len(chunk) == batch:
                for outcome in runtime.ingest_batch(chunk):
                    tier = outcome.result.tier if outcome.result else "duplicate"
                    tiers[tier] = tiers.get(tier, 0) + 1
                progress.advance(task, len(chunk))
                chunk = []
        if chunk:
            for outcome in runtime.ingest_batch(chunk):
                tier = outcome.result.tier if outcome.result else "duplicate"
                tiers[tier] = tiers.get(tier, 0) + 1
            progress.advance(task, len(chunk))
    elapsed = time.perf_counter() - started
    runtime.close()
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # Linux: KiB
    return {"backend": name, "mentions": n, "seconds": round(elapsed, 2), "mentions_per_s": round(n / elapsed, 1),
            "peak_rss_mb": round(peak_kib / 1024, 1), "tiers": tiers}


def run_triage_only(n: int, heads_dir: str, bare_sample: int, batch: int = 500, backend: str = "auto",
                    screen: bool = True) -> dict:
    """Child process body: triage without storage, rules-only and (when heads exist) the cascade,
    plus the bare transformer forward pass on a sample of the same mentions."""
    from datetime import datetime, timezone

    from bot.core.config import load_config
    from bot.core.mention import parse_mention
    from bot.core.settings import Settings
    from bot.triage.classifier import RulesClassifier
    from bot.triage.pipeline import TriagePipeline
    from bot.triage.scoring import CustomerContext
    from bot.triage.select import build_classifier

    config = load_config(None)
    # The cascade is measured whatever the sample config says (it ships with the model off).
    config.triage.model.use = "auto"
    config.triage.model.backend, config.triage.model.screen = backend, screen  # to measure each part's share
    mentions = [parse_mention(item) for item in synthetic(n)]
    now = datetime(2026, 11, 21, tzinfo=timezone.utc)
    context = CustomerContext()

    def timed(pipeline) -> tuple[float, dict]:
        tiers: dict[str, int] = {}
        started = time.perf_counter()
        # Batches as ingest sees them from a busy feed (bench --batch); the encoder runs once per batch.
        for start in range(0, n, batch):
            for result in pipeline.triage_many([(m, context) for m in mentions[start:start + batch]], now):
                tiers[result.tier] = tiers.get(result.tier, 0) + 1
        return n / (time.perf_counter() - started), tiers

    out: dict = {"n": n}
    out["rules_per_s"], out["rules_tiers"] = timed(TriagePipeline(config, RulesClassifier(config.triage)))
    classifier, note = build_classifier(config, Settings(model_dir=heads_dir))
    out["classifier"] = note
    if classifier.name != "rules+vader":
        encode, calls = classifier.encoder.encode, [0]

        def counting_encode(texts):  # how many mentions the cascade really sends to the model
            calls[0] += len(texts)
            return encode(texts)

        classifier.encoder.encode = counting_encode
        screened = [0]
        if classifier.screen is not None:
            settle = classifier.screen.settle

            def counting_settle(texts):  # how many the n-gram screen settles without the encoder
                found = settle(texts)
                screened[0] += sum(hint is not None for hint in found)
                return found

            classifier.screen.settle = counting_settle
        out["cascade_per_s"], out["cascade_tiers"] = timed(TriagePipeline(config, classifier))
        out["model_calls"], out["screen_settled"] = calls[0], screened[0]
        out["encoder_backend"] = type(classifier.encoder).__name__
        classifier.encoder.encode = encode
        sample = [m.text for m in mentions[:bare_sample]]
        started = time.perf_counter()
        classifier.encoder.encode(sample)
        out["bare_model_per_s"] = len(sample) / (time.perf_counter() - started)
    out["peak_rss_mb"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return out


def pg_database(admin_url: str) -> tuple[str, callable] | None:
    """A fresh, throw-away database on the PostgreSQL server, or None when unreachable."""
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    try:
        admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 3})
        name = f"md_bench_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as exc:  # noqa: BLE001 - unreachable means "skip PostgreSQL", reported below
        print(f"PostgreSQL not reachable ({type(exc).__name__}); measuring SQLite only", file=sys.stderr)
        return None

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return make_url(admin_url).set(database=name).render_as_string(hide_password=False), drop


def child(name: str, url: str, n: int, batch: int) -> dict:
    cmd = [sys.executable, __file__, "--child", name, "--url", url, "--n", str(n), "--batch", str(batch)]
    out = subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000, help="synthetic mentions per backend")
    parser.add_argument("--batch", type=int, default=500, help="mentions per transaction")
    parser.add_argument("--pg", default=os.environ.get("MENTIONDESK_TEST_PG", DEFAULT_PG))
    parser.add_argument("--stages", default="storage,triage",
                        help="storage: ingest+triage+store per database; triage: triage alone, rules and cascade")
    parser.add_argument("--heads", default=os.environ.get("MENTIONDESK_MODEL_DIR", "models/heads"),
                        help="trained heads for the cascade (mentiondesk train)")
    parser.add_argument("--bare-sample", type=int, default=3000,
                        help="mentions for the bare transformer forward pass (it is slow)")
    parser.add_argument("--backend", default="auto", choices=("auto", "onnx", "torch"),
                        help="encoder backend for the cascade (triage.model.backend)")
    parser.add_argument("--no-screen", action="store_true", help="encode every post the rules pass on")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child == "triage":
        print(json.dumps(run_triage_only(args.n, args.heads, args.bare_sample, args.batch, args.backend,
                                         not args.no_screen)))
        return
    if args.child:
        print(json.dumps(run_backend(args.child, args.url, args.n, args.batch)))
        return

    from rich.console import Console
    from rich.table import Table

    stages = set(args.stages.split(","))
    console = Console(stderr=True)
    figures: dict = {"n": args.n}
    if "triage" in stages:
        cmd = [sys.executable, __file__, "--child", "triage", "--n", str(args.n), "--heads", args.heads,
               "--bare-sample", str(args.bare_sample), "--batch", str(args.batch), "--backend", args.backend,
               *(["--no-screen"] if args.no_screen else [])]
        triage = json.loads(subprocess.run(cmd, check=True, stdout=subprocess.PIPE, text=True).stdout.splitlines()[-1])
        table = Table(title=f"triage alone (no storage), {args.n:,} synthetic mentions")
        for column in ("configuration", "mentions/s", "tier1", "tier2", "noise", "spam"):
            table.add_column(column, justify="right", no_wrap=True)
        for name in ("rules", "cascade"):
            if f"{name}_per_s" in triage:
                tiers = triage[f"{name}_tiers"]
                table.add_row(name, f"{triage[f'{name}_per_s']:,.0f}",
                              *(f"{tiers.get(k, 0):,}" for k in ("tier1", "tier2", "noise", "spam")))
        if "bare_model_per_s" in triage:
            table.add_row(f"bare model ({args.bare_sample:,} sample)", f"{triage['bare_model_per_s']:,.0f}", "", "", "", "")
        console.print(table)
        console.print(f"[dim]{triage['classifier']}; the n-gram screen settled {triage.get('screen_settled', 0):,} "
                      f"mentions, the encoder ({triage.get('encoder_backend', '-')}) ran on "
                      f"{triage.get('model_calls', 0):,}; peak RSS {triage['peak_rss_mb']:.0f} MB[/]")
        figures.update({"rules_per_s": round(triage["rules_per_s"], 1), "peak_rss_mb": triage["peak_rss_mb"]})
        if "cascade_per_s" in triage:
            figures.update({"cascade_per_s": round(triage["cascade_per_s"], 1),
                            "bare_model_per_s": round(triage["bare_model_per_s"], 1),
                            "encoder_calls": triage["model_calls"], "screen_settled": triage["screen_settled"]})
    if "storage" not in stages:
        print(json.dumps(figures))
        return

    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(child("sqlite", f"sqlite:///{tmp}/bench.db", args.n, args.batch))
    pg = pg_database(args.pg)
    if pg:
        url, drop = pg
        try:
            results.append(child("postgresql", url, args.n, args.batch))
        finally:
            drop()

    table = Table(title=f"ingest + triage + store, {args.n:,} synthetic mentions, batches of {args.batch}")
    for column in ("backend", "mentions/s", "seconds", "peak RSS (MB)", "tier1", "tier2", "noise", "spam"):
        table.add_column(column, justify="right", no_wrap=True)
    for r in results:
        t = r["tiers"]
        table.add_row(r["backend"], f"{r['mentions_per_s']:,.0f}", f"{r['seconds']:.1f}", f"{r['peak_rss_mb']:.0f}",
                      *(f"{t.get(k, 0):,}" for k in ("tier1", "tier2", "noise", "spam")))
    console.print(table)
    figures["batch"] = args.batch
    for r in results:
        figures[f"{r['backend']}_mentions_per_s"] = r["mentions_per_s"]
        figures[f"{r['backend']}_peak_rss_mb"] = r["peak_rss_mb"]
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
