"""Escalation timers: APScheduler 3.x with its SQLAlchemy job store on the project database.

One :class:`EscalationTimers` per process. Each case with pending escalation work has at most
one job, ``escalation-case-<id>``, due at the case's next step; scheduling it again *replaces*
the job (``replace_existing``), so a case is never timed twice. Jobs live in the database, so
they survive a restart; a restart also re-checks every open escalated case (``catch_up``) in
case the process was down when a job was due.

Every replica writes its timers to that shared job store, whichever replica opened or changed
the case: each process *opens* its scheduler paused (:meth:`EscalationTimers.open`), so
``add_job`` reaches the database at once, but only the leader *runs* jobs
(:meth:`~EscalationTimers.lead`; :meth:`~EscalationTimers.follow` when it steps down). A follower
that ingests a case (half the webhook traffic behind a load balancer) thus hands its timer to the
leader through the job table. The leader's scheduler only knows when *its own* jobs are due, so it
also looks at the table every ``look_every`` seconds for jobs other replicas added: a step added
elsewhere runs at most that late.

The job is only an alarm clock. When it fires, :meth:`EscalationEngine.tick` reads the case and
its event log and does what is due *now*: for a case already claimed, answered or resolved it
does nothing, and a step already done (by a duplicate job, another replica, a previous run)
is never done again — the event log decides, not the scheduler.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import datetime, timezone

from apscheduler.jobstores.base import JobLookupError
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import STATE_RUNNING
from sqlalchemy import Engine, select

from bot.core.faults import fault_point
from escalation.engine import EscalationEngine, Ping, TickResult
from storage.models import OPEN_STATES, Case

log = logging.getLogger(__name__)

JOB_TABLE = "escalation_jobs"

# The timers of this process. APScheduler stores a job's function by reference
# ("escalation.scheduler:fire_case"), so the function finds the live timers here.
_active: "EscalationTimers | None" = None


def fire_case(case_id: int) -> None:
    """The job function: the case's timer went off."""
    if _active is None:
        log.warning("escalation timer for case %s fired with no timers running", case_id)
        return
    _active.fire(case_id)


def job_id(case_id: int) -> str:
    return f"escalation-case-{case_id}"


class EscalationTimers:
    def __init__(self, engine: EscalationEngine, db: Engine, *, notify: Callable[[list[Ping]], None] | None = None,
                 look_every: float = 2.0):
        self.engine = engine
        self.notify = notify or (lambda pings: None)
        self.look_every = look_every
        self.scheduler = BackgroundScheduler(
            jobstores={"default": SQLAlchemyJobStore(engine=db, tablename=JOB_TABLE)},
            timezone=timezone.utc,
            # A late job runs once however late it is (the engine catches up on everything due).
            job_defaults={"coalesce": True, "misfire_grace_time": None, "max_instances": 1},
        )
        self._stopping = False
        self._looker: threading.Thread | None = None
        self._stop_looking = threading.Event()
        self._firing = 0
        self._in_flight = threading.Condition()

    def open(self) -> None:
        """Connect the scheduler to the shared job store without running jobs (every replica, at
        start-up): timers this process schedules go to the database, for the leader to run."""
        global _active
        if _active is not None and _active is not self:
            raise RuntimeError("escalation timers already run in this process (one scheduler per process)")
        _active = self
        if not self.scheduler.running:
            self.scheduler.start(paused=True)
        if self._looker is None:
            self._stop_looking.clear()
            self._looker = threading.Thread(target=self._keep_looking, name="escalation-look", daemon=True)
            self._looker.start()

    def _keep_looking(self) -> None:
        """While leading, wake the scheduler every ``look_every`` seconds: it then reads the job
        table, where other replicas may have added timers it was not told about."""
        while not self._stop_looking.wait(self.look_every):
            if self.scheduler.state == STATE_RUNNING:
                self.scheduler.wakeup()

    def lead(self, *, catch_up: bool = True) -> None:
        """This replica was elected: run the timers of every replica, and what fell due meanwhile."""
        self.open()
        self._stopping = False
        self.scheduler.resume()
        if catch_up:
            self.catch_up()

    def follow(self) -> None:
        """This replica stepped down: stop running timers, but keep scheduling them for the leader."""
        if self.scheduler.running:
            self.scheduler.pause()
            with self._in_flight:
                self._in_flight.wait_for(lambda: self._firing == 0, timeout=30)

    def start(self, *, catch_up: bool = True) -> None:
        """A single process (SQLite, the CLI, tests): open and lead at once."""
        self.lead(catch_up=catch_up)

    def shutdown(self) -> None:
        global _active
        # APScheduler's shutdown(wait=True) holds its job-store lock while it waits for running
        # jobs, and a running fire() re-schedules (add_job needs that lock): a deadlock. So stop
        # scheduling first, let the fires in flight finish, and only then shut down.
        self._stopping = True
        self._stop_looking.set()
        if self._looker is not None:
            self._looker.join(self.look_every + 1)
            self._looker = None
        if self.scheduler.running:
            self.scheduler.pause()
            with self._in_flight:
                self._in_flight.wait_for(lambda: self._firing == 0, timeout=30)
            self.scheduler.shutdown(wait=True)
        if _active is self:
            _active = None

    def catch_up(self) -> int:
        """Tick every open case with an escalation (what fell due while no process ran)."""
        with self.engine.sessions() as session:
            ids = list(session.scalars(select(Case.id).where(Case.state.in_(OPEN_STATES),
                                                              Case.escalation.is_not(None)).order_by(Case.id)))
        for case_id in ids:
            self.fire(case_id)
        return len(ids)

    # --- hooks: a case opened or changed ---------------------------------------------------------

    def cases_opened(self, case_ids: Iterable[int]) -> None:
        """Runtime case listener: the first steps run at once, on the scheduler's thread (not
        in the ingest request, which must stay fast)."""
        now = datetime.now(timezone.utc)
        for case_id in case_ids:
            self.schedule(case_id, now)

    def case_changed(self, case_id: int) -> None:
        """After a claim, reply, release or resolve: stop or move the case's timer."""
        self.fire(case_id)

    # --- the work --------------------------------------------------------------------------------

    def fire(self, case_id: int, now: datetime | None = None) -> TickResult:
        with self._in_flight:
            self._firing += 1
        try:
            return self._fire(case_id, now)
        finally:
            with self._in_flight:
                self._firing -= 1
                self._in_flight.notify_all()

    def _fire(self, case_id: int, now: datetime | None) -> TickResult:
        try:
            result = self.engine.tick(case_id, now)
        except Exception:
            log.exception("escalation tick for case %s failed; retrying at the next timer", case_id)
            raise
        fault_point("timer_fired")  # the step is recorded, its pings not sent yet
        if result.pings:
            try:
                self.notify(result.pings)
            except Exception:  # the steps are recorded; a failed delivery must not re-run them
                log.exception("delivering %d escalation pings of case %s failed", len(result.pings), case_id)
        self.schedule(case_id, result.next_at)
        return result

    def schedule(self, case_id: int, at: datetime | None) -> None:
        if self._stopping:
            return  # shutting down: the job store keeps the last timer; catch_up() redoes the rest
        if at is None:
            try:
                self.scheduler.remove_job(job_id(case_id))
            except JobLookupError:
                pass
            return
        self.scheduler.add_job(fire_case, "date", run_date=at, args=[case_id], id=job_id(case_id),
                               replace_existing=True)

    def next_run(self, case_id: int) -> datetime | None:
        job = self.scheduler.get_job(job_id(case_id))
        return job.next_run_time if job else None
