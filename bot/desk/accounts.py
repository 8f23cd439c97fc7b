"""Web console accounts: an argon2 password hash per agent (agents themselves come from the config).

Argon2id via argon2-cffi (memory-hard, salted, parameters stored in the hash), so a leaked
database does not give the passwords away cheaply. Supervisors log in too: they read the dashboard.

Sessions are revocable: each credential has a ``session_epoch`` that every console cookie
carries; :func:`end_sessions` (logout) and :func:`set_password` add one to it, and a cookie with
an older epoch is no longer a session (see ``handlers/web/auth.py``).
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from storage.clock import utcnow
from storage.models import Agent, AgentCredential

MIN_PASSWORD_CHARS = 10
_hasher = PasswordHasher()
# Verified when the user is unknown, so a wrong name costs as long as a wrong password and the
# login's timing does not tell which names exist.
_DUMMY_HASH = _hasher.hash("not a real password, only spends the same time")


class AccountError(ValueError):
    pass


def set_password(session: Session, name: str, password: str) -> Agent:
    agent = session.scalars(select(Agent).where(Agent.name == name)).first()
    if agent is None:
        raise AccountError(f"no agent named {name!r} (agents come from the config's agents[])")
    if len(password) < MIN_PASSWORD_CHARS:
        raise AccountError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")
    credential = session.get(AgentCredential, agent.id) or AgentCredential(agent_id=agent.id)
    credential.password_hash = _hasher.hash(password)
    credential.updated_at = utcnow()
    # A new password ends every session opened with the old one (a leaked password, a stolen cookie).
    credential.session_epoch = (credential.session_epoch or 0) + 1
    session.add(credential)
    return agent


def session_epoch(session: Session, agent_id: int) -> int | None:
    """The epoch a console session of ``agent_id`` must carry; None when they have no password."""
    return session.scalar(select(AgentCredential.session_epoch).where(AgentCredential.agent_id == agent_id))


def end_sessions(session: Session, agent_id: int) -> None:
    """End every console session of the agent, on every browser and replica (logout)."""
    session.execute(update(AgentCredential).where(AgentCredential.agent_id == agent_id)
                    .values(session_epoch=AgentCredential.session_epoch + 1))


def authenticate(session: Session, name: str, password: str) -> Agent | None:
    """The active agent ``name`` if ``password`` is theirs, else None."""
    agent = session.scalars(select(Agent).where(Agent.name == name, Agent.active.is_(True))).first()
    credential = session.get(AgentCredential, agent.id) if agent else None
    try:
        _hasher.verify(credential.password_hash if credential else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    return agent if credential else None
