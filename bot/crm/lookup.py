"""The optional CRM lookup webhook, and the case opener that uses it.

``GET lookup_url`` (``{platform}`` and ``{handle}`` filled in, URL-encoded) must answer 200 with a
JSON object ``{"crm_id": "C-1", "tier": "gold", "value": 1200}`` (tier and value optional), or
404 for "no such customer". Anything else — a timeout, a refused connection, a 5xx, a body that
is not such an object — is a *failure*: the case goes ahead without CRM data and its card says
"CRM unavailable". Answers are cached for ``cache_seconds``; after a failure the CRM is not asked
again for ``failure_cache_seconds``, so a CRM that is down costs at most one timeout per that
period, never one per case.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import quote

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.config import Priority
from bot.core.config_crm import CrmSettings
from bot.crm.merge import by_crm_id, merge
from bot.crm.rescore import rescore_crm_factor
from storage import queries
from storage.models import Case, Customer, Mention

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class CrmRecord:
    crm_id: str
    tier: str | None = None
    value: float | None = None


@dataclass(frozen=True)
class LookupResult:
    record: CrmRecord | None  # None: not found, or failed (then ``failure`` says why)
    failure: str | None = None
    cached: bool = False


def parse_record(data: object) -> CrmRecord:
    """A CRM answer, or ValueError naming what is wrong with it."""
    if not isinstance(data, dict):
        raise ValueError("the answer is not a JSON object")
    crm_id = data.get("crm_id")
    if not isinstance(crm_id, (str, int)) or isinstance(crm_id, bool) or not str(crm_id).strip():
        raise ValueError("the answer has no crm_id")
    tier = data.get("tier")
    if tier is not None and not isinstance(tier, str):
        raise ValueError("tier is not text")
    value = data.get("value")
    if value is not None and (isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
                              or value < 0):
        raise ValueError("value is not a number ≥ 0")
    return CrmRecord(str(crm_id).strip()[:100], tier.strip().lower()[:50] if tier else None,
                     float(value) if value is not None else None)


class CrmLookup:
    def __init__(self, settings: CrmSettings, *, token: str | None = None, client: httpx.Client | None = None,
                 clock: Callable[[], float] = time.monotonic):
        if not settings.lookup_url:
            raise ValueError("crm.lookup_url is not set")
        self.settings, self.clock = settings, clock
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Bearer {token}"
        self.client = client or httpx.Client(timeout=settings.timeout_seconds, headers=headers, follow_redirects=False)
        self._cache: dict[tuple[str, str], tuple[float, LookupResult]] = {}
        self._down_until = 0.0
        self._down_reason = ""
        self._lock = threading.Lock()
        self.requests = 0  # how often the CRM was actually asked (for tests and stats)

    def url_for(self, platform: str, handle: str) -> str:
        return self.settings.lookup_url.format(platform=quote(platform, safe=""), handle=quote(handle, safe=""))

    def lookup(self, platform: str, handle: str) -> LookupResult:
        key = (platform, handle.lower())
        now = self.clock()
        with self._lock:
            hit = self._cache.get(key)
            if hit and hit[0] > now:
                return LookupResult(hit[1].record, hit[1].failure, cached=True)
            if self._down_until > now:
                return LookupResult(None, self._down_reason, cached=True)
        result = self._ask(platform, handle)
        with self._lock:
            if result.failure:
                self._down_until, self._down_reason = self.clock() + self.settings.failure_cache_seconds, result.failure
            else:
                self._cache[key] = (self.clock() + self.settings.cache_seconds, result)
        return result

    def _ask(self, platform: str, handle: str) -> LookupResult:
        self.requests += 1
        try:
            response = self.client.get(self.url_for(platform, handle), timeout=self.settings.timeout_seconds)
        except httpx.TimeoutException:
            return LookupResult(None, f"no answer within {self.settings.timeout_seconds:g} s")
        except httpx.HTTPError as exc:
            return LookupResult(None, f"cannot reach the CRM ({type(exc).__name__})")
        if response.status_code == 404:
            return LookupResult(None)
        if response.status_code != 200:
            return LookupResult(None, f"the CRM answered HTTP {response.status_code}")
        try:
            return LookupResult(parse_record(response.json()))
        except ValueError as exc:  # JSONDecodeError is a ValueError too
            reason = str(exc) if str(exc).startswith("the answer") or " is not " in str(exc) else "the answer is not JSON"
            return LookupResult(None, f"unreadable answer: {reason}")

    def close(self) -> None:
        self.client.close()


class CrmEnricher:
    """Case opener: look the customer up when we know no CRM record for them, attach the record
    (merging with a customer already holding that CRM id), re-score the case's CRM factor, and
    record the outcome as a ``crm_lookup`` event (the card shows a failure as "CRM unavailable")."""

    def __init__(self, lookup: CrmLookup, priority: Priority):
        self.lookup, self.priority = lookup, priority

    def case_opened(self, session: Session, case: Case) -> None:
        customer = session.get(Customer, case.customer_id) if case.customer_id else None
        if customer is None or customer.crm_id:
            return  # already known (CSV import, an earlier lookup): nothing to ask
        first = session.scalars(select(Mention).where(Mention.case_id == case.id).order_by(Mention.id).limit(1)).first()
        if first is None:
            return
        result = self.lookup.lookup(first.platform, first.author_handle)
        payload: dict = {"platform": first.platform, "handle": first.author_handle, "cached": result.cached}
        if result.failure:
            log.warning("CRM lookup failed for case %s: %s", case.id, result.failure)
            payload.update(ok=False, note=f"CRM unavailable: {result.failure}")
        elif result.record is None:
            payload.update(ok=True, found=False)
        else:
            record = result.record
            holder = by_crm_id(session, record.crm_id)
            if holder is not None and holder.id != customer.id:
                customer = merge(session, holder, customer)  # the same person, met on another platform
            customer.crm_id, customer.crm_tier = record.crm_id, record.tier or customer.crm_tier
            customer.crm_value = record.value if record.value is not None else customer.crm_value
            self._rescore(case, customer)
            payload.update(ok=True, found=True, crm_id=record.crm_id, tier=record.tier, value=record.value)
        queries.add_event(session, case.id, "crm_lookup", actor="crm", at=case.opened_at, payload=payload)
        session.flush()

    def _rescore(self, case: Case, customer: Customer) -> None:
        rescore_crm_factor(case, customer, self.priority)
