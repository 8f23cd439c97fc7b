"""The escalation map as a file the team edits while the bot runs.

:class:`MapFile` re-reads the file when it changes (checked at most every ``check_every``
seconds, by modification time and size) or on :meth:`MapFile.reload`. A broken edit is
logged and ignored: the last valid map stays in force, so a typo never switches off PR
approval or the blocked keywords.

:class:`LivePolicy` is a :class:`~bot.desk.reply_policy.ReplyPolicy` that always follows the
current map (sensitive topics and blocked keywords editable without a restart).
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from bot.core.config import Config
from escalation.map import EscalationMap, EscalationMapError, load_escalation_map
from bot.desk.reply_policy import ReplyPolicy

log = logging.getLogger(__name__)


class MapFile:
    def __init__(self, path: str | Path, config: Config | None = None, *, check_every: float = 2.0):
        self.path = Path(path)
        self.config = config
        self.check_every = check_every
        self._lock = threading.Lock()
        self._map = load_escalation_map(self.path, config)  # the first load must succeed
        self._stamp = self._stat()
        self._checked = time.monotonic()
        self.last_error: str | None = None

    def _stat(self) -> tuple[float, int] | None:
        try:
            st = self.path.stat()
        except OSError:
            return None
        return st.st_mtime_ns, st.st_size

    def __call__(self) -> EscalationMap:
        return self.current()

    def current(self) -> EscalationMap:
        if time.monotonic() - self._checked >= self.check_every:
            self._checked = time.monotonic()
            if self._stat() != self._stamp:
                self.reload()
        return self._map

    def reload(self) -> bool:
        """Read the file again: True if the new map is in force, False if it was refused."""
        with self._lock:
            stamp = self._stat()
            try:
                new = load_escalation_map(self.path, self.config)
            except EscalationMapError as exc:
                self._stamp, self.last_error = stamp, str(exc)  # do not retry the same broken file
                log.error("escalation map not reloaded, keeping the previous one:\n%s", exc)
                return False
            self._map, self._stamp, self.last_error = new, stamp, None
            log.info("escalation map reloaded from %s", self.path)
            return True


class LivePolicy:
    """Duck-types ReplyPolicy; every check reads the map in force right now."""

    def __init__(self, source: MapFile):
        self.source = source
        self._cache: tuple[EscalationMap, ReplyPolicy] | None = None

    @property
    def policy(self) -> ReplyPolicy:
        emap = self.source.current()
        if self._cache is None or self._cache[0] is not emap:
            self._cache = (emap, ReplyPolicy.from_map(emap))
        return self._cache[1]

    def limit_for(self, platform: str) -> int:
        return self.policy.limit_for(platform)

    def problems(self, text: str, platform: str) -> list[str]:
        return self.policy.problems(text, platform)

    def approval_reason(self, topic, text, escalation=None, **kwargs):
        return self.policy.approval_reason(topic, text, escalation, **kwargs)
