"""Editing the escalation map while the bot runs: valid edits apply, broken ones are refused
and the last valid map stays in force."""

from __future__ import annotations

import os

from escalation.live import LivePolicy, MapFile

V1 = "approval:\n  sensitive_topics: [safety]\n  blocked_keywords: [voucher]\n"
V2 = "approval:\n  sensitive_topics: [safety, refund]\n  blocked_keywords: [voucher, coupon]\n"


def test_edits_apply_without_restart_and_broken_edits_are_ignored(tmp_path, config):
    path = tmp_path / "esc.yaml"
    path.write_text(V1, encoding="utf-8")
    source = MapFile(path, config, check_every=0)
    policy = LivePolicy(source)
    assert policy.approval_reason("refund", "x") is None and policy.problems("a coupon", "x") == []

    path.write_text(V2, encoding="utf-8")
    os.utime(path, ns=(1, 10**18))  # make sure the change is visible even within one mtime tick
    assert policy.approval_reason("refund", "x") == "topic 'refund' is sensitive"
    assert policy.problems("a coupon", "x")

    path.write_text("approval:\n  sensitive_topics: [weather]\n", encoding="utf-8")
    os.utime(path, ns=(1, 2 * 10**18))
    assert policy.approval_reason("refund", "x")  # the broken edit changed nothing
    assert "esc.yaml:2" in source.last_error and "unknown topic 'weather'" in source.last_error
    assert source.reload() is False
