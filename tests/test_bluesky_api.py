"""Bluesky building blocks: record keys, AT-URIs, post records as mentions."""

from datetime import datetime, timezone

import pytest
from atproto_client.models.string_formats import TID_RE

from bot.feeds import blueskyapi

DID = "did:plc:customer00000000000000000"


def test_record_key_of_an_outbox_entry_is_a_valid_tid_the_same_on_every_attempt():
    made = datetime(2026, 12, 1, 22, 10, 5, 123456, tzinfo=timezone.utc)
    key = blueskyapi.tid_for(42, made)
    assert TID_RE.match(key)
    assert key == blueskyapi.tid_for(42, made.replace(tzinfo=None))  # SQLite hands back naive UTC
    assert key != blueskyapi.tid_for(43, made)
    # Later entries sort later, as record keys of posts should.
    assert blueskyapi.tid_for(1, made.replace(second=6)) > key


def test_uri_helpers_refuse_what_is_not_a_record_uri():
    uri = blueskyapi.post_uri(DID, "3kabc")
    assert blueskyapi.split_uri(uri) == (DID, "app.bsky.feed.post", "3kabc")
    assert blueskyapi.post_url(uri, "ann.bsky.social") == "https://bsky.app/profile/ann.bsky.social/post/3kabc"
    with pytest.raises(ValueError, match="not an AT-URI"):
        blueskyapi.split_uri("https://bsky.app/x")


def test_post_record_becomes_a_mention_with_thread_links_and_full_addresses():
    text = "Bag lost 🧳 see example.com/bag... @skylark.bsky.social"
    label = "example.com/bag..."
    start = text.encode().index(label.encode())
    record = {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-12-01T10:00:00.000Z", "langs": ["en"],
              "facets": [{"index": {"byteStart": start, "byteEnd": start + len(label.encode())},
                          "features": [{"$type": "app.bsky.richtext.facet#link", "uri": "https://example.com/bag/123"}]}],
              "reply": {"root": {"uri": "at://did:plc:root/app.bsky.feed.post/1", "cid": "c1"},
                        "parent": {"uri": "at://did:plc:parent/app.bsky.feed.post/2", "cid": "c2"}}}
    m = blueskyapi.record_to_mention(DID, "3kxyz", "bafycid", record,
                                     {"handle": "ann.bsky.social", "displayName": "Ann", "followersCount": 12},
                                     direct=True)
    assert m.text == "Bag lost 🧳 see https://example.com/bag/123 @skylark.bsky.social"
    assert m.external_id == f"at://{DID}/app.bsky.feed.post/3kxyz"
    assert m.conversation_id == "at://did:plc:root/app.bsky.feed.post/1"
    assert m.in_reply_to_id == "at://did:plc:parent/app.bsky.feed.post/2"
    assert (m.author_handle, m.author_id, m.author_name, m.author_followers) == ("ann.bsky.social", DID, "Ann", 12)
    assert m.url == "https://bsky.app/profile/ann.bsky.social/post/3kxyz"
    assert m.raw["cid"] == "bafycid" and m.lang == "en" and m.direct


def test_which_posts_the_brand_listens_for():
    from bot.core.config import load_config
    from bot.feeds.bluesky import Watch

    brand_did = "did:plc:brand"
    watch = Watch.build(load_config(None), {"Skylark Airways": brand_did})
    brand_post = f"at://{brand_did}/app.bsky.feed.post/3kbrand"

    def post(text="nothing to see", **extra):
        return {"$type": "app.bsky.feed.post", "text": text, "createdAt": "2026-12-01T10:00:00Z", **extra}

    mention = {"facets": [{"index": {"byteStart": 0, "byteEnd": 4},
                           "features": [{"$type": "app.bsky.richtext.facet#mention", "did": brand_did}]}]}
    assert watch.match(DID, post(**mention)) == (True, True)
    assert watch.match(DID, post(reply={"root": {"uri": brand_post, "cid": "c"},
                                        "parent": {"uri": "at://did:plc:x/app.bsky.feed.post/1", "cid": "c"}})) \
        == (True, True)
    assert watch.match(DID, post(embed={"$type": "app.bsky.embed.record", "record": {"uri": brand_post, "cid": "c"}})) \
        == (True, True)
    assert watch.match(DID, post(embed={"$type": "app.bsky.embed.recordWithMedia",
                                        "record": {"record": {"uri": brand_post, "cid": "c"}}})) == (True, True)
    assert watch.match(DID, post("so #flyskylark today")) == (True, False)  # a #tag in the text, no facet
    assert watch.match(DID, post("so#flyskylarkish")) == (False, False)
    assert watch.match(DID, post("so", tags=["FlySkylark"])) == (True, False)
    assert watch.match(DID, post("the Skylark app crashed")) == (True, False)  # keyword
    assert watch.match(DID, post("lunch")) == (False, False)
    assert watch.match(brand_did, post(**mention)) == (False, False)  # the brand's own post
    thread = "at://did:plc:x/app.bsky.feed.post/1"
    follow_up = post(reply={"root": {"uri": thread, "cid": "c"}, "parent": {"uri": thread, "cid": "c"}})
    assert watch.match(DID, follow_up) == (False, False)
    assert watch.match(DID, follow_up, {thread}) == (True, False)  # a thread we already hold
