"""Priority: a severity band plus a weighted sum of factors, with every contribution kept.

``score = band + Σ weight × factor``. The band comes first: ``priority.bands`` orders the
intents (crisis > urgent > complaint > question > the rest by default) and each band is worth
``band_points`` more than the one below it (by default the sum of the weights, 100, so that
no combination of factors can lift a post over the band above it). With the default weights (summing to 100) the
factors read as "out of 100" *within* the band, so the hundreds digit is the band and the rest
says how pressing the post is among its peers: influence, CRM value, waiting time and
negativity reorder the posts of one band but never lift a mild gripe over a safety post. The
stored explanation lists the band and each factor's value and points, so an agent can see
*why* a case is at the top ("urgent band +300, urgent need +36, 250k followers +9.4").
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from bot.core.config import Priority


@dataclass(frozen=True)
class CustomerContext:
    """What we know about the author before this mention (from storage or a CRM)."""

    earlier_contacts: int = 0
    has_open_case: bool = False
    crm_tier: str | None = None
    crm_value: float | None = None
    # The conversation already holds a case or a post of the brand (known from storage).
    in_brand_conversation: bool = False


@dataclass(frozen=True)
class Contribution:
    factor: str
    value: float  # 0..1
    weight: float
    points: float
    detail: str

    def as_dict(self) -> dict:
        # Spelled out: dataclasses.asdict deep-copies field by field, and with five of these per
        # case it was 40% of opening a case in ingest (every value here is immutable anyway).
        return {"factor": self.factor, "value": self.value, "weight": self.weight, "points": self.points,
                "detail": self.detail}

    def __str__(self) -> str:
        return f"{self.detail} (+{self.points:g})"


def _followers(n: int) -> str:
    if n >= 1_000_000:
        return f"{n / 1_000_000:.1f}M".replace(".0M", "M")
    if n >= 1_000:
        return f"{n / 1_000:.1f}k".replace(".0k", "k")
    return str(n)


def crm_factor(p: Priority, crm_value: float | None, crm_tier: str | None) -> tuple[float, str]:
    """The CRM factor (0..1) and its words: the larger of value and tier (also used to re-score a
    case when a CRM lookup answers after triage)."""
    crm, detail = 0.0, "no CRM record"
    if crm_value is not None:
        crm = min(1.0, max(0.0, crm_value) / p.crm_value_full)
        detail = f"CRM value {crm_value:g}"
    if crm_tier:
        tier_value = p.crm_tier_values.get(crm_tier.lower(), 0.0)
        if tier_value >= crm:
            crm, detail = tier_value, f"CRM tier {crm_tier}"
    return crm, detail


class PriorityScorer:
    def __init__(self, priority: Priority):
        self.p = priority
        bands = priority.bands
        # Bands from the top: the highest is worth band_points × (number of bands - 1).
        self._band_of = {intent: (band.name, len(bands) - 1 - rank)
                         for rank, band in enumerate(bands) for intent in band.intents}
        self._step = priority.band_step()
        self._band_weight = self._step * max(1, len(bands) - 1)

    def band(self, intent: str) -> Contribution | None:
        """The band's contribution: value = its height among the bands (0..1), weight = what the
        highest band is worth. ``None`` when bands are turned off (``priority.bands: []``)."""
        if not self.p.bands:
            return None
        name, height = self._band_of.get(intent, ("below every band", 0))
        value = height * self._step / self._band_weight
        return Contribution("band", round(value, 4), self._band_weight, round(height * self._step, 1),
                            f"{name} band" if height or intent in self._band_of else name)

    def score(self, *, intent: str, intent_label: str, sentiment_score: float, followers: int,
              verified: bool, context: CustomerContext, created_at: datetime, now: datetime
              ) -> tuple[float, list[Contribution]]:
        p, w = self.p, self.p.weights
        factors: list[tuple[str, float, float, str]] = []

        intent_value = p.intent_values.get(intent, 0.0)
        factors.append(("intent", intent_value, w.intent, intent_label))

        negativity = max(0.0, -sentiment_score)
        factors.append(("negativity", negativity, w.negativity, f"negative sentiment ({sentiment_score:+.2f})"))

        full = math.log10(p.influence_followers_full + 1)
        influence = min(1.0, math.log10(max(followers, 0) + 1) / full + (0.2 if verified else 0.0))
        detail = f"{_followers(followers)} followers" + (", verified" if verified else "")
        factors.append(("influence", influence, w.influence, detail))

        crm, crm_detail = crm_factor(p, context.crm_value, context.crm_tier)
        factors.append(("crm_value", crm, w.crm_value, crm_detail))

        open_value = 1.0 if context.has_open_case else 0.0
        factors.append(("open_conversation", open_value, w.open_conversation,
                        "open conversation with this customer"))

        minutes = max(0.0, (now - created_at).total_seconds() / 60)
        waiting = min(1.0, minutes / p.waiting_full_minutes)
        factors.append(("waiting", waiting, w.waiting, f"waiting {minutes:.0f} min"))

        contributions = [
            Contribution(name, round(value, 4), weight, round(weight * value, 1), detail)
            for name, value, weight, detail in factors
        ]
        band = self.band(intent)
        total = round(sum(c.weight * c.value for c in contributions) + (band.points if band else 0.0), 1)
        if band is not None:
            contributions.append(band)
        contributions.sort(key=lambda c: -c.points)
        return total, contributions
