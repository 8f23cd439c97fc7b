"""Process-level Prometheus metrics of one replica (the database-wide figures are read at scrape
time by ``bot/reporting/prometheus.py``). Updated where the work happens; exposed at /metrics."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from prometheus_client import Counter, Gauge, Histogram

MENTIONS_INGESTED = Counter("mentiondesk_mentions_ingested", "Mentions stored by this replica (not duplicates)",
                            registry=None)
DUPLICATES = Counter("mentiondesk_mentions_duplicate", "Mentions dropped as already stored", registry=None)
TRIAGE_SECONDS = Histogram("mentiondesk_triage_seconds", "Triage time per mention (batched)", registry=None,
                           buckets=(0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1.0))
PLATFORM_ERRORS = Counter("mentiondesk_platform_errors", "Failed calls to Slack or X, by kind",
                          ["platform", "kind"], registry=None)
SOURCE_CONNECTED = Gauge("mentiondesk_source_connected", "1 while a streaming source is connected and caught up",
                         ["source", "stream"], registry=None)
SOURCE_LAG = Gauge("mentiondesk_source_lag_seconds", "From a post's creation to its storing, last post of the stream",
                   ["source", "stream"], registry=None)
IS_LEADER = Gauge("mentiondesk_leader", "1 while this replica runs feed polling and timers", registry=None)
ADAPTER_UP = Gauge("mentiondesk_adapter_up", "1 while this replica's team-platform adapter (Slack, Discord) is up",
                   ["adapter"], registry=None)

# Where ingest time goes, per stage (parse, dedupe, context, triage, store, case, card): seconds
# summed over batches, so a rate() of each shows which stage a busy replica is waiting on.
STAGE_SECONDS = Counter("mentiondesk_ingest_stage_seconds", "Time spent in each ingest stage", ["stage"],
                        registry=None)
# Posts the cascade sent to the encoder (the expensive part) and posts the n-gram screen settled.
ENCODED = Counter("mentiondesk_triage_encoded", "Posts the triage encoder ran on", registry=None)
SCREEN_SETTLED = Counter("mentiondesk_triage_screen_settled", "Posts the n-gram screen settled without the encoder",
                         registry=None)

PROCESS_METRICS = (MENTIONS_INGESTED, DUPLICATES, TRIAGE_SECONDS, PLATFORM_ERRORS, IS_LEADER, SOURCE_CONNECTED,
                   SOURCE_LAG, ADAPTER_UP, STAGE_SECONDS, ENCODED, SCREEN_SETTLED)

STAGES = ("parse", "dedupe", "context", "triage", "store", "case", "card")


@contextmanager
def stage(name: str) -> Iterator[None]:
    """Add the block's wall time to ``STAGE_SECONDS`` of stage ``name`` (once per batch, not per post)."""
    started = time.perf_counter()
    try:
        yield
    finally:
        STAGE_SECONDS.labels(name).inc(time.perf_counter() - started)


def stage_totals() -> dict[str, float]:
    """Seconds spent so far in each stage by this process (the benchmark reads them)."""
    return {name: STAGE_SECONDS.labels(name)._value.get() for name in STAGES}
