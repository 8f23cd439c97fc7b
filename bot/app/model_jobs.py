"""The model's background jobs in a running replica: the scheduled desk retrain and the reload.

- **Desk retrain** (``triage.model.retrain.enabled``): a singleton, started when this replica is
  elected leader and stopped when it steps down. APScheduler (its own in-memory scheduler, like
  the X poller) runs ``retrain_from_desk`` in its worker thread, so training never blocks the
  event loop, webhook calls or card delivery. Each run is logged, counted in
  ``mentiondesk_model_retrains{outcome}`` and recorded next to the heads
  (``<heads>.last-retrain.json``, shown by `mentiondesk model status`); a run that installed new
  heads makes this replica reload at once.
- **Reload** (every replica, whenever the model may be used): ``ClassifierReloader`` checks the
  heads folder every ``reload_check_seconds`` and swaps the classifier when a new set is there;
  replicas that share the folder (a volume) pick up what the leader installed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timezone

from bot.core.config import RetrainSettings, parse_every
from bot.core.observability import CLASSIFIER_RELOADS, MODEL_RETRAIN_LAST, MODEL_RETRAINS

log = logging.getLogger(__name__)

JOB_ID = "desk-retrain"


def retrain_trigger(settings: RetrainSettings):
    """The APScheduler trigger of ``settings``: an interval (``every``) or a weekly time (UTC)."""
    from apscheduler.triggers.cron import CronTrigger
    from apscheduler.triggers.interval import IntervalTrigger

    if settings.every:
        return IntervalTrigger(seconds=parse_every(settings.every).total_seconds(), timezone=timezone.utc)
    hour, minute = (settings.at or "03:00").split(":")
    return CronTrigger(day_of_week=settings.weekday or "sun", hour=int(hour), minute=int(minute),
                       timezone=timezone.utc)


class DeskRetrainJob:
    """Runs the desk retrain + gate on a schedule (in the leader only: see ``model_jobs``)."""

    def __init__(self, runtime, settings: RetrainSettings, *, reloader=None,
                 retrain: Callable[..., object] | None = None, data_dir=None):
        self.runtime = runtime
        self.settings = settings
        self.reloader = reloader
        self._retrain = retrain
        self.data_dir = data_dir
        self._scheduler = None
        self.last_outcome = None

    @property
    def scheduled(self) -> bool:
        return self._scheduler is not None and self._scheduler.get_job(JOB_ID) is not None

    def next_run(self) -> datetime | None:
        job = self._scheduler.get_job(JOB_ID) if self._scheduler is not None else None
        return job.next_run_time if job is not None else None

    def start(self) -> None:
        from apscheduler.schedulers.background import BackgroundScheduler

        if self._scheduler is not None:
            return
        scheduler = BackgroundScheduler(timezone=timezone.utc)
        # One run at a time; a run missed while no replica led (or training overran) runs once.
        scheduler.add_job(self.run_once, retrain_trigger(self.settings), id=JOB_ID, max_instances=1, coalesce=True,
                          misfire_grace_time=6 * 3600)
        scheduler.start()
        self._scheduler = scheduler
        log.info("desk retrain scheduled (%s); next run %s",
                 f"every {self.settings.every}" if self.settings.every else
                 f"weekly {self.settings.weekday or 'sun'} {self.settings.at or '03:00'} UTC", self.next_run())

    def stop(self) -> None:
        scheduler, self._scheduler = self._scheduler, None
        if scheduler is not None:
            # Not waiting: stepping down must be quick. A run already training finishes in its
            # thread; its install is the same whichever replica makes it.
            scheduler.shutdown(wait=False)

    def run_once(self):
        """One retrain + gate; never raises (the outcome is logged, counted and recorded)."""
        from bot.triage.model.desk_training import base_data_dir, retrain_from_desk
        from bot.triage.select import installed_heads_dir, trained_heads_dir

        retrain = self._retrain or retrain_from_desk
        runtime = self.runtime
        current, heads_dir = (installed_heads_dir(runtime.config, runtime.settings),
                              trained_heads_dir(runtime.config, runtime.settings))
        log.info("desk retrain: starting (compared with %s, installed into %s)", current, heads_dir)
        try:
            outcome = retrain(runtime.sessions, runtime.config, heads_dir, current_dir=current,
                              data_dir=base_data_dir(self.data_dir), min_cases=self.settings.min_cases)
        except Exception:
            log.exception("desk retrain failed; the installed heads stay")
            MODEL_RETRAINS.labels(outcome="failed").inc()
            MODEL_RETRAIN_LAST.set_to_current_time()
            return None
        MODEL_RETRAINS.labels(outcome=outcome.status).inc()
        MODEL_RETRAIN_LAST.set_to_current_time()
        self.last_outcome = outcome
        (log.info if outcome.status in ("installed", "too_little") else log.warning)("desk retrain: %s",
                                                                                     outcome.message)
        if outcome.installed and self.reloader is not None:
            self.reloader.reload()
        return outcome


@dataclass
class ModelJobs:
    """What ``create_app`` wires: ``elected``/``demoted`` steps for the leader, ``start``/``stop`` for every replica."""

    reloader: object | None = None
    retrain: DeskRetrainJob | None = None
    elected: list[Callable[[], object]] = field(default_factory=list)
    demoted: list[Callable[[], object]] = field(default_factory=list)

    def start(self) -> None:
        if self.reloader is not None:
            self.reloader.start()

    def stop(self) -> None:
        if self.retrain is not None:
            self.retrain.stop()
        if self.reloader is not None:
            self.reloader.stop()


def model_jobs(runtime, *, retrain: Callable[..., object] | None = None) -> ModelJobs:
    """The reloader (when the model may be used) and the leader's retrain job (when enabled)."""
    from bot.triage.reload import ClassifierReloader

    model = runtime.config.triage.model
    jobs = ModelJobs()
    if model.use != "rules":
        def swapped(classifier, note: str) -> None:
            runtime.classifier_note = note
            CLASSIFIER_RELOADS.inc()

        jobs.reloader = ClassifierReloader(runtime.pipeline, runtime.config, runtime.settings,
                                           check_every=model.retrain.reload_check_seconds, on_swap=swapped)
    if model.retrain.enabled:
        jobs.retrain = DeskRetrainJob(runtime, model.retrain, reloader=jobs.reloader, retrain=retrain)
        jobs.elected.append(jobs.retrain.start)
        jobs.demoted.append(jobs.retrain.stop)
    return jobs
