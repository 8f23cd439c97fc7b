"""Issue 17, item 8: ``POST /slack/events`` checks size (413), then signature (401), then parse (400).

Before: the whole body was read with no limit, and a body that was not JSON or not a valid form
answered 500 whether signed or not. Real uvicorn server, real Bolt, fake Slack; both databases.
"""

from __future__ import annotations

import asyncio
import json
import socket
from urllib.parse import urlencode

import pytest

from bot.app.body_limit import BodyLimit
from handlers.slack import cards, http_gate
from storage.models import CaseState
from tests.test_slack import ANA, build_desk, open_bag_case, wait_until


@pytest.fixture
def desk(config, database_url):
    d, close = build_desk(config, database_url)
    yield d
    close()


def raw_post(url: str, path: str, headers: dict[str, str], body: bytes = b"") -> tuple[int, bytes]:
    """One HTTP/1.1 request over a plain socket, so the headers can claim what httpx would not send."""
    host, port = url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as conn:
        head = f"POST {path} HTTP/1.1\r\nHost: {host}\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        conn.sendall(head.encode() + b"\r\n" + body)
        answer = b""
        while b"\r\n\r\n" not in answer or len(answer.split(b"\r\n\r\n", 1)[1]) < 10:
            chunk = conn.recv(65536)
            if not chunk:
                break
            answer += chunk
    status = int(answer.split(b" ", 2)[1])
    return status, answer.split(b"\r\n\r\n", 1)[1]


def test_a_declared_huge_body_is_413_before_any_of_it_is_read(desk):
    status, body = raw_post(desk.url, "/slack/events", {"Content-Type": "application/json",
                                                        "Content-Length": "300000000"})
    assert status == 413
    assert b"1000000 bytes at most" in body


def test_a_streamed_body_over_the_limit_is_413_even_unsigned(desk):
    def chunks():
        for _ in range(40):  # 2.6 MB in chunks, no Content-Length (chunked transfer)
            yield b"x" * 65536
    response = desk.http.post("/slack/events", content=chunks(), headers={"Content-Type": "application/json"})
    assert response.status_code == 413


def test_the_limit_stops_reading_at_the_limit():
    """At the ASGI level: once the limit is passed no further chunk is pulled from the client."""
    pulled = 0

    async def receive():
        nonlocal pulled
        pulled += 1
        return {"type": "http.request", "body": b"y" * 1000, "more_body": True}  # an endless body

    sent = []

    async def send(message):
        sent.append(message)

    async def app(scope, receive, send):  # pragma: no cover - must not be reached
        raise AssertionError("the endpoint ran for an oversized body")

    limit = BodyLimit(app, {"/slack/events": 10_000})
    asyncio.run(limit({"type": "http", "path": "/slack/events", "headers": []}, receive, send))
    assert sent[0]["status"] == 413
    assert pulled == 11  # 11 × 1000 bytes is the first read past 10,000: reading stopped there


@pytest.mark.parametrize("body, content_type", [
    (b'{"type": "block_actions", ', "application/json"),
    (b"not json at all", "application/json"),
    (urlencode({"payload": "{broken"}).encode(), "application/x-www-form-urlencoded"),
    (b"\xff\xfe\x00garbage", "application/x-www-form-urlencoded"),
])
def test_unsigned_garbage_is_401_not_500(desk, body, content_type):
    response = desk.http.post("/slack/events", content=body, headers={"Content-Type": content_type})
    assert response.status_code == 401, response.text
    bad_time = desk.http.post("/slack/events", content=body, headers={
        "Content-Type": content_type, "X-Slack-Request-Timestamp": "soon", "X-Slack-Signature": "v0=00"})
    assert bad_time.status_code == 401, bad_time.text


@pytest.mark.parametrize("body, content_type, says", [
    (b'{"type": "block_actions", ', "application/json", "not JSON nor a form"),
    (b"not json at all", "application/json", "not JSON nor a form"),
    (urlencode({"payload": "{broken"}).encode(), "application/x-www-form-urlencoded", "not JSON nor a form"),
    (urlencode({"payload": "[1, 2]"}).encode(), "application/x-www-form-urlencoded", "not a JSON object"),
    (b"[" * 50_000 + b"]" * 50_000, "application/json", "nested too deeply"),
    (urlencode({"payload": json.dumps({"type": "block_actions", "team": 1})}).encode(),
     "application/x-www-form-urlencoded", "team is not an object"),
    (json.dumps({"type": "event_callback", "event": {"type": "message", "user": ["U1"]}}).encode(),
     "application/json", "event.user is not text"),
    (json.dumps({"type": "event_callback", "event": {"type": "message", "text": "note\u0000"}}).encode(),
     "application/json", "event.text: contains a NUL character"),
])
def test_signed_bodies_that_do_not_parse_are_400_naming_the_problem(desk, body, content_type, says):
    response = desk.send(body, content_type)
    assert response.status_code == 400, response.text
    assert says in response.json()["error"]


def test_the_server_still_works_after_all_that(desk):
    case_id, card = open_bag_case(desk)
    desk.send(b"not json", "application/json")
    desk.http.post("/slack/events", content=b"x" * 2_000_000, headers={"Content-Type": "application/json"})
    assert desk.press(cards.CLAIM, case_id, ANA, ts=card["ts"]).status_code == 200
    wait_until(lambda: desk.case(case_id).state == CaseState.CLAIMED, what="claim")


def test_limit_constant_is_what_the_server_enforces(desk):
    body = json.dumps({"type": "event_callback", "pad": "z" * (http_gate.MAX_BODY_BYTES + 1)}).encode()
    assert desk.send(body, "application/json").status_code == 413
