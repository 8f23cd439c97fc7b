"""What the team-platform adapters get from the application, typed.

The adapters (``handlers/``) sit below the application package and may not import its
``Runtime``; they are handed one and use it through this protocol, which ``bot.app.runtime.Runtime``
satisfies. Naming only what adapters use keeps the dependency honest: an adapter that needs more
of the application says so here.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol

from sqlalchemy.orm import Session, sessionmaker

from bot.core.config import Config
from bot.core.settings import Settings
from bot.desk.actions import ActionResult


class DeskRuntime(Protocol):
    config: Config
    settings: Settings
    sessions: sessionmaker[Session]
    #: Called after each committed ingest batch with the ids of the cases it opened.
    case_listeners: list[Callable[[list[int]], None]]
    #: Called after each committed case action with its result (adapters refresh their cards).
    action_listeners: list[Callable[[ActionResult], object]]
    #: Called with (case id, mention id) of posts that joined an open case.
    joined_listeners: list[Callable[[list[tuple[int, int]]], None]]
    #: bot.routing.spikes.SpikeWatch and bot.routing.presence.PresenceBoard, when configured.
    spike_watch: Any
    presence: Any
