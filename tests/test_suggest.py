"""Suggested answers (issue 22 item 3): canned responses and the team's past replies, filtered by
topic and language, ranked (TF-IDF without the model, the encoder when loaded), each with why;
shown in the Slack and Discord dialogs and the console; nothing is sent. SQLite and PostgreSQL."""

from __future__ import annotations

import numpy as np
from sqlalchemy import select

from bot.core.config import CannedResponse
from bot.desk import commands as cmd
from bot.desk.case_view import load_card
from bot.desk.service import CaseDesk
from bot.desk.suggest import EncoderRanker, TfidfRanker, suggest
from handlers.discord.modals import reply_modal as discord_reply_modal
from handlers.slack import modals
from storage.models import OutboxEntry
from tests.test_actions import ANA, open_case

DELAY = "@SkylarkAir my flight SK212 is delayed three hours, what are my options? please help"


def test_the_best_starting_points_come_with_why_and_nothing_is_sent(runtime):
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    earlier = open_case(runtime, text="@SkylarkAir flight SK88 delayed again, will I miss my connection? help",
                        id="s1", handle="first")
    assert desk.run(cmd.Claim(), earlier, "slack", ANA).ok
    past = "So sorry about SK88, we have protected your connection: check the app for the new gate."
    assert desk.run(cmd.Reply(text=past, idempotency_key="p1"), earlier, "slack", ANA).ok
    case_id = open_case(runtime, text=DELAY, id="s2", handle="second")
    with runtime.sessions() as session:
        outbox_before = len(session.scalars(select(OutboxEntry)).all())

    found = desk.suggestions(case_id)
    assert found.ranking == "tf-idf" and len(found.items) == 3
    kinds = {s.kind: s for s in found.items}
    assert "apology_delay" in [s.canned_id for s in found.items]
    assert kinds["past_reply"].text == past and kinds["past_reply"].case_id == earlier
    assert kinds["past_reply"].why.startswith(f"the team's reply to a similar post on case #{earlier}; similarity ")
    assert all(s.why.endswith("(tf-idf)") for s in found.items)
    with runtime.sessions() as session:
        assert len(session.scalars(select(OutboxEntry)).all()) == outbox_before  # suggesting sends nothing
        view = load_card(session, case_id)
    modal = modals.reply_modal(view, runtime.config.canned_responses, 280, None, suggestions=found)
    assert "Suggested starting points* (ranked by tf-idf" in modal["blocks"][1]["elements"][0]["text"]
    dialog = discord_reply_modal(case_id, "x", runtime.config.canned_responses, 280,
                                 suggested=[s.canned_id for s in found.items if s.canned_id])
    select_ = dialog.children[1].component
    best = next(s.canned_id for s in found.items if s.canned_id)
    assert select_.options[0].value == best and select_.options[0].label.startswith("★ ")


def test_topic_and_language_filter_the_candidates_and_the_encoder_ranks_when_loaded(runtime):
    case_id = open_case(runtime, text=DELAY, id="s3", handle="third", lang="en")
    canned = [CannedResponse(id="bags", title="Bags", text="We will trace your bag.", topics=["lost_luggage"]),
              CannedResponse(id="delay_es", title="Retraso", text="Sentimos el retraso de su vuelo.", language="es"),
              CannedResponse(id="delay_en", title="Delay", text="Sorry your flight is delayed.", language="en"),
              CannedResponse(id="any", title="DM", text="Please DM us.")]

    class Encoder:  # stands in for the MiniLM encoder: "delay" words point one way
        def encode(self, texts):
            return np.array([[1.0, 0.0] if "delay" in t.lower() else [0.0, 1.0] for t in texts])

    with runtime.sessions() as session:
        tfidf = suggest(session, case_id, canned, TfidfRanker())
        encoded = suggest(session, case_id, canned, EncoderRanker(Encoder()))
    assert {s.canned_id for s in tfidf.items} == {"delay_en", "any"}  # no bags topic, no Spanish
    assert encoded.ranking == "encoder" and encoded.items[0].canned_id == "delay_en"
    assert encoded.items[0].why == "canned response; similarity 1.00 (encoder)"


def test_the_console_reply_form_lists_the_suggestions(runtime):
    from bot.app.server import create_app
    from tests.conftest import ServerThread
    from tests.test_web_console import login, seed

    cases = seed(runtime)
    with ServerThread(create_app(runtime)) as server:
        client, page = login(server.url, "Ana Ortiz")
        token = __import__("re").search(r'name="csrf" value="([^"]+)"', page.text).group(1)
        page = client.post(f"/console/cases/{cases[1]}/claim", data={"csrf": token})
    assert 'id="suggestions"' in page.text and "Apology for a delay" in page.text and "(tf-idf)" in page.text
