"""The console's Starlette app, mounted by ``bot.app.server`` under ``/console``.

Pages are rendered on the server with Jinja2 (autoescape on: customer text can never become
markup). Every POST carries the session's CSRF token; every case button calls the same
platform-neutral action as Slack through :class:`CaseDesk` (platform ``web``, the agent's name
as user id), which checks the role and the case's state and records the press.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from jinja2 import Environment, FileSystemLoader
from sqlalchemy import func, select
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles

from bot.desk.ports import DeskRuntime
from bot.core.durations import human_duration
from bot.desk.accounts import end_sessions
from bot.desk import commands as cmd
from bot.desk.actions import INTENT_CHOICES
from bot.desk.service import CaseDesk
from bot.desk.card_lines import sla_words
from bot.desk.case_view import load_card
from bot.desk.bulk import run_bulk
from bot.desk.cases import open_queue
from bot.desk.drafts import saved_draft
from bot.desk.login_throttle import log_in as throttled_log_in
from bot.desk.actions import may_decide_approvals
from bot.relay.capabilities import private_reply_unavailable
from bot.reporting.forecast import forecast_workload
from bot.reporting.metrics import compute, sla_targets
from handlers.web import charts, ids  # noqa: F401 - ids registers the {name:id} path convertor
from handlers.web.auth import User, csrf_ok, csrf_token, current_user, log_in
from storage.db import transaction
from storage.models import OPEN_STATES, Case, Event, Mention, OutboxEntry, OutboxState, Team

log = logging.getLogger(__name__)
HERE = Path(__file__).resolve().parent
SECURITY_HEADERS = {
    # Scripts and styles only from our own static files: injected markup could not run anything.
    "Content-Security-Policy": "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; form-action 'self'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
DONE_WORDS = {"claimed": "claimed", "released": "released", "resolved": "resolved", "escalated": "escalated",
              "reply_queued": "reply queued", "approval_requested": "reply waits for PR approval",
              "approved": "reply approved", "rejected": "reply rejected", "not_actionable": "closed as not actionable",
              "note": "note added", "triage_corrected": "triage corrected",
              "reply_opened": "you are drafting a reply (others see it)", "draft_saved": "draft saved",
              "taken_over": "taken over: the case is yours"}


def http_url(url: str | None) -> str | None:
    """``url`` if it is an http(s) link with a host, else None: a post's URL is the customer's
    text, and ``javascript:`` or ``data:`` in an ``href`` would run in the agent's console."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme.lower() in ("http", "https") and parts.netloc else None


class BadForm(ValueError):
    pass


#: The actions the console's forms may submit (the URL names one).
WEB_ACTIONS = ("claim", "release", "resolve", "not_actionable", "note", "reply", "escalate", "approve", "reject",
               "correct_triage", "may_reply", "save_draft", "take_over")


def _command(action: str, form: Any) -> cmd.Command:
    """The typed command a submitted form asks for, or BadForm naming what is wrong."""
    if action not in WEB_ACTIONS:
        raise BadForm(f"unknown action {action!r}")
    kind = cmd.COMMANDS[action]
    # An empty field is a field not given: its default applies, or "… is required".
    values = {name: str(form.get(name)).strip() for name in kind.model_fields if str(form.get(name) or "").strip()}
    if kind is cmd.Reply:
        # One reply form, one outbox row: a double click or a resubmitted page queues nothing twice.
        nonce = str(form.get("nonce") or "").strip()
        if not nonce:
            raise BadForm("nonce is required")
        values["idempotency_key"] = f"web:{nonce}"
    try:
        return kind.parse(**values)
    except cmd.Problems as exc:
        raise BadForm(str(exc)) from None


def _every_day(counts: dict[str, int], now: datetime, days: int) -> list[tuple[str, int]]:
    """Cases per day for each of the last ``days`` days, quiet days included (as 0)."""
    first = (now - timedelta(days=days - 1)).date()
    return [(d.strftime("%m-%d"), counts.get(d.isoformat(), 0))
            for d in (first + timedelta(days=i) for i in range(days))]


def _age(now: datetime, then: datetime) -> str:
    minutes = int((now - then).total_seconds() // 60)
    if minutes < 60:
        return f"{max(minutes, 0)} min"
    if minutes < 48 * 60:
        return f"{minutes // 60} h {minutes % 60:02d}"
    return f"{minutes // 1440} d"


def create_console(runtime: DeskRuntime, *, desk: CaseDesk | None = None, policy: Any = None,
                   escalation_map: Callable[[], Any] | None = None, secret: str | None = None,
                   secure_cookie: bool = False, clock: Callable[[], datetime] | None = None) -> Starlette:
    """The console app. ``secret`` signs session cookies (``MENTIONDESK_WEB_SECRET``); without one
    a random key is made, so sessions end when the process restarts."""
    clock = clock or (lambda: datetime.now(timezone.utc))
    desk = desk or CaseDesk(runtime.sessions, policy=policy, config=runtime.config,
                            listeners=getattr(runtime, "action_listeners", None),
                            ranker=getattr(runtime, "suggestion_ranker", None))
    if not secret:
        log.warning("MENTIONDESK_WEB_SECRET is not set: console sessions end when the server restarts")
        secret = secrets.token_urlsafe(32)
    env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True, trim_blocks=True,
                      lstrip_blocks=True)
    env.filters["duration"] = lambda seconds: human_duration(seconds, empty="–")
    env.filters["http_url"] = http_url
    env.filters["pct"] = lambda v: "–" if v is None else f"{100 * v:.0f} %"
    canned = [(c.id, c.title, c.text) for c in runtime.config.canned_responses]
    throttle = runtime.config.console.login_throttle

    def page(request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        context.update(base=request.scope.get("root_path", ""), csrf=csrf_token(request),
                       flash=request.session.pop("flash", None))
        return HTMLResponse(env.get_template(template).render(**context), status_code=status, headers=SECURITY_HEADERS)

    def to_login(request: Request) -> RedirectResponse:
        return RedirectResponse(f"{request.scope.get('root_path', '')}/login", status_code=303)

    def targets() -> dict[str, dict[str, float]]:
        if escalation_map is None:
            return {}
        try:
            return sla_targets(escalation_map())
        except Exception:  # noqa: BLE001 - a broken map file must not take the dashboard down
            log.exception("escalation map unreadable; dashboard without SLA targets")
            return {}

    # --- reads (run in the thread pool: SQLAlchemy here is synchronous) -----------------------

    def whoami(request: Request) -> User | None:
        with runtime.sessions() as session:
            return current_user(request, session)

    def queue_rows(team: str | None) -> tuple[list[dict], list[str]]:
        now = clock()
        with runtime.sessions() as session:
            rows = []
            children = dict(session.execute(select(Case.parent_id, func.count()).where(
                Case.parent_id.is_not(None), Case.state.in_(OPEN_STATES)).group_by(Case.parent_id)).all())
            for case in open_queue(session, team=team or None, limit=200):
                first = case.mentions[0] if case.mentions else None
                rows.append({"id": case.id, "priority": case.priority, "tier": case.tier.value,
                             "state": case.state.value, "team": case.team, "topic": case.topic,
                             "handle": first.author_handle if first else "?", "text": first.text if first else "",
                             "assignee": case.assignee.name if case.assignee else None,
                             "age": _age(now, case.opened_at), "claimable": case.assignee_id is None,
                             "children": children.get(case.id, 0)})
            teams = list(session.scalars(select(Team.name).order_by(Team.name)))
        return rows, teams

    def case_page_data(case_id: int, agent_id: int | None) -> dict | None:
        with runtime.sessions() as session:
            card = load_card(session, case_id, clock())
            if card is None:
                return None
            mentions = list(session.scalars(select(Mention).where(Mention.case_id == case_id)
                                            .order_by(Mention.created_at, Mention.id)))
            events = list(session.scalars(select(Event).where(Event.case_id == case_id).order_by(Event.id)))
            drafts = list(session.scalars(select(OutboxEntry).where(OutboxEntry.case_id == case_id)
                                          .order_by(OutboxEntry.id)))
            teams = list(session.scalars(select(Team.name).order_by(Team.name)))
            case = session.get(Case, case_id)
            config = runtime.config
            topics = sorted({*cmd.topic_choices(config), *([card.topic] if card.topic else [])})
            return {"card": card, "mentions": mentions, "events": events, "drafts": drafts, "teams": teams,
                    "assignee_id": case.assignee_id, "awaiting": OutboxState.AWAITING_APPROVAL,
                    "intents": INTENT_CHOICES, "topics": topics,
                    "private_unavailable": private_reply_unavailable(config, card.platform),
                    "my_draft": saved_draft(session, case_id, agent_id) if agent_id else "",
                    "sla_words": sla_words(card)}

    def suggestions_for(case_id: int) -> Any:
        return desk.suggestions(case_id)

    def dashboard_data(days: int) -> dict:
        now = clock()
        sla = targets()
        with runtime.sessions() as session:
            report = compute(session, now - timedelta(days=days), now, default_sla=sla)
            try:
                plan = forecast_workload(session, now, target_seconds=sla.get("tier1", {}).get("claim", 900))
                plan_error = None
            except ValueError as exc:
                plan, plan_error = None, str(exc)
        reply_target = sla.get("tier1", {}).get("first_reply")
        by_day = report.first_reply_by_day
        charts_ = {
            "volume": charts.bar_chart(_every_day(report.volume["day"], now, days) if days > 1 else
                                       [(f"{h:02d}", report.volume["hour"].get(f"{h:02d}", 0)) for h in range(24)],
                                       title="Cases opened per day" if days > 1 else "Cases opened per hour (UTC)",
                                       label_every=1 if days <= 7 else 5 if days > 1 else 3),
            "first_reply": charts.bar_chart([(d, round(s / 60, 1)) for d, s in by_day.items()],
                                            title="Median time to first reply per day (min)", unit=" min",
                                            target=reply_target / 60 if reply_target else None,
                                            target_label="tier-1 SLA", label_every=1 if days <= 7 else 5),
            "agents": charts.hbar_chart([(a.name, [a.claimed, a.open_now, a.resolved]) for a in report.agents],
                                        title="Per-agent load", series=["claimed", "open now", "resolved"]),
        }
        if plan is not None:
            charts_["forecast"] = charts.forecast_chart(
                [(h.start.strftime("%a %H:00"), h.cases, h.agents) for h in plan.hours],
                title="Forecast: next 7 days (UTC)")
        return {"report": report, "charts": charts_, "plan": plan, "plan_error": plan_error, "days": days,
                "reply_target": reply_target}

    # --- endpoints -----------------------------------------------------------------------------

    async def login_form(request: Request) -> Response:
        return page(request, "login.html", user=None)

    async def login_submit(request: Request) -> Response:
        form = await request.form()
        if not csrf_ok(request, form.get("csrf")):
            return page(request, "login.html", status=403, user=None, error="Your session expired; try again.")
        name, password = str(form.get("name") or "").strip(), str(form.get("password") or "")
        address = request.client.host if request.client else None
        outcome = await run_in_threadpool(lambda: throttled_log_in(runtime.sessions, throttle, name=name,
                                                                   password=password, address=address, now=clock()))
        if outcome.lockout is not None:
            log.warning("console login refused: %s locked for %d s", outcome.lockout.scope, outcome.lockout.seconds)
            response = page(request, "login.html", status=429, user=None, name=name, error=outcome.lockout.message)
            response.headers["Retry-After"] = str(outcome.lockout.seconds)
            return response
        if outcome.agent_id is None:
            return page(request, "login.html", status=401, user=None, name=name,
                        error="Unknown name or wrong password.")
        log_in(request, outcome.agent_id, outcome.epoch)
        return RedirectResponse(f"{request.scope.get('root_path', '')}/", status_code=303)

    async def logout(request: Request) -> Response:
        form = await request.form()
        if csrf_ok(request, form.get("csrf")):
            def end() -> None:
                # Only a live session ends the others: a revoked cookie cannot log its owner out again.
                with transaction(runtime.sessions) as session:
                    if (user := current_user(request, session)) is not None:
                        end_sessions(session, user.agent_id)

            await run_in_threadpool(end)
            request.session.clear()
        return to_login(request)

    async def queue(request: Request) -> Response:
        user = await run_in_threadpool(whoami, request)
        if user is None:
            return to_login(request)
        team = request.query_params.get("team") or ""
        rows, teams = await run_in_threadpool(queue_rows, team)
        agents = [a.name for a in runtime.config.agents if a.role in ("agent", "lead", "pr")]
        return page(request, "queue.html", user=user, rows=rows, teams=teams, team=team, agents=agents,
                    canned=[(c.id, c.title) for c in runtime.config.canned_responses],
                    nonce=secrets.token_urlsafe(16))

    async def bulk(request: Request) -> Response:
        user = await run_in_threadpool(whoami, request)
        if user is None:
            return to_login(request)
        form = await request.form()
        if not csrf_ok(request, form.get("csrf")):
            return page(request, "error.html", status=403, user=user,
                        message="The form was stale or not sent by this console (CSRF check failed). Reload and try again.")
        base = request.scope.get("root_path", "")
        kind = str(form.get("kind") or "")
        # Case ids as the console renders them; anything else (or past 64 bits) is not a case.
        case_ids = [int(v) for v in form.getlist("case") if str(v).isdigit() and len(str(v)) <= 18]
        problem = None
        if kind not in ("resolve", "reassign", "not_actionable"):
            problem = f"unknown bulk action {kind!r}"
        elif not case_ids:
            problem = "select at least one case"
        to_agent_id = None
        if problem is None and kind == "reassign":
            to_agent_id = await run_in_threadpool(desk.agent_by_platform_user, "web", str(form.get("to_agent") or ""))
            problem = None if to_agent_id else "choose the agent to reassign to"
        if problem is None and kind == "resolve" and not (form.get("canned_id") or str(form.get("text") or "").strip()):
            problem = "choose a reply template or type the reply"
        if problem:
            request.session["flash"] = {"ok": False, "text": f"Bulk: {problem}"}
            return RedirectResponse(f"{base}/", status_code=303)
        outcomes = await run_in_threadpool(lambda: run_bulk(
            desk, kind, case_ids, "web", user.name, batch_key=str(form.get("nonce") or secrets.token_urlsafe(8)),
            canned_id=str(form.get("canned_id") or "") or None, text=str(form.get("text") or "").strip(),
            to_agent_id=to_agent_id, reason=str(form.get("reason") or "").strip()))
        done = [o for o in outcomes if o.ok]
        refused = [o for o in outcomes if not o.ok]
        text = f"Bulk {kind.replace('_', ' ')}: {len(done)} case(s) done"
        if refused:
            text += "; not done: " + "; ".join(f"#{o.case_id}: {o.words}" for o in refused[:10])
        request.session["flash"] = {"ok": not refused, "text": text}
        return RedirectResponse(f"{base}/", status_code=303)

    async def queue_part(request: Request) -> Response:
        user = await run_in_threadpool(whoami, request)
        if user is None:
            return PlainTextResponse("log in again", status_code=401)
        rows, _ = await run_in_threadpool(queue_rows, request.query_params.get("team") or "")
        return page(request, "queue_rows.html", user=user, rows=rows)

    async def case_page(request: Request) -> Response:
        user = await run_in_threadpool(whoami, request)
        if user is None:
            return to_login(request)
        data = await run_in_threadpool(case_page_data, request.path_params["case_id"], user.agent_id)
        if data is None:
            return page(request, "error.html", status=404, user=user, message="There is no such case.")
        suggestions = await run_in_threadpool(suggestions_for, request.path_params["case_id"])
        return page(request, "case.html", user=user, nonce=secrets.token_urlsafe(16), canned=canned,
                    decides_approvals=may_decide_approvals(user.role), suggestions=suggestions, **data)

    async def act(request: Request) -> Response:
        user = await run_in_threadpool(whoami, request)
        if user is None:
            return to_login(request)
        case_id, action = request.path_params["case_id"], request.path_params["action"]
        form = await request.form()
        base = request.scope.get("root_path", "")
        if not csrf_ok(request, form.get("csrf")):
            return page(request, "error.html", status=403, user=user,
                        message="The form was stale or not sent by this console (CSRF check failed). Reload and try again.")
        back = str(form.get("next") or "")
        if not back.startswith(f"{base}/") or back.startswith("//") or "\\" in back:
            back = f"{base}/cases/{case_id}"
        try:
            command = _command(action, form)
        except BadForm as exc:
            request.session["flash"] = {"ok": False, "text": f"Case #{case_id}: {exc}"}
            return RedirectResponse(back, status_code=303)
        result = await run_in_threadpool(lambda: desk.run(command, case_id, "web", user.name))
        if result.ok:
            text = f"Case #{case_id}: {DONE_WORDS.get(result.event or '', 'done')}"
            if warning := result.changes.get("warning"):  # someone else has the case's Reply open too
                text += f"; careful: {warning}"
            if result.code == "duplicate":
                text = f"Case #{case_id}: {result.reason}"
        else:
            text = f"Case #{case_id}: {result.reason or 'not possible'}"
        request.session["flash"] = {"ok": result.ok, "text": text}
        return RedirectResponse(back, status_code=303)

    async def dashboard(request: Request) -> Response:
        user = await run_in_threadpool(whoami, request)
        if user is None:
            return to_login(request)
        if not user.sees_dashboard:
            return page(request, "error.html", status=403, user=user,
                        message="The dashboard is for supervisors and leads.")
        try:
            days = min(90, max(1, int(request.query_params.get("days", "7"))))
        except ValueError:
            days = 7
        data = await run_in_threadpool(dashboard_data, days)
        return page(request, "dashboard.html", user=user, **data)

    routes = [
        Route("/", queue),
        Route("/queue.part", queue_part),
        Route("/login", login_form, methods=["GET"]),
        Route("/login", login_submit, methods=["POST"]),
        Route("/logout", logout, methods=["POST"]),
        Route("/cases/{case_id:id}", case_page),
        Route("/cases/{case_id:id}/{action:str}", act, methods=["POST"]),
        Route("/bulk", bulk, methods=["POST"]),
        Route("/dashboard", dashboard),
        Mount("/static", app=StaticFiles(directory=HERE / "static"), name="static"),
    ]
    middleware = [Middleware(SessionMiddleware, secret_key=secret, session_cookie="mentiondesk_console",
                             max_age=12 * 3600, same_site="strict", https_only=secure_cookie)]
    return Starlette(routes=routes, middleware=middleware)
