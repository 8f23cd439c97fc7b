"""Card rendering and the poster's retry rule, without a server: fast checks of what agents see."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import SlackResponse

from bot.desk.case_view import CardView, Person
from handlers.slack import cards
from handlers.slack.poster import SlackCallFailed, call_with_retry

ANA = Person("Ana Ortiz", {"slack": "U0ANA00001"})


def view(**changes) -> CardView:
    base = dict(case_id=7, state="open", tier="tier1", priority=71.4, intent="complaint", sentiment="negative",
                sentiment_score=-0.62, topic="lost_luggage", team="baggage", platform="x",
                url="https://x.com/maria/status/1", text="My bag > 2 days late & nobody answers",
                author_handle="maria_g", author_name="María G", followers=12_400, verified=True, crm_tier="gold",
                earlier_contacts=2, mentions=1, reasons=["complaint (+30)", "negative sentiment (+12.4)"],
                opened_at=datetime(2026, 11, 20, 10, tzinfo=timezone.utc), assignee=None,
                claimed_after_seconds=None, status=None, reply_state=None)
    base.update(changes)
    return CardView(**base)


def texts(blocks) -> str:
    out = []
    for block in blocks:
        if "text" in block:
            out.append(block["text"]["text"])
        out += [e["text"] for e in block.get("elements", []) if e.get("type") == "mrkdwn"]
    return "\n".join(out)


def test_open_card_shows_everything_an_agent_needs():
    blocks = cards.render_card(view())
    shown = texts(blocks)
    for part in ("🔴 *P1*", "priority *71*", "case #7", "<https://x.com/maria/status/1|X post>", "*María G* (@maria_g)",
                 "12k followers", "verified", "CRM gold", "2 earlier contacts", "> My bag &gt; 2 days late &amp; nobody",
                 "sentiment *negative* (-0.62)", "topic *lost_luggage*", "*Why:* complaint (+30)"):
        assert part in shown, part
    actions = [b for b in blocks if b["type"] == "actions"][0]["elements"]
    assert [a["action_id"] for a in actions] == [cards.CLAIM, cards.ESCALATE, cards.REPLY, cards.NOT_ACTIONABLE,
                                                 cards.FIX_TRIAGE]
    assert all(a["value"] == "7" for a in actions)
    assert "confirm" in actions[3]  # closing a case without a reply asks first


@pytest.mark.parametrize("status, assignee, expected", [
    (("claimed", ANA, {}), ANA, "✋ Claimed by <@U0ANA00001> 2 min after arrival"),
    (("escalated", ANA, {"to_team": "pr", "level": "pr", "reason": "press <!here>"}), None,
     "⬆️ Escalated to *pr (pr)* by <@U0ANA00001>: press &lt;!here&gt;"),
    (("reply_queued", ANA, {"visibility": "public"}), ANA, "✉️ Reply queued by <@U0ANA00001> (public)"),
    (("reply_sent", "relay", {}), ANA, "✅ Reply sent ✓"),
    (("not_actionable", ANA, {}), None, "🚫 Marked not actionable by <@U0ANA00001>"),
])
def test_status_lines(status, assignee, expected):
    v = view(status=status, assignee=assignee, claimed_after_seconds=150, state="claimed" if assignee else "open")
    assert cards.status_line(v) == expected
    assert expected in texts(cards.render_card(v))


def test_buttons_follow_the_state():
    claimed = cards.render_card(view(state="claimed", assignee=ANA, status=("claimed", ANA, {})))
    ids = [e["action_id"] for b in claimed if b["type"] == "actions" for e in b["elements"]]
    assert ids == [cards.REPLY, cards.ESCALATE, cards.RESOLVE, cards.RELEASE, cards.NOT_ACTIONABLE, cards.FIX_TRIAGE]
    closed = cards.render_card(view(state="resolved", status=("resolved", ANA, {})))
    # Closed: only "Fix triage" stays (a correction still teaches the model).
    assert [e["action_id"] for b in closed if b["type"] == "actions" for e in b["elements"]] == [cards.FIX_TRIAGE]


def test_long_text_is_cut_before_escaping():
    blocks = cards.render_card(view(text="&" * 5000))
    body = blocks[2]["text"]["text"]
    assert len(body) <= 3000 and body.endswith("…") and "&amp;" in body and not body.rstrip("…").endswith("&am")


def test_durations():
    from bot.core.durations import human_duration  # the one formatter every card and screen uses

    assert [human_duration(s) for s in (5, 60, 150, 3600, 3900)] == ["<1 min", "1 min", "2 min", "1 h", "1 h 5 min"]
    assert [human_duration(s) for s in (86400, 90000, None)] == ["1 d", "1 d 1 h", ""]


def _error(status: int, error: str, headers: dict | None = None) -> SlackApiError:
    response = SlackResponse(client=None, http_verb="POST", api_url="x", req_args={},
                             data={"ok": False, "error": error}, headers=headers or {}, status_code=status)
    return SlackApiError("failed", response)


def test_retry_honours_retry_after_and_gives_up_on_permanent_errors():
    waits, calls = [], []

    def flaky(**kw):
        calls.append(kw)
        if len(calls) == 1:
            raise _error(429, "ratelimited", {"Retry-After": "3"})
        if len(calls) == 2:
            raise _error(500, "internal_error")
        return {"ok": True, "ts": "1.2"}

    assert call_with_retry(flaky, attempts=3, backoff=0.5, sleep=waits.append, channel="C1")["ts"] == "1.2"
    assert waits == [3.0, 1.0] and len(calls) == 3

    def not_in_channel(**kw):
        calls.append(kw)
        raise _error(200, "channel_not_found")

    calls.clear()
    with pytest.raises(SlackCallFailed) as failed:
        call_with_retry(not_in_channel, attempts=3, sleep=waits.append)
    assert failed.value.error == "channel_not_found" and len(calls) == 1  # not retried
