"""Keep the encoder busy while storage works: encode the next batch during this one's store.

Ingest is a loop of batches, and in each the cascade's encoder waits for the database and the
database for the encoder. The model's hints are a pure function of a post's text, so the next
batch's can be computed ahead, in a background thread (ONNX Runtime and torch release the GIL
while they encode), while the current batch is stored, its cases opened and committed. The
guess of which texts will need the model (``TriagePipeline.likely_model_texts``) changes no
state; the real pass decides exactly as without the look-ahead and encodes whatever the guess
missed.

    ahead = LookAhead(runtime.pipeline)
    for batch, following in zip(batches, [*batches[1:], None]):
        ahead.ready()             # this batch's hints are computed
        ahead.start(following)    # the next batch's are computed while this one is stored
        runtime.ingest_batch(batch)
    ahead.close()
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor

from bot.core.mention import Mention
from bot.triage.pipeline import TriagePipeline


class LookAhead:
    def __init__(self, pipeline: TriagePipeline):
        self.pipeline = pipeline
        self._prefetch = getattr(pipeline.classifier, "prefetch", None)  # only the model cascade has one
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="encoder-ahead") if self._prefetch else None
        self._running: Future | None = None

    def start(self, mentions: Sequence[Mention] | None) -> None:
        """Begin computing the hints of the posts ``mentions`` will probably need."""
        if self._pool is None or not mentions:
            return
        self.ready()
        self._running = self._pool.submit(self._prefetch, self.pipeline.likely_model_texts(mentions))

    def ready(self) -> None:
        """Wait for the look-ahead in progress (its failure only means the hints are computed
        again by the real pass, which then reports any error itself)."""
        if self._running is not None:
            running, self._running = self._running, None
            try:
                running.result()
            except Exception:  # noqa: BLE001 - the real pass encodes again and fails loudly if it must
                pass

    def close(self) -> None:
        self.ready()
        if self._pool is not None:
            self._pool.shutdown(wait=True)
