"""The webhook source end to end: a real uvicorn server on 127.0.0.1, real HTTP, both databases."""

from __future__ import annotations

import json

import httpx
import pytest
from sqlalchemy import func, select

from bot.app.runtime import Runtime
from bot.app.server import create_app
from pydantic import SecretStr

from bot.core.settings import Settings
from storage.models import Case, Mention

from tests.conftest import ServerThread, mention


@pytest.fixture
def served(runtime):
    with ServerThread(create_app(runtime)) as server:
        yield server, runtime


def stored(runtime: Runtime) -> int:
    with runtime.sessions() as session:
        return session.scalar(select(func.count()).select_from(Mention))


def post(url: str, body, *, content_type="application/json", headers=None) -> httpx.Response:
    raw = body if isinstance(body, (bytes, str)) else json.dumps(body)
    return httpx.post(url + "/ingest", content=raw, headers={"content-type": content_type, **(headers or {})},
                      timeout=10)


def test_single_mention_is_stored_and_triaged(served):
    server, runtime = served
    response = post(server.url, mention("w1", "@SkylarkAir my bag never arrived at LIS, where is it?"))
    assert response.status_code == 200, response.text
    result = response.json()["results"][0]
    assert result == {"id": "w1", "platform": "x", "duplicate": False, "tier": "tier1",
                      "case_id": result["case_id"]}
    assert result["case_id"] is not None
    assert stored(runtime) == 1


def test_batch_with_a_repeat_stores_it_once(served):
    server, runtime = served
    one = mention("w2", "@SkylarkAir how early should I be at DEN?")
    response = post(server.url, [one, mention("w3", "Loved the crew on SK77 @SkylarkAir"), one])
    assert response.status_code == 200
    assert [r["duplicate"] for r in response.json()["results"]] == [False, False, True]
    again = post(server.url, one)
    assert again.json()["results"][0]["duplicate"] is True
    assert stored(runtime) == 2


def test_malformed_json_is_400_and_stores_nothing(served):
    server, runtime = served
    response = post(server.url, b'{"platform": "x", "id": ')
    assert response.status_code == 400
    assert "not valid JSON" in response.json()["error"]
    assert stored(runtime) == 0


def test_wrong_content_type_is_415(served):
    server, runtime = served
    response = post(server.url, mention("w4", "@SkylarkAir hi there friends"), content_type="text/plain")
    assert response.status_code == 415
    assert "application/json" in response.json()["error"]
    assert stored(runtime) == 0


def test_oversized_body_is_413_and_stores_nothing(served):
    server, runtime = served
    huge = mention("w5", "@SkylarkAir " + "a" * 1_200_000)
    response = post(server.url, huge)
    assert response.status_code == 413
    assert "too large" in response.json()["error"]
    too_many = [mention(f"b{i}", "@SkylarkAir thanks!") for i in range(501)]
    response = post(server.url, too_many)
    assert response.status_code == 413
    assert "501" in response.json()["error"]
    assert stored(runtime) == 0


def test_one_invalid_mention_rejects_the_whole_batch(served):
    server, runtime = served
    good = mention("w6", "@SkylarkAir where is my refund?")
    bad = mention("w7", "@SkylarkAir hello", platform="myspace")
    no_handle = {"platform": "x", "id": "w8", "text": "hi", "author": {}}
    response = post(server.url, [good, bad, no_handle])
    assert response.status_code == 422
    body = response.json()
    assert "nothing was stored" in body["error"]
    assert any(p.startswith("[1] platform") and "myspace" in p for p in body["problems"]), body
    assert any(p.startswith("[2] author.handle") for p in body["problems"]), body
    assert stored(runtime) == 0
    with runtime.sessions() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == 0


def test_text_over_the_configured_limit_is_422(served):
    server, runtime = served
    limit = runtime.config.triage.max_text_chars
    response = post(server.url, mention("w9", "@SkylarkAir " + "x" * limit))
    assert response.status_code == 422
    assert "too long" in json.dumps(response.json())
    assert stored(runtime) == 0


def test_bearer_token_is_required_when_configured(config, database_url):
    settings = Settings(webhook_token=SecretStr("s3cret-token"))
    runtime = Runtime.build(config, database=database_url, settings=settings)
    try:
        with ServerThread(create_app(runtime)) as server:
            body = mention("w10", "@SkylarkAir need help with my booking")
            assert post(server.url, body).status_code == 401
            assert post(server.url, body, headers={"authorization": "Bearer wrong"}).status_code == 401
            ok = post(server.url, body, headers={"authorization": "Bearer s3cret-token"})
            assert ok.status_code == 200
            assert stored(runtime) == 1
    finally:
        runtime.close()


def test_health_endpoints(served):
    server, _ = served
    assert httpx.get(server.url + "/healthz", timeout=5).status_code == 200
    ready = httpx.get(server.url + "/readyz", timeout=5)
    assert ready.status_code == 200
