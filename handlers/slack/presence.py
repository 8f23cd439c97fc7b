"""Keeps ``runtime.presence`` current from Slack (``users.getPresence``), off the ingest path."""

from __future__ import annotations

import logging
import threading
from typing import Any

from sqlalchemy import select

from bot.desk.ports import DeskRuntime
from storage.models import Agent

log = logging.getLogger(__name__)


class SlackPresence:
    def __init__(self, runtime: DeskRuntime, client: Any, *, every: float = 60.0):
        self.runtime, self.client, self.every = runtime, client, every
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def refresh_once(self) -> int:
        """Ask Slack about every active agent with a Slack id; returns how many answered."""
        board = self.runtime.presence
        with self.runtime.sessions() as session:
            agents = session.execute(select(Agent.id, Agent.slack_user_id).where(
                Agent.active.is_(True), Agent.slack_user_id.is_not(None))).all()
        answered = 0
        for agent_id, user in agents:
            try:
                response = self.client.users_getPresence(user=user)
                board.report(agent_id, response.get("presence") or "unknown")
                answered += 1
            except Exception as exc:  # noqa: BLE001 - presence is a hint; shifts still decide
                log.warning("Slack presence of %s unknown: %s", user, exc)
        return answered

    def _run(self) -> None:
        while not self._stop.is_set():
            self.refresh_once()
            self._stop.wait(self.every)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name="slack-presence", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None
