"""Console sessions: who is logged in, CSRF tokens, role checks.

The session is a signed cookie (Starlette's SessionMiddleware, itsdangerous) that holds only the
agent id, their session epoch and the CSRF token; the agent's name, role, ``active`` flag and
current epoch are read from the database on every request, so removing someone from the config
locks them out at once, and logout or a password change (which move the epoch on, see
``bot/desk/accounts.py``) make every cookie issued before worthless, copies included.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from starlette.requests import Request

from bot.desk.accounts import session_epoch
from storage.models import Agent, Role

DASHBOARD_ROLES = frozenset({Role.SUPERVISOR, Role.LEAD})


@dataclass(frozen=True)
class User:
    agent_id: int
    name: str
    role: Role

    @property
    def sees_dashboard(self) -> bool:
        return self.role in DASHBOARD_ROLES


def csrf_token(request: Request) -> str:
    token = request.session.get("csrf")
    if not token:
        token = request.session["csrf"] = secrets.token_urlsafe(32)
    return token


def csrf_ok(request: Request, submitted: str | None) -> bool:
    expected = request.session.get("csrf")
    return bool(expected and submitted and secrets.compare_digest(expected, submitted))


def log_in(request: Request, agent_id: int, epoch: int) -> None:
    # A fresh session on login: a session id planted before login (fixation) is worth nothing.
    request.session.clear()
    request.session["agent_id"] = agent_id
    request.session["epoch"] = epoch
    request.session["csrf"] = secrets.token_urlsafe(32)


def current_user(request: Request, session) -> User | None:
    agent_id = request.session.get("agent_id")
    if not isinstance(agent_id, int):
        return None
    agent = session.get(Agent, agent_id)
    epoch = request.session.get("epoch")
    if agent is None or not agent.active or not isinstance(epoch, int) or epoch != session_epoch(session, agent_id):
        request.session.clear()
        return None
    return User(agent.id, agent.name, agent.role)
