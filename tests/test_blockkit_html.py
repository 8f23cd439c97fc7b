"""The README's card picture is drawn by docs/blockkit_html.py: it must show what the card says,
and a post's own markup as text."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "docs"))

from blockkit_html import blocks_html, message_page, mrkdwn  # noqa: E402

from handlers.slack.escape import mrkdwn as escape_mrkdwn  # noqa: E402


def test_mrkdwn_styles_links_mentions_and_quotes():
    html = mrkdwn("🔴 *P1* · _late_ · `SK12` <https://x.com/a/status/1?x=1&amp;y=2|X post> <@U1>\n> the post")
    assert "<b>P1</b>" in html and "<i>late</i>" in html and "<code>SK12</code>" in html
    assert '<a href="https://x.com/a/status/1?x=1&amp;y=2">X post</a>' in html
    assert '<span class="mention">@U1</span>' in html and "<blockquote>the post</blockquote>" in html
    assert "@Ana" in mrkdwn("<@U1>", user_name=lambda uid: "Ana")


def test_untrusted_text_is_shown_not_run():
    evil = escape_mrkdwn('<script>alert(1)</script> <img src=x onerror=alert(1)> & "quotes"')
    html = blocks_html([{"type": "section", "text": {"type": "mrkdwn", "text": f"> {evil}"}},
                        {"type": "context", "elements": [{"type": "plain_text", "text": "<b>plain</b>"}]}])
    assert "<script>" not in html and "<img" not in html and "<b>plain</b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "&amp;" in html and "&lt;b&gt;plain&lt;/b&gt;" in html


def test_buttons_and_page():
    blocks = [{"type": "actions", "elements": [
        {"type": "button", "text": {"type": "plain_text", "text": "Claim"}, "style": "primary"},
        {"type": "button", "text": {"type": "plain_text", "text": "Escalate"}}]}, {"type": "divider"}]
    page = message_page(blocks, channel="care-social", app_name="mentiondesk", time="10:02")
    assert '<span class="button primary">Claim</span>' in page and '<span class="button ">Escalate</span>' in page
    assert "<hr>" in page and "# care-social" in page and page.startswith("<!doctype html>")
