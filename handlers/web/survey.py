"""``/survey/{token}``: the customer's one-question satisfaction page (no login; the signed token
names the case). Rendering only: the rules live in ``bot.desk.survey``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse
from starlette.routing import Route

from bot.desk.ports import DeskRuntime
from bot.desk.survey import SCORES, read_token, record_answer
from storage.db import transaction

HEADERS = {"Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
           "X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer"}


def survey_routes(runtime: DeskRuntime, secret: str) -> list[Route]:
    env = Environment(loader=FileSystemLoader(Path(__file__).resolve().parent / "templates"), autoescape=True)

    def render(status: int = 200, **context: Any) -> HTMLResponse:
        return HTMLResponse(env.get_template("survey.html").render(scores=SCORES, **context), status_code=status,
                            headers=HEADERS)

    async def survey(request: Request) -> HTMLResponse:
        token = request.path_params["token"]
        case_id = read_token(secret, token)
        if case_id is None:
            return render(404, state="unknown")
        if request.method == "GET":
            return render(state="ask", token=token)
        form = await request.form()
        try:
            score = int(str(form.get("score")))
        except ValueError:
            return render(400, state="ask", token=token, error="Please pick one of the answers.")
        if score not in SCORES:
            return render(400, state="ask", token=token, error="Please pick one of the answers.")

        def save() -> bool:
            with transaction(runtime.sessions) as session:
                return record_answer(session, case_id, score)

        first = await run_in_threadpool(save)
        return render(state="thanks" if first else "already")

    return [Route("/survey/{token}", survey, methods=["GET", "POST"])]
