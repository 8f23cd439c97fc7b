"""Bulk actions for a lead (issue 22 item 6): many cases, or an incident with its posts, resolved
with one template (filled per case), reassigned or marked not actionable, each case through its
own commands and recorded on its own; SQLite and PostgreSQL, desk and console."""

from __future__ import annotations

import re

from sqlalchemy import select

from bot.desk import commands as cmd
from bot.desk.bulk import run_bulk
from bot.desk.service import CaseDesk
from storage.db import transaction
from storage.models import Case, CaseState, Event, OutboxEntry
from tests.test_actions import ANA, DEV, open_case
from tests.test_web_console import console, csrf_of, login  # noqa: F401 - the fixture is used by name


def three_cases(runtime, desk) -> list[int]:
    ids = [open_case(runtime, text=f"@SkylarkAir my bag never arrived on SK{n}, please help", id=f"b{n}",
                     handle=f"flyer{n}") for n in (101, 102, 103)]
    assert desk.run(cmd.Claim(), ids[1], "slack", ANA).ok  # Ana's: the lead takes it over
    assert desk.run(cmd.Claim(), ids[2], "slack", DEV).ok  # the lead's own
    return ids


def types_of(runtime, case_id) -> list[str]:
    with runtime.sessions() as session:
        return list(session.scalars(select(Event.type).where(Event.case_id == case_id).order_by(Event.id)))[2:]


def test_a_lead_answers_and_resolves_many_cases_with_one_template_each_filled_and_recorded(runtime):
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    ids = three_cases(runtime, desk)
    outcomes = run_bulk(desk, "resolve", ids, "slack", DEV, batch_key="k1",
                        text="Hi {customer.name}, your bag is on its way (case {case.id}).")
    assert [(o.case_id, o.ok, o.words) for o in outcomes] == [(i, True, "answered and resolved") for i in ids]
    with runtime.sessions() as session:
        texts = {e.case_id: e.text for e in session.scalars(select(OutboxEntry))}
        assert all(session.get(Case, i).state == CaseState.RESOLVED for i in ids)
    assert texts == {i: f"Hi Flyer{n}, your bag is on its way (case {i})." for i, n in zip(ids, (101, 102, 103))}
    assert types_of(runtime, ids[0]) == ["claimed", "reply_queued", "resolved"]
    assert types_of(runtime, ids[1]) == ["claimed", "taken_over", "reply_queued", "resolved"]
    assert types_of(runtime, ids[2]) == ["claimed", "reply_queued", "resolved"]
    # The same form again queues nothing twice: the cases are closed, each says so.
    again = run_bulk(desk, "resolve", ids, "slack", DEV, batch_key="k1", text="Hi again")
    assert not any(o.ok for o in again)
    with runtime.sessions() as session:
        assert len(session.scalars(select(OutboxEntry)).all()) == 3


def test_only_leads_run_bulk_and_an_unfilled_prompt_stops_each_reply(runtime):
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    ids = three_cases(runtime, desk)
    assert {o.words for o in run_bulk(desk, "not_actionable", ids, "slack", ANA, batch_key="x")} == {
        "only leads run bulk actions"}
    canned = next(c.id for c in runtime.config.canned_responses if "{{" in c.text)
    outcomes = run_bulk(desk, "resolve", ids[2:], "slack", DEV, batch_key="k2", canned_id=canned)
    assert [(o.ok, o.words) for o in outcomes] == [(False, "fill in {{booking reference}} before sending")]
    with runtime.sessions() as session:
        assert session.get(Case, ids[2]).state == CaseState.CLAIMED


def test_an_incident_brings_its_posts_along_and_reassign_and_dismiss_go_case_by_case(runtime):
    desk = CaseDesk(runtime.sessions, config=runtime.config)
    parent, child, other = three_cases(runtime, desk)
    with transaction(runtime.sessions) as session:
        session.get(Case, child).parent_id = parent
    outcomes = run_bulk(desk, "not_actionable", [parent], "slack", DEV, batch_key="k3", reason="outage over")
    assert [(o.case_id, o.ok) for o in outcomes] == [(child, True), (parent, True)]  # children first
    with runtime.sessions() as session:
        reasons = session.scalars(select(Event.payload).where(Event.type == "not_actionable")).all()
    assert [r["reason"] for r in reasons] == ["outage over", "outage over"]
    moved = run_bulk(desk, "reassign", [other], "slack", DEV, batch_key="k4",
                     to_agent_id=desk.agent_by_platform_user("slack", ANA))
    assert [(o.ok, o.words) for o in moved] == [(True, "reassigned")]
    assert types_of(runtime, other)[-1] == "reassigned"


def test_the_console_bulk_form_runs_on_the_selected_cases(console):  # noqa: F811
    server, runtime, (first, second) = console
    dev, page = login(server.url, "Dev Patel")
    assert 'id="bulk-form"' in page.text and f'name="case" value="{first}" form="bulk-form"' in page.text
    token = csrf_of(page.text)
    nonce = re.search(r'name="nonce" value="([^"]+)"', page.text).group(1)
    page = dev.post("/console/bulk", data={"csrf": token, "nonce": nonce, "kind": "resolve",
                                           "case": [str(first), str(second)],
                                           "text": "Sorry {customer.handle}, fixed now."})
    assert "Bulk resolve: 2 case(s) done" in page.text
    with runtime.sessions() as session:
        texts = sorted(e.text for e in session.scalars(select(OutboxEntry)))
    assert texts == ["Sorry @evil_bag, fixed now.", "Sorry @late, fixed now."]
    ana, page = login(server.url, "Ana Ortiz")
    assert 'id="bulk-form"' not in page.text  # agents have no bulk form
    refused = ana.post("/console/bulk", data={"csrf": csrf_of(page.text), "kind": "not_actionable",
                                              "case": [str(first)]})
    assert "only leads run bulk actions" in refused.text
