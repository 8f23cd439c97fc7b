"""The satisfaction survey: sent through the outbox after resolution, answered once per case."""

from __future__ import annotations

import re

import httpx
from pydantic import SecretStr
from sqlalchemy import select

from bot.core.mention import parse_mention
from bot.app.runtime import Runtime
from bot.app.server import create_app
from bot.core.settings import Settings
from bot.desk.survey import make_token, read_token
from storage.models import Event, OutboxEntry, Visibility
from tests.conftest import ServerThread, mention
from tests.test_web_console import PASSWORD, csrf_of, login

SECRET = "test-web-secret-0123456789"


def test_resolved_case_gets_a_survey_and_the_first_answer_counts(config, database_url):
    settings = Settings(database_url=database_url, public_url="https://desk.example.com",
                        web_secret=SecretStr(SECRET), slack_bot_token=None, slack_app_token=None,
                        slack_signing_secret=None, webhook_token=None)
    runtime = Runtime.build(config, database=database_url, settings=settings)
    from bot.desk.accounts import set_password

    with runtime.sessions() as session, session.begin():
        set_password(session, "Ana Ortiz", PASSWORD)
    case_id = runtime.ingest_batch([parse_mention(mention("s1", "@SkylarkAir where is my bag?"))])[0].case_id
    try:
        with ServerThread(create_app(runtime)) as server:
            client, page = login(server.url, "Ana Ortiz")
            token = csrf_of(page.text)
            client.post(f"/console/cases/{case_id}/claim", data={"csrf": token})
            page = client.post(f"/console/cases/{case_id}/resolve", data={"csrf": token})
            assert f"Case #{case_id}: resolved" in page.text
            with runtime.sessions() as session:
                survey = session.scalars(select(OutboxEntry).where(OutboxEntry.case_id == case_id)).one()
                assert survey.idempotency_key == f"survey:{case_id}" and survey.visibility == Visibility.PRIVATE
                assert session.scalars(select(Event.type).where(Event.case_id == case_id)).all()[-1] == "survey_sent"
            link = re.search(r"https://desk\.example\.com(/survey/\S+)", survey.text).group(1)

            customer = httpx.Client(base_url=server.url)
            assert "How did we do?" in customer.get(link).text
            assert customer.post(link, data={"score": "9"}).status_code == 400
            assert "Your answer was recorded" in customer.post(link, data={"score": "5"}).text
            assert "already have your answer" in customer.post(link, data={"score": "1"}).text
            assert customer.get(f"/survey/{make_token('another secret', case_id)}").status_code == 404
        with runtime.sessions() as session:
            answers = session.scalars(select(Event).where(Event.type == "satisfaction")).all()
        assert [(e.case_id, e.payload["score"], e.source) for e in answers] == [(case_id, 5, "survey")]
    finally:
        runtime.close()


def test_tokens_are_signed():
    token = make_token(SECRET, 42)
    assert read_token(SECRET, token) == 42
    assert read_token("other", token) is None and read_token(SECRET, token[:-2] + "xx") is None
