"""Console login throttling: per login name and per client address, shared by every replica.

Protocol (the same on SQLite and PostgreSQL):

1. :func:`begin_attempt` counts the attempt *before* the password is checked, in its own
   transaction: one conditional ``UPDATE … SET failures = failures + 1 WHERE … AND (locked_until
   IS NULL OR locked_until <= now)`` per scope. The database decides, so twenty attempts sent in
   parallel are twenty counted attempts, not twenty reads of the same "0 failures". An attempt
   that finds its name or address locked is refused without the password being looked at, so
   the right password guessed during a lockout gets in no more than a wrong one.
2. When the count reaches the limit, the key is locked for ``lockout_seconds``, doubling with each
   further failure (up to ``max_lockout_seconds``). Failures older than ``forget_after_seconds``,
   with no lockout running, start again at 0.
3. :func:`attempt_succeeded` clears the name's count and takes this attempt back off the
   address's count. A success never clears the address's other failures: a valid account must
   not let its owner reset the count between guesses at other people's passwords.

Unknown names are counted like known ones, so the answers do not tell which names exist.
:func:`log_in` runs the three steps around the password check; the console's handler calls it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, sessionmaker

from bot.desk.accounts import authenticate, session_epoch
from bot.core.config import LoginThrottleRules
from storage.db import transaction
from storage.models import LoginThrottle

ACCOUNT, ADDRESS = "account", "address"
KEY_CHARS = 200
PRUNE_ROWS = 100  # forgotten rows deleted per attempt at most


@dataclass(frozen=True)
class Lockout:
    scope: str  # account / address
    seconds: int  # until the next attempt is counted

    @property
    def message(self) -> str:
        what = "for this name" if self.scope == ACCOUNT else "from your network address"
        wait = f"{self.seconds} s" if self.seconds < 90 else f"{-(-self.seconds // 60)} min"
        return f"Too many failed logins {what}. Try again in {wait}."


def _keys(name: str, address: str | None) -> list[tuple[str, str]]:
    return [(ACCOUNT, name.strip().lower()[:KEY_CHARS]), (ADDRESS, (address or "unknown")[:KEY_CHARS])]


def _limit(rules: LoginThrottleRules, scope: str) -> int:
    return rules.max_failures if scope == ACCOUNT else rules.max_address_failures


def lockout_seconds(rules: LoginThrottleRules, failures: int, scope: str) -> float:
    """How long ``failures`` attempts lock a key of ``scope`` (0: not locked)."""
    over = failures - _limit(rules, scope)
    if over < 0:
        return 0.0
    return min(rules.lockout_seconds * 2 ** min(over, 32), rules.max_lockout_seconds)


def _ensure_row(session: Session, scope: str, key: str) -> None:
    insert = postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert
    session.execute(insert(LoginThrottle).values(scope=scope, key=key, failures=0)
                    .on_conflict_do_nothing(index_elements=["scope", "key"]))


def _locked(session: Session, scope: str, key: str, now: datetime) -> Lockout | None:
    until = session.scalar(select(LoginThrottle.locked_until).where(
        LoginThrottle.scope == scope, LoginThrottle.key == key, LoginThrottle.locked_until > now))
    return Lockout(scope, max(1, int((until - now).total_seconds() + 0.999))) if until else None


def begin_attempt(session: Session, rules: LoginThrottleRules, *, name: str, address: str | None,
                  now: datetime) -> Lockout | None:
    """Count a login attempt; a :class:`Lockout` when it must be refused unchecked. The caller
    commits this before checking the password (see the module docstring)."""
    keys = _keys(name, address)
    for scope, key in keys:
        if lockout := _locked(session, scope, key, now):
            return lockout
    stale = now - timedelta(seconds=rules.forget_after_seconds)
    # Forgotten rows go (a name sprayer must not grow the table for ever). SKIP LOCKED: rows another
    # attempt is counting right now are left for later, so two attempts never wait on each other.
    forgotten = (select(LoginThrottle.id)
                 .where(LoginThrottle.last_attempt_at < stale,
                        or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now))
                 .limit(PRUNE_ROWS).with_for_update(skip_locked=True))
    session.execute(delete(LoginThrottle).where(LoginThrottle.id.in_(forgotten))
                    .execution_options(synchronize_session=False))
    for scope, key in keys:
        _ensure_row(session, scope, key)
        failures = session.execute(
            update(LoginThrottle)
            .where(LoginThrottle.scope == scope, LoginThrottle.key == key,
                   or_(LoginThrottle.locked_until.is_(None), LoginThrottle.locked_until <= now))
            .values(failures=case((LoginThrottle.last_attempt_at < stale, 1), else_=LoginThrottle.failures + 1),
                    last_attempt_at=now)
            .returning(LoginThrottle.failures)
            .execution_options(synchronize_session=False)).scalar_one_or_none()
        if failures is None:  # locked by a parallel attempt between our read and this UPDATE
            return _locked(session, scope, key, now) or Lockout(scope, 1)
        if seconds := lockout_seconds(rules, failures, scope):
            # This attempt still goes on to the password check; the ones after it wait.
            session.execute(update(LoginThrottle)
                            .where(LoginThrottle.scope == scope, LoginThrottle.key == key)
                            .values(locked_until=now + timedelta(seconds=seconds))
                            .execution_options(synchronize_session=False))
    return None


def attempt_succeeded(session: Session, rules: LoginThrottleRules, *, name: str, address: str | None) -> None:
    """The password was right: the name starts again at 0; the address forgets only this attempt."""
    (_, account), (_, addr) = _keys(name, address)
    session.execute(update(LoginThrottle).where(LoginThrottle.scope == ACCOUNT, LoginThrottle.key == account)
                    .values(failures=0, locked_until=None).execution_options(synchronize_session=False))
    remaining = case((LoginThrottle.failures > 0, LoginThrottle.failures - 1), else_=0)
    session.execute(update(LoginThrottle).where(LoginThrottle.scope == ADDRESS, LoginThrottle.key == addr)
                    .values(failures=remaining,
                            locked_until=case((LoginThrottle.failures - 1 < rules.max_address_failures, None),
                                              else_=LoginThrottle.locked_until))
                    .execution_options(synchronize_session=False))


@dataclass(frozen=True)
class LoginOutcome:
    agent_id: int | None = None  # set when the name and password are right
    epoch: int | None = None  # the session epoch the new session carries
    lockout: Lockout | None = None  # set when the attempt was refused unchecked


def log_in(sessions: sessionmaker[Session], rules: LoginThrottleRules, *, name: str, password: str,
           address: str | None, now: datetime) -> LoginOutcome:
    """One console login: counted first (its own transaction), then the password, then the success."""
    with transaction(sessions) as session:
        if lockout := begin_attempt(session, rules, name=name, address=address, now=now):
            return LoginOutcome(lockout=lockout)
    with sessions() as session:
        agent = authenticate(session, name, password)
        if agent is None:
            return LoginOutcome()
        agent_id = agent.id
    with transaction(sessions) as session:
        attempt_succeeded(session, rules, name=name, address=address)
        return LoginOutcome(agent_id=agent_id, epoch=session_epoch(session, agent_id))
