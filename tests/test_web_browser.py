"""The console in real headless Chromium (Debian's ``chromium``, driven by Playwright): log in,
claim a case, send a reply, watch the live queue change, screenshot the dashboard."""

from __future__ import annotations

import os
import shutil
from datetime import datetime, timedelta, timezone

import pytest
from playwright.sync_api import expect, sync_playwright
from sqlalchemy import select

from bot.desk.accounts import set_password
from bot.core.mention import parse_mention
from bot.app.server import create_app
from storage.models import Event, OutboxEntry
from tests.conftest import ServerThread, mention

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
PASSWORD = "correct horse battery"
# Like the PostgreSQL half (tests/conftest.py): a developer machine without Debian's chromium skips
# this test and says why; CI (``CI`` set) must run it, so there a missing browser fails.
REQUIRE_BROWSER = bool(os.environ.get("CI")) or os.environ.get("MENTIONDESK_REQUIRE_BROWSER") == "1"


@pytest.fixture(autouse=True)
def chromium_present():
    if os.access(CHROMIUM, os.X_OK):
        return
    if REQUIRE_BROWSER:
        pytest.fail(f"chromium required (CI) but not found at {CHROMIUM}: apt-get install chromium")
    pytest.skip(f"chromium not installed at {CHROMIUM} (apt-get install chromium; required with CI=1)")


@pytest.fixture(params=["sqlite"])  # the browser path is the same on both; the HTTP tests cover PostgreSQL
def served(request, config, tmp_path):
    from bot.app.runtime import Runtime

    runtime = Runtime.build(config, database=f"sqlite:///{tmp_path / 'browser.db'}")
    with runtime.sessions() as session, session.begin():
        for name in ("Ana Ortiz", "Ben Carter", "Farah Haddad"):
            set_password(session, name, PASSWORD)
    outcomes = runtime.ingest_batch([parse_mention(m) for m in [
        mention("b1", "@SkylarkAir my bag never arrived in Lisbon <img src=x onerror=alert(1)>", handle="lost_bag",
                created_at="2026-11-23T08:00:00Z"),
        mention("b2", "@SkylarkAir flight SK88 delayed 3 hours, need help with my connection", handle="late_one",
                created_at="2026-11-23T09:30:00Z"),
    ]])
    # Two older cases, so the dashboard has history to forecast from.
    for i, days in enumerate((2, 9)):
        then = datetime.now(timezone.utc) - timedelta(days=days)
        runtime.ingest_batch([parse_mention(mention(f"old{i}", "@SkylarkAir thanks for the lovely crew!", handle=f"happy{i}",
                                                    created_at=then.isoformat()))], now=then)
    with ServerThread(create_app(runtime)) as server:
        yield server, runtime, [o.case_id for o in outcomes]
    runtime.close()


def log_in(page, base: str, name: str) -> None:
    page.goto(f"{base}/console/login")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("heading", name="Open cases")).to_be_visible()


def test_claim_reply_live_queue_and_dashboard(served, tmp_path):
    server, runtime, (bag, late) = served
    dialogs: list[str] = []
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            ana = browser.new_page()
            ana.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            log_in(ana, server.url, "Ana Ortiz")
            ben = browser.new_context().new_page()
            log_in(ben, server.url, "Ben Carter")
            late_row_for_ben = ben.locator(f'tr[data-case="{late}"]')
            expect(late_row_for_ben.locator("td.assignee")).to_have_text("–")

            # Ana claims from the queue and lands on the case page, which shows her as owner.
            ana.locator(f'tr[data-case="{late}"]').get_by_role("button", name="Claim").click()
            expect(ana.locator(".flash.ok")).to_have_text(f"Case #{late}: claimed")
            expect(ana.locator("#case-state")).to_have_text("claimed")
            expect(ana.locator("#case-owner")).to_have_text("Ana Ortiz")

            # Ben's queue updates by itself (no reload): the row now shows Ana and no Claim button.
            expect(late_row_for_ben.locator("td.assignee")).to_have_text("Ana Ortiz", timeout=10_000)
            expect(late_row_for_ben.get_by_role("button", name="Claim")).to_have_count(0)

            # Ana replies with a canned response, edited.
            ana.locator("#canned").select_option(label="Apology for a delay")
            box = ana.locator("#reply-form textarea")
            expect(box).to_have_value("We're sorry your flight is delayed. Please DM us your booking reference "
                                      "and we'll check your options right away.")
            box.fill("Sorry about SK88! Please DM us your booking reference and we'll rebook your connection.")
            ana.get_by_role("button", name="Send reply").click()
            expect(ana.locator(".flash.ok")).to_have_text(f"Case #{late}: reply queued")
            expect(ana.locator("#replies .reply-state")).to_have_text(["pending"])
            expect(ana.locator("#history tr.ev-reply_queued")).to_have_count(1)

            # The untrusted post is shown as text: no image element, no script ran.
            ana.goto(f"{server.url}/console/cases/{bag}")
            expect(ana.locator("blockquote.post")).to_contain_text("<img src=x onerror=alert(1)>")
            assert ana.locator("blockquote.post img").count() == 0

            # The supervisor's dashboard, screenshotted for a person to look at.
            farah = browser.new_context(viewport={"width": 1400, "height": 900}).new_page()
            log_in(farah, server.url, "Farah Haddad")
            farah.get_by_role("link", name="Dashboard").click()
            expect(farah.get_by_role("heading", name="Supervisor dashboard")).to_be_visible()
            farah.get_by_role("link", name="30 days").click()
            expect(farah.locator("svg.chart")).to_have_count(4)
            shot = tmp_path / "dashboard.png"
            farah.screenshot(path=str(shot), full_page=True)
        finally:
            browser.close()
    assert dialogs == []
    assert shot.stat().st_size > 20_000
    print(f"dashboard screenshot: {shot}")
    with runtime.sessions() as session:
        events = session.scalars(select(Event).where(Event.case_id == late, Event.source == "web")
                                 .order_by(Event.id)).all()
        assert [(e.type, e.actor) for e in events] == [("claimed", "Ana Ortiz"), ("reply_queued", "Ana Ortiz")]
        assert session.scalars(select(OutboxEntry.text).where(OutboxEntry.case_id == late)).one().startswith("Sorry about SK88")
