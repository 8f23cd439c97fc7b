"""Bluesky cases on the cards and in the Reply dialogs: the platform and a link to the post, the
platform's length limit, and private replies offered only when the app password allows DMs."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk.case_view import load_card
from bot.relay.bluesky import NO_DMS
from bot.relay.capabilities import private_reply_unavailable
from bot.desk.reply_policy import ReplyPolicy
from handlers.discord import modals as discord_modals
from handlers.discord.render import render_embed
from handlers.slack.cards import render_card
from handlers.slack.modals import reply_modal
from storage.models import Case
from tests.bluesky_helpers import CUSTOMER, bluesky_runtime, fake_bsky  # noqa: F401
from tests.fakes.bluesky import BRAND_DID
from tests.test_bluesky_relay import ingest_live


def bluesky_card(config, database_url, fake, **source):
    runtime = bluesky_runtime(config, database_url, fake, backfill=False, **source)
    post = fake.post(CUSTOMER, "@skylark.bsky.social my bag never arrived on SK212 <!channel>, please help",
                     mention=BRAND_DID)
    ingest_live(runtime, fake)
    with runtime.sessions() as s:
        return runtime, load_card(s, s.scalars(select(Case.id)).one()), post


def visibility_options(modal: dict) -> list[str]:
    block = next(b for b in modal["blocks"] if b.get("block_id") == "reply_visibility")
    return [o["value"] for o in block["element"]["options"]]


def test_the_card_names_bluesky_and_links_the_post(config, database_url, fake_bsky):
    runtime, view, post = bluesky_card(config, database_url, fake_bsky)
    try:
        rkey = post["uri"].rsplit("/", 1)[1]
        url = f"https://bsky.app/profile/maria.bsky.social/post/{rkey}"
        assert view.platform == "bluesky" and view.url == url
        slack = str(render_card(view))
        assert f"<{url}|Bluesky post>" in slack
        assert "<!channel>" not in slack and "&lt;!channel&gt;" in slack  # untrusted text escaped
        assert render_embed(view).url == url
        assert ReplyPolicy().limit_for("bluesky") == 300
    finally:
        runtime.close()


@pytest.mark.parametrize("direct_messages", [False, True])
def test_the_reply_dialogs_offer_private_only_when_the_app_password_allows_dms(config, database_url, fake_bsky,
                                                                             direct_messages):
    runtime, view, _ = bluesky_card(config, database_url, fake_bsky, direct_messages=direct_messages)
    try:
        unavailable = private_reply_unavailable(runtime.config, "bluesky")
        assert unavailable == (None if direct_messages else NO_DMS)
        assert private_reply_unavailable(runtime.config, "x") is None
        modal = reply_modal(view, [], 300, None, unavailable)
        assert "At most 300 characters on bluesky" in str(modal)
        if direct_messages:
            assert visibility_options(modal) == ["public", "private"]
        else:
            assert visibility_options(modal) == ["public"]
            assert "No private message on bluesky" in str(modal) and "direct messages" in str(modal)
        dialog = discord_modals.reply_modal(view.case_id, "bluesky", [], 300, unavailable)
        select_ = [item for item in dialog.walk_children() if getattr(item, "custom_id", None) == "visibility"][0]
        assert [o.value for o in select_.options] == (["public", "private"] if direct_messages else ["public"])
    finally:
        runtime.close()


def test_the_console_reply_form_offers_private_only_when_bluesky_dms_are_allowed(config, database_url, fake_bsky):
    from bot.desk.accounts import set_password
    from bot.app.server import create_app
    from tests.conftest import ServerThread
    from tests.test_web_console import PASSWORD, csrf_of, login

    runtime, view, _ = bluesky_card(config, database_url, fake_bsky)
    try:
        with runtime.sessions() as session, session.begin():
            set_password(session, "Ana Ortiz", PASSWORD)
        with ServerThread(create_app(runtime)) as server:
            client, _ = login(server.url, "Ana Ortiz")
            page = client.get(f"/console/cases/{view.case_id}")
            page = client.post(f"/console/cases/{view.case_id}/claim", data={"csrf": csrf_of(page.text)})
            assert 'value="public"' in page.text and 'value="private"' not in page.text
            assert "No private message on bluesky" in page.text and "direct messages" in page.text
            client.close()
    finally:
        runtime.close()


def test_a_private_reply_that_bluesky_cannot_take_is_named_on_the_card(config, database_url, fake_bsky):
    from bot.desk.service import CaseDesk
    from tests.test_bluesky_relay import ANA, new_relay

    runtime, view, _ = bluesky_card(config, database_url, fake_bsky)
    try:
        desk = CaseDesk(runtime.sessions)
        assert desk.run(cmd.Claim(), view.case_id, "slack", ANA).ok
        assert desk.run(cmd.Reply(text="Please DM us your booking reference.", visibility="private", idempotency_key="card-dm"), view.case_id, "slack", ANA).ok
        assert [r.event for r in new_relay(runtime).run_once()] == ["reply_failed"]
        with runtime.sessions() as s:
            card = load_card(s, view.case_id)
        assert card.reply_error == NO_DMS
        slack = str(render_card(card))
        assert "private replies on Bluesky need an app password created with access to direct messages" in slack
        embed = render_embed(card).to_dict()
        assert "direct messages" in str(embed)
    finally:
        runtime.close()
