"""Two replicas on one PostgreSQL database, killed at the worst moments; the promises still hold:
every ingested mention has exactly one case and one card, every approved reply is delivered once.
"""

from __future__ import annotations

from pathlib import Path

import httpx
from sqlalchemy import select, text

from bot.desk import commands as cmd
from bot.desk.service import CaseDesk
from storage.models import Case, CaseMessage, Event, OutboxEntry
from storage.db import make_session_factory
from tests.conftest import mention
from tests.faults.conftest import LEASE_SECONDS, wait_for
from tests.fakes.x_api import BRAND_ID

BAG = "@SkylarkAir my bag never arrived in Madrid, please help"
ANA = "U0ANA00001"


def post_until_accepted(replicas, *mentions) -> dict:
    """A webhook client: on a dropped connection it retries on the next replica (at-least-once)."""
    for replica in replicas:
        if not replica.alive():
            continue
        try:
            response = replica.ingest(*mentions)
        except httpx.HTTPError:
            continue  # the replica died mid-request
        assert response.status_code == 200, response.text
        return response.json()
    raise AssertionError("no replica accepted the mentions")


def card_rows(world) -> list[CaseMessage]:
    return world.all(select(CaseMessage))


def test_kill_after_ingest_and_after_triage(world):
    a = world.replica("a").start(fault="ingested")
    b = world.replica("b").start()
    # a commits the mention and dies before posting its card; the client's retry reaches b.
    first = post_until_accepted([a, b], mention("m1", BAG))
    assert first["results"][0]["duplicate"] is True  # b already had it: stored once
    assert a.died_by_sigkill()
    # a comes back, now dying after triage but before its commit: nothing of that batch is stored.
    a.start(fault="triaged")
    second = post_until_accepted([a, b], mention("m2", BAG.replace("Madrid", "Lisbon"), handle="other"))
    assert second["results"][0]["duplicate"] is False  # a stored nothing before dying
    assert a.died_by_sigkill()
    # b's poster posts the card the dead replica never posted (post_missing).
    wait_for(lambda: all(r.message_id for r in card_rows(world)) and len(card_rows(world)) == 2, 30,
             "both cards posted")
    world.assert_promises(mentions=2)


def test_kill_during_card_post_and_slack_failures(world):
    world.slack.fail("chat.postMessage", "ratelimited", times=2)
    world.slack.fail("chat.postMessage", "500", times=2)
    a = world.replica("a").start(fault="card_posted")
    result = a.ingest(mention("m1", BAG))
    assert result.status_code == 200
    case_id = result.json()["results"][0]["case_id"]
    # a's poster got the card into Slack (after the injected errors) and died before recording it.
    # Four refused posts cost a few backoff rounds of the card's retry. b starts only now: running
    # alongside, its poster took the card over whenever a's lease ran out during those backoffs,
    # posted it itself, and a never reached its crash point (about one run in six).
    assert a.died_by_sigkill(timeout=120)
    assert world.cards_in_slack() == {case_id: 1}
    world.replica("b").start()
    # b waits out a's lease, finds the card by its metadata and records it, without posting again.
    wait_for(lambda: all(r.message_id for r in card_rows(world)), LEASE_SECONDS * 10, "card recorded by b")
    world.assert_promises(mentions=1)
    posts = [c for c in world.slack.calls_of("chat.postMessage") if "thread_ts" not in c.params]
    assert len(posts) == 5  # 4 refused by the injected failures, 1 accepted, none after the crash


def test_kill_between_reply_send_and_record(world):
    tweet = world.x.post("2001", BAG)
    a = world.replica("a").start(fault="reply_sent")
    b = world.replica("b", x_user_tokens=False).start()  # only a relays to X
    payload = mention(tweet["id"], BAG, handle="maria_travels")
    payload["author"]["id"] = "2001"
    case_id = post_until_accepted([b], payload)["results"][0]["case_id"]
    desk = CaseDesk(make_session_factory(world.engine))
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    assert desk.run(cmd.Reply(text="So sorry, we are tracing your bag.", idempotency_key="fault-reply"), case_id, "slack", ANA).ok
    assert a.died_by_sigkill()  # posted on X, killed before recording it
    assert len(world.x.replies_to(tweet["id"])) == 1
    with world.session() as s:
        assert s.scalars(select(OutboxEntry)).one().state.value == "sending"
    a.start()  # restarted: its relay reconciles the entry after the lease, finds the reply on X
    wait_for(lambda: world.all(select(OutboxEntry))[0].state.value == "sent", LEASE_SECONDS * 10, "reply recorded")
    assert len(world.x.replies_to(tweet["id"])) == 1
    assert len(world.x.requests_to("/2/tweets", "POST")) == 1
    wait_for(lambda: all(r.message_id for r in card_rows(world)), 30, "card posted")
    world.assert_promises(mentions=1)


def test_leader_fail_over_graceful_shutdown_and_dropped_connections(world):
    a = world.replica("a").start()
    b = world.replica("b").start()
    leader = wait_for(lambda: next((r for r in (a, b) if r.is_leader()), None), 15, "a leader")
    follower = b if leader is a else a
    assert not follower.is_leader()
    assert "mentiondesk_leader 1.0" in httpx.get(leader.url + "/metrics").text
    assert "mentiondesk_leader 0.0" in httpx.get(follower.url + "/metrics").text

    world.x.post("2001", "@SkylarkHelp first question: can I bring skis?")
    wait_for(lambda: world.all(select(Case.id)), 20, "the leader polled X")
    leader.kill()  # kill -9 the leader
    wait_for(follower.is_leader, 15, "fail-over")
    world.x.post("2001", "@SkylarkHelp second question: and a surfboard?")
    wait_for(lambda: len(world.all(select(Case.id))) == 2, 20, "the new leader polled X")

    # PostgreSQL drops every connection (as in a restart): the replica reconnects and leads again.
    with world.engine.connect() as conn:
        conn.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                          "WHERE datname = current_database() AND pid <> pg_backend_pid()"))
    wait_for(lambda: "lost the database connection" in follower.log_path.read_text(), 20, "the drop noticed")
    wait_for(follower.is_leader, 20, "leadership after the connections dropped")
    assert follower.ingest(mention("after-drop", BAG)).status_code == 200

    leader.start()  # the old leader comes back as a follower
    assert not leader.is_leader()
    # SIGTERM: uvicorn stops taking requests, the lifespan finishes in-flight work and releases
    # leadership, then uvicorn re-raises the signal (exit status -15 after a clean shutdown).
    assert follower.terminate() in (0, -15)
    log = follower.log_path.read_text()
    assert "no longer the leader (shutting down)" in log and "Application shutdown complete" in log
    wait_for(leader.is_leader, 15, "hand-over after SIGTERM")
    wait_for(lambda: all(r.message_id for r in card_rows(world)) and len(card_rows(world)) == 3, 30, "cards")
    world.assert_promises(mentions=3)
    with world.session() as s:
        assert len(set(s.scalars(select(Case.id)))) == 3


def test_kill_during_a_timer(world):
    """The leader dies right after an escalation step is recorded (before its pings go out); the
    new leader catches up: every step of the chain happens, each exactly once."""
    world.escalation_path = Path(__file__).with_name("escalation.fast.yaml")
    a = world.replica("a").start(fault="timer_fired")
    wait_for(a.is_leader, 15, "a leads")
    b = world.replica("b").start()
    case_id = a.ingest(mention("m1", BAG)).json()["results"][0]["case_id"]
    assert a.died_by_sigkill(30)  # the first step's timer fired in a, which died right after recording it
    wait_for(b.is_leader, 15, "b takes over")

    def steps() -> list[str]:
        return [e.payload["key"] for e in world.all(select(Event).where(Event.case_id == case_id,
                                                                          Event.type == "escalation_step"))]
    wait_for(lambda: len(steps()) == 2, 30, "both escalation steps")
    assert len(set(steps())) == 2  # each step once, though two leaders ran the timers
    # b pinged Erin for the second step, once.
    wait_for(lambda: any("Erin" in m.get("text", "") or "U0ERIN0001" in m.get("text", "")
                         for ch in list(world.slack.messages) for m in world.slack.channel(ch)), 30, "ping")
    wait_for(lambda: all(r.message_id for r in card_rows(world)), 30, "card posted")
    world.assert_promises(mentions=1)


def test_timers_of_a_case_ingested_on_the_follower_fire(world):
    """Behind a load balancer half the webhook cases open on a follower: their escalation timers
    reach the shared job store and the leader runs them, each step once (issue 17, item 1)."""
    world.escalation_path = Path(__file__).with_name("escalation.fast.yaml")
    a = world.replica("a").start()
    wait_for(a.is_leader, 15, "a leads")
    b = world.replica("b").start()
    assert not b.is_leader()
    case_id = b.ingest(mention("m1", BAG)).json()["results"][0]["case_id"]  # opened on the follower

    def steps() -> list[str]:
        return [e.payload["key"] for e in world.all(select(Event).where(Event.case_id == case_id,
                                                                          Event.type == "escalation_step"))]
    wait_for(lambda: len(steps()) == 2, 30, "both escalation steps of the follower's case")
    assert len(set(steps())) == 2
    wait_for(lambda: any("U0ERIN0001" in m.get("text", "")
                         for ch in list(world.slack.messages) for m in world.slack.channel(ch)), 30, "Erin pinged")
    assert b.is_leader() is False  # no fail-over was needed for it
    wait_for(lambda: all(r.message_id for r in card_rows(world)), 30, "card posted")
    world.assert_promises(mentions=1)


def test_kill_between_reply_send_and_record_then_hundreds_of_brand_posts(world):
    """The relay is SIGKILLed after X accepted the reply; before it comes back the brand posts 150
    more replies in the same thread. The restarted relay still finds its reply (paging back to the
    attempt) and records it: not failed as duplicate content, not posted twice (issue 17, item 2)."""
    tweet = world.x.post("2001", BAG)
    a = world.replica("a").start(fault="reply_sent")
    b = world.replica("b", x_user_tokens=False).start()  # only a relays to X
    payload = mention(tweet["id"], BAG, handle="maria_travels")
    payload["author"]["id"] = "2001"
    case_id = post_until_accepted([b], payload)["results"][0]["case_id"]
    desk = CaseDesk(make_session_factory(world.engine))
    assert desk.run(cmd.Claim(), case_id, "slack", ANA).ok
    text = "So sorry, we are tracing your bag."
    assert desk.run(cmd.Reply(text=text, idempotency_key="fault-busy-reply"), case_id, "slack", ANA).ok
    assert a.died_by_sigkill()  # posted on X, killed before recording it
    for i in range(150):
        world.x.post(BRAND_ID, f"Update {i}: flights to Madrid are on time", in_reply_to=tweet["id"])
    a.start()
    wait_for(lambda: world.all(select(OutboxEntry))[0].state.value != "sending", LEASE_SECONDS * 10, "reconciled")
    entry = world.all(select(OutboxEntry))[0]
    assert entry.state.value == "sent", entry.last_error
    ours = [t for t in world.x.replies_to(tweet["id"]) if t["text"] == text]
    assert len(ours) == 1 and entry.external_id == ours[0]["id"]
    assert len(world.x.requests_to("/2/tweets", "POST")) == 1
