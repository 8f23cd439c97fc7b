"""The team's configuration: one YAML file, validated with pydantic.

What the file holds: brands to listen for, triage vocabulary (customer-service triggers,
industry terms, topics, spam thresholds), priority weights, teams and their channels,
agents and roles, canned responses and input limits. Secrets never live here: tokens come
from environment variables (see ``bot.core.settings``), and an unknown key such as ``slack_token``
is refused with its line number.

``load_config(path)`` raises :class:`ConfigError` naming the file, the line and the problem.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from bot.core.config_crm import CrmSettings, KnownCustomer
from bot.core.config_routing import RoutingConfig, cross_check as routing_cross_check
from bot.core.yaml_source import LocatedYaml, SourceError, load_yaml_with_lines
from bot.core.config_privacy import RetentionSettings
from bot.core.templates import template_problems

TIER_NAMES = ("tier1", "tier2", "noise", "spam")
INTENTS = ("crisis", "urgent", "complaint", "question", "praise", "general", "industry", "noise", "spam")
ROLES = ("agent", "lead", "pr", "supervisor")
PLATFORMS = ("x", "webhook", "discord", "slack", "instagram", "facebook", "mastodon", "bluesky")


class ConfigError(SourceError):
    """An invalid configuration file; its message names the file, line and problem."""


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


def _non_empty_terms(values: list[str]) -> list[str]:
    cleaned = [v.strip() for v in values]
    for v in cleaned:
        if not v:
            raise ValueError("empty term in list")
    return cleaned


class Brand(Strict):
    name: str = Field(min_length=1)
    handles: list[str] = Field(default_factory=list, description="Accounts of the brand, e.g. @SkylarkAir")
    hashtags: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    patterns: list[str] = Field(default_factory=list,
                                description="Regular expressions that also name the brand, e.g. flight numbers")
    start_date: date | None = Field(default=None, description="Ignore backlog older than this day")
    x_account: str | None = Field(default=None, pattern=r"^@?[A-Za-z0-9_]{1,15}$",
                                  description="The brand's X username: its mentions are polled and replies sent "
                                              "from it (default: the first handle)")

    bluesky_account: str | None = Field(
        default=None, pattern=r"^@?[A-Za-z0-9][A-Za-z0-9.-]{0,252}$|^did:[a-z]+:[A-Za-z0-9._:%-]{1,200}$",
        description="The brand's Bluesky handle (skylark.bsky.social) or DID: posts that mention it or reply to it "
                    "are picked from the firehose")

    def x_username(self) -> str | None:
        name = self.x_account or (self.handles[0] if self.handles else None)
        return name.lstrip("@") if name else None

    @field_validator("handles")
    @classmethod
    def _handles(cls, values: list[str]) -> list[str]:
        out = []
        for v in _non_empty_terms(values):
            handle = v if v.startswith("@") else "@" + v
            if not re.fullmatch(r"@[A-Za-z0-9_.]{1,50}", handle):
                raise ValueError(f"{v!r} is not a valid handle (letters, digits, _ and . only)")
            out.append(handle)
        return out

    @field_validator("hashtags")
    @classmethod
    def _hashtags(cls, values: list[str]) -> list[str]:
        out = []
        for v in _non_empty_terms(values):
            tag = v if v.startswith("#") else "#" + v
            if not re.fullmatch(r"#\w{1,100}", tag):
                raise ValueError(f"{v!r} is not a valid hashtag")
            out.append(tag)
        return out

    @field_validator("keywords")
    @classmethod
    def _keywords(cls, values: list[str]) -> list[str]:
        return _non_empty_terms(values)

    @field_validator("patterns")
    @classmethod
    def _patterns(cls, values: list[str]) -> list[str]:
        for v in values:
            try:
                compiled = re.compile(v)
            except re.error as exc:
                raise ValueError(f"{v!r} is not a valid regular expression: {exc}") from None
            if compiled.search(""):
                raise ValueError(f"{v!r} matches the empty string, so it would match every post")
        return values


class SpamRules(Strict):
    promo_words: list[str] = Field(
        default_factory=lambda: [
            # giveaways, crypto and get-rich schemes
            "giveaway", "giving away", "airdrop*", "crypto", "nft", "free mint", "btc", "double your",
            "connect wallet", "not financial advice", "trading signals", "ask me how", "make money",
            "earn $", "side hustle", "sidehustle", "you've been selected", "claim now", "claim at",
            "claim your", "win an iphone", "congrats!", "generator", "no survey", "one trick",
            # follower schemes and engagement bait
            "follow back", "follow for follow", "followforfollow*", "f4f", "follow train", "followtrain",
            "followback", "ifollowback", "follow me back", "i follow back", "follow me", "follow everyone",
            "followers today", "free followers", "real followers", "likeforlike", "gainparty", "promote it",
            # deals and SEO
            "click here", "dm for promo", "promo code", "discount code", "cheap flights", "flash sale",
            "limited offer", "limited stock", "% off", "book now", "100% free", "free money", "no experience needed",
            "cheap and fast", "helpline", "toll free", "free consultation", "refunds being sent", "dm me", "dm now", "seats left", "not a scam", "seo services", "rank your website",
            # romance and phishing
            "whatsapp me", "be friends", "card details", "card number", "6-digit code", "login here",
            "complete verification", "verify your", "check my bio", "address in bio",
        ]
    )
    max_links: int = Field(default=2, ge=1, description="This many links or more is a promo signal")
    max_hashtags: int = Field(default=5, ge=1, description="More hashtags than this is stuffing")
    max_mentions: int = Field(default=4, ge=1, description="More @handles than this is mass-tagging")
    repeat_threshold: int = Field(default=3, ge=2, description="Same text from this many posts is spam")
    bot_followers_below: int = Field(default=5, ge=0)
    spam_threshold: float = Field(default=1.0, gt=0, description="Sum of spam signals at which a post is spam")


class RetrainSettings(Strict):
    """The leader's scheduled retrain on the desk's own history (`mentiondesk train --from-desk`)."""

    enabled: bool = Field(default=False, description="Retrain the heads on the desk's history on a schedule "
                                                     "(in the elected leader only); off by default")
    every: str | None = Field(default=None, description="Interval between retrains, e.g. 7d, 36h, 90m "
                                                        "(instead of weekday/at)")
    weekday: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] | None = Field(
        default=None, description="Day of the weekly retrain (with `at`); default sun when `every` is not set")
    at: str | None = Field(default=None, description="Time of day (HH:MM, UTC) of the weekly retrain; default 03:00")
    min_cases: int = Field(default=50, ge=1, description="No retrain with fewer labeled desk cases than this")
    reload_check_seconds: float = Field(
        default=60.0, ge=1.0, description="How often every replica checks the heads folder for a newly installed "
                                          "set and reloads its classifier")

    @field_validator("every")
    @classmethod
    def _every(cls, value: str | None) -> str | None:
        if value is not None:
            parse_every(value)
        return value

    @field_validator("at")
    @classmethod
    def _at(cls, value: str | None) -> str | None:
        if value is not None and not re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d", value):
            raise ValueError(f"{value!r} is not a time of day as HH:MM (UTC)")
        return value

    @model_validator(mode="after")
    def _one_schedule(self) -> "RetrainSettings":
        if self.every is not None and (self.weekday is not None or self.at is not None):
            raise ValueError("set either every (an interval) or weekday/at (a weekly time), not both")
        return self


def parse_every(value: str) -> timedelta:
    """``7d``, ``36h``, ``90m`` -> a timedelta (at least 10 minutes: a retrain takes minutes)."""
    found = re.fullmatch(r"\s*(\d+)\s*([dhm])\s*", value or "")
    if not found:
        raise ValueError(f"{value!r} is not an interval such as 7d, 36h or 90m")
    amount, unit = int(found.group(1)), found.group(2)
    delta = timedelta(**{{"d": "days", "h": "hours", "m": "minutes"}[unit]: amount})
    if delta < timedelta(minutes=10):
        raise ValueError(f"{value!r} is too short: retrain at most every 10 minutes")
    return delta


class ModelSettings(Strict):
    # On by default: the package ships heads trained on the project's own corpus (MODEL_CARD.md).
    use: Literal["auto", "rules"] = Field(
        default="auto", description="auto: the rules + model cascade (the shipped heads, or your own); rules: never "
                                    "the model")
    heads_dir: str | None = Field(default=None, description="Heads to use instead of the shipped ones (default "
                                  "$MENTIONDESK_MODEL_DIR, else models/heads when `train` wrote there, else shipped)")
    topic_map: dict[str, str] = Field(default_factory=dict,
                                      description="Model topic label -> configured topic, used when no keyword matched "
                                                  "(a label named like a configured topic maps to it by itself)")
    spam_drop_probability: float | None = Field(
        default=None, ge=0.5, le=1.0,
        description="The spam head drops a post only when at least this sure, never one the complaint head is "
                    "confident of, nor, below 0.95, one with complaint words or a clearly negative tone (unset: "
                    "the probability chosen in training, 98% precise "
                    "on its tuning split, but at least 0.7; 1.0: the spam head never drops anything)")
    backend: Literal["auto", "onnx", "torch"] = Field(
        default="auto",
        description="Where the encoder runs: auto/onnx: ONNX Runtime when installed and the heads hold an export "
                    "(same embeddings, faster on CPU), else torch; torch: always torch")
    abusive_at: float = Field(
        default=0.5, gt=0, le=1.0,
        description="A model's abusive probability (when its heads give one) from which a post is flagged abusive, "
                    "whatever the abuse lexicon found")
    screen: bool = Field(
        default=True,
        description="Let the n-gram screen settle posts it is sure about (not a complaint, not spam, clear "
                    "sentiment) without the encoder; false: every post the model could change is encoded")
    retrain: RetrainSettings = Field(default_factory=RetrainSettings,
                                     description="Scheduled retrain on the desk's own history (leader only)")


class TriageRules(Strict):
    triggers: list[str] = Field(
        default_factory=lambda: ["help", "need assistance", "assist", "support", "how do i", "how can i",
                                 "can you", "could you", "anyone know"],
        description="Customer-service trigger words: a post with one asks for help",
    )
    industry_keywords: list[str] = Field(default_factory=list, description="Indirect industry references")
    topics: dict[str, list[str]] = Field(default_factory=dict, description="topic name -> keywords")
    crisis_words: list[str] = Field(default_factory=list, description="Added to the built-in crisis lexicon")
    urgent_words: list[str] = Field(default_factory=list, description="Added to the built-in urgency lexicon")
    complaint_words: list[str] = Field(default_factory=list, description="Added to the built-in complaint lexicon")
    abuse_words: list[str] = Field(
        default_factory=list,
        description="Added to the built-in insult lexicon (bot/triage/abuse.py): flagged abusive when aimed at the "
                    "brand or its staff, not when the writer means themself")
    spam: SpamRules = Field(default_factory=SpamRules)
    open_case_tiers: list[Literal["tier1", "tier2"]] = Field(default_factory=lambda: ["tier1", "tier2"])
    max_text_chars: int = Field(default=10_000, ge=280, description="Longer mention text is refused")
    model: ModelSettings = Field(default_factory=ModelSettings)

    @model_validator(mode="after")
    def _topic_map_targets(self) -> "TriageRules":
        unknown = sorted(set(self.model.topic_map.values()) - set(self.topics))
        if unknown:
            raise ValueError(f"model.topic_map points at unknown topic(s) {', '.join(unknown)}; "
                             f"configured topics: {', '.join(self.topics) or 'none'}")
        return self

    @field_validator("abuse_words")
    @classmethod
    def _abuse_words(cls, values: list[str]) -> list[str]:
        return _non_empty_terms(values)

    @field_validator("topics")
    @classmethod
    def _topics(cls, value: dict[str, list[str]]) -> dict[str, list[str]]:
        for name, words in value.items():
            if not re.fullmatch(r"[a-z0-9_]{1,64}", name):
                raise ValueError(f"topic name {name!r}: use lower-case letters, digits and _")
            if not words:
                raise ValueError(f"topic {name!r} has no keywords")
            _non_empty_terms(words)
        return value


class PriorityWeights(Strict):
    intent: float = Field(default=40, ge=0)
    negativity: float = Field(default=20, ge=0)
    influence: float = Field(default=12, ge=0)
    crm_value: float = Field(default=10, ge=0)
    open_conversation: float = Field(default=8, ge=0)
    waiting: float = Field(default=10, ge=0)


class PriorityBand(Strict):
    name: str = Field(min_length=1, max_length=40)
    intents: list[str] = Field(min_length=1)


def _default_bands() -> list[PriorityBand]:
    return [PriorityBand(name=name, intents=intents) for name, intents in (
        ("crisis", ["crisis"]), ("urgent", ["urgent"]), ("complaint", ["complaint"]),
        ("question", ["question"]), ("other", ["praise", "general", "industry"]))]


class Priority(Strict):
    weights: PriorityWeights = Field(default_factory=PriorityWeights)
    # Severity bands, highest first. A post's band adds band_points for every band below it, so
    # the weighted factors (at most the sum of the weights) order posts *within* a band and can
    # never lift one over a higher band: a celebrity's cold coffee stays below smoke in the cabin.
    bands: list[PriorityBand] = Field(default_factory=_default_bands,
                                      description="Severity bands, highest first; [] turns bands off")
    band_points: float | None = Field(default=None, gt=0,
                                      description="Points between two adjacent bands (default: the sum of the weights)")

    def band_step(self) -> float:
        """What one band is worth over the one below it: at least every factor's weight together."""
        return self.band_points if self.band_points is not None else float(sum(self.weights.model_dump().values()))
    intent_values: dict[str, float] = Field(
        default_factory=lambda: {"crisis": 1.0, "urgent": 0.9, "complaint": 0.75, "question": 0.6,
                                 "praise": 0.25, "general": 0.15, "industry": 0.1}
    )
    influence_followers_full: int = Field(default=1_000_000, ge=10, description="Followers that count as full influence")
    crm_value_full: float = Field(default=5_000, gt=0, description="CRM value that counts as full")
    crm_tier_values: dict[str, float] = Field(
        default_factory=lambda: {"platinum": 1.0, "gold": 0.75, "silver": 0.5, "bronze": 0.25}
    )
    waiting_full_minutes: float = Field(default=120, gt=0, description="Waiting this long counts fully")

    @field_validator("intent_values")
    @classmethod
    def _intent_values(cls, value: dict[str, float]) -> dict[str, float]:
        for name, v in value.items():
            if name not in INTENTS:
                raise ValueError(f"unknown intent {name!r}; known: {', '.join(INTENTS)}")
            if not 0 <= v <= 1:
                raise ValueError(f"intent value for {name!r} must be between 0 and 1")
        return value

    @model_validator(mode="after")
    def _bands_are_strict(self) -> "Priority":
        seen: dict[str, str] = {}
        for band in self.bands:
            for intent in band.intents:
                if intent not in INTENTS or intent in ("noise", "spam"):
                    raise ValueError(f"priority band {band.name!r}: unknown intent {intent!r}; known: "
                                     f"{', '.join(i for i in INTENTS if i not in ('noise', 'spam'))}")
                if intent in seen:
                    raise ValueError(f"intent {intent!r} is in two priority bands ({seen[intent]!r} and {band.name!r})")
                seen[intent] = band.name
        names = [b.name for b in self.bands]
        if len(set(names)) != len(names):
            raise ValueError(f"priority band names must differ: {', '.join(names)}")
        total = sum(self.weights.model_dump().values())
        if self.bands and self.band_points is not None and self.band_points < total:
            raise ValueError(f"priority.band_points ({self.band_points:g}) must be at least the sum of the weights "
                             f"({total:g}), or the factors could lift a post over a higher band")
        return self


class Channels(Strict):
    slack: str | None = Field(default=None, description="Slack channel id, e.g. C0123456")
    discord: str | None = Field(default=None, description="Discord channel id (digits)")

    @field_validator("slack")
    @classmethod
    def _slack(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"[CG][A-Z0-9]{4,20}", v):
            raise ValueError(f"{v!r} is not a Slack channel id (like C0123ABCD); find it in the channel's details")
        return v

    @field_validator("discord")
    @classmethod
    def _discord(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{5,25}", str(v)):
            raise ValueError(f"{v!r} is not a Discord channel id (digits only)")
        return v


class Team(Strict):
    name: str = Field(min_length=1, max_length=100)
    channels: Channels = Field(default_factory=Channels)
    topics: list[str] = Field(default_factory=list, description="Topics routed to this team")
    default: bool = False


class Agent(Strict):
    name: str = Field(min_length=1)
    role: Literal["agent", "lead", "pr", "supervisor"] = "agent"
    teams: list[str] = Field(default_factory=list)
    slack_user_id: str | None = None
    discord_user_id: str | None = None
    email: str | None = None
    skills: list[str] = Field(default_factory=list)


class DiscordRoles(Strict):
    """Discord role ids whose members act as agent / lead / pr / supervisor (see README "Connect to Discord")."""

    agent: list[str] = Field(default_factory=list)
    lead: list[str] = Field(default_factory=list)
    pr: list[str] = Field(default_factory=list)
    supervisor: list[str] = Field(default_factory=list)

    @field_validator("agent", "lead", "pr", "supervisor")
    @classmethod
    def _ids(cls, values: list[str]) -> list[str]:
        for v in values:
            if not re.fullmatch(r"\d{5,25}", str(v)):
                raise ValueError(f"{v!r} is not a Discord role id (digits only; Server Settings → Roles → Copy Role ID)")
        return [str(v) for v in values]


class DiscordSettings(Strict):
    guild_id: str | None = Field(default=None, description="Only presses from this Discord server count")
    roles: DiscordRoles = Field(default_factory=DiscordRoles)

    @field_validator("guild_id")
    @classmethod
    def _guild(cls, v: str | None) -> str | None:
        if v is not None and not re.fullmatch(r"\d{5,25}", str(v)):
            raise ValueError(f"{v!r} is not a Discord server id (digits only)")
        return v


class CannedResponse(Strict):
    """A reply template: ``{customer.name}``-style variables and ``{{fill-in prompts}}`` (bot/core/templates.py)."""

    id: str = Field(pattern=r"^[a-z0-9_\-]{1,64}$")
    title: str = Field(min_length=1)
    text: str = Field(min_length=1, max_length=2000)
    topics: list[str] = Field(default_factory=list, description="Suggested only for cases on these topics (none: any)")
    language: str | None = Field(default=None, max_length=16,
                                 description="Suggested only for posts in this language, e.g. en (none: any)")

    @field_validator("text")
    @classmethod
    def _template(cls, v: str) -> str:
        if problems := template_problems(v):
            raise ValueError("; ".join(problems))
        return v


class XSource(Strict):
    """Polling X (API v2) when X_BEARER_TOKEN is set; replies go out through the relay."""

    poll: bool = Field(default=True, description="Poll X when X_BEARER_TOKEN is set")
    poll_interval_seconds: float = Field(default=60, ge=5, description="Shortest time between two polls of a query")
    search: bool = Field(default=True, description="Also search recent posts for the brand's hashtags and keywords")
    monthly_read_quota: int | None = Field(
        default=None, ge=1, description="Posts your X plan lets you read per month; polling slows down to stay under it")
    page_size: int = Field(default=100, ge=10, le=100, description="Posts per request (X allows 10 to 100)")
    max_pages: int = Field(default=5, ge=1, le=50, description="Pages read per poll at most")
    relay_attempts: int = Field(default=5, ge=1, description="Sends tried before a reply is marked failed")
    thank_you_response: str | None = Field(
        default=None, description="Canned response id for the public thank-you after a private resolution")


class LoginThrottleRules(Strict):
    """Console login throttling (bot/desk/login_throttle.py): after ``max_failures`` failed logins for a
    name (``max_address_failures`` from one client address) the next attempts are refused for
    ``lockout_seconds``, doubling with each further failure up to ``max_lockout_seconds``."""

    max_failures: int = Field(default=5, ge=1, description="Failed logins for one name before it is locked")
    max_address_failures: int = Field(default=20, ge=1,
                                      description="Failed logins from one client address before it is locked")
    lockout_seconds: float = Field(default=30, gt=0, description="The first lockout; each further failure doubles it")
    max_lockout_seconds: float = Field(default=3600, gt=0, description="The longest lockout")
    forget_after_seconds: float = Field(default=3600, gt=0,
                                        description="Failures older than this (and no lockout running) start again at 0")


class ConsoleSettings(Strict):
    login_throttle: LoginThrottleRules = Field(default_factory=LoginThrottleRules)


class MastodonSource(Strict):
    """Streaming one Mastodon instance as the brand's account when MENTIONDESK_MASTODON_ACCESS_TOKEN is set."""

    base_url: str | None = Field(default=None, pattern=r"^https?://[^\s/]+(/.*)?$",
                                 description="The instance, e.g. https://mastodon.social "
                                             "(MENTIONDESK_MASTODON_BASE_URL overrides it)")
    brand: str | None = Field(default=None, description="The brand the account answers for (default: the first)")
    hashtags: bool = Field(default=True, description="Also stream (and backfill) the brand's hashtags")
    search: bool = Field(default=True, description="Also search the brand's keywords, where the instance allows it")
    search_interval_seconds: float = Field(default=120, ge=10, description="Between two keyword searches")
    backfill_pages: int = Field(default=5, ge=1, le=50, description="Pages (40 posts) read per stream on a reconnect")
    stream_timeout_seconds: float = Field(default=90, ge=5,
                                          description="A stream silent this long (no event, no heartbeat) is reconnected")
    max_backoff_seconds: float = Field(default=300, ge=1, description="Longest wait between two reconnects")
    relay_attempts: int = Field(default=5, ge=1, description="Sends tried before a reply is marked failed")


class BlueskySource(Strict):
    """Listening on Bluesky's Jetstream and replying through the brand account's PDS (bot/feeds/bluesky.py).

    The account and its app password come from the environment (MENTIONDESK_BLUESKY_HANDLE,
    MENTIONDESK_BLUESKY_APP_PASSWORD), never from this file."""

    listen: bool = Field(default=True, description="Listen on Jetstream when the brand account's app password is set")
    jetstream_url: str = Field(default="wss://jetstream2.us-east.bsky.network/subscribe",
                               pattern=r"^wss?://", description="Jetstream's /subscribe endpoint")
    service_url: str = Field(default="https://bsky.social", pattern=r"^https?://",
                             description="The brand account's PDS (or entryway) for XRPC calls")
    resume_overlap_seconds: float = Field(default=5, ge=0, le=600,
                                          description="On reconnect, resume this long before the saved cursor "
                                                      "(repeats are dropped by (platform, id))")
    backfill: bool = Field(default=True, description="On start-up and after a gap, read notifications and search "
                                                     "for what the stream missed")
    backfill_hours: float = Field(default=24, gt=0, le=24 * 7,
                                  description="How far back the first start-up backfill reads")
    direct_messages: bool = Field(default=False,
                                  description="The app password was created with access to direct messages: "
                                              "private replies go out as Bluesky chat messages")
    relay_attempts: int = Field(default=5, ge=1, description="Sends tried before a reply is marked failed")


class Config(Strict):
    brands: list[Brand] = Field(min_length=1)
    x: XSource = Field(default_factory=XSource)
    mastodon: MastodonSource = Field(default_factory=MastodonSource)
    bluesky: BlueskySource = Field(default_factory=BlueskySource)
    triage: TriageRules = Field(default_factory=TriageRules)
    priority: Priority = Field(default_factory=Priority)
    teams: list[Team] = Field(default_factory=list)
    agents: list[Agent] = Field(default_factory=list)
    canned_responses: list[CannedResponse] = Field(default_factory=list)
    routing: RoutingConfig | None = Field(default=None, description="Who gets a new case (see bot/routing/)")
    crm: CrmSettings = Field(default_factory=CrmSettings, description="CRM lookup webhook (see bot/crm/)")
    customers: list[KnownCustomer] = Field(default_factory=list, description="People known by several identities")
    discord: DiscordSettings = Field(default_factory=DiscordSettings)
    console: ConsoleSettings = Field(default_factory=ConsoleSettings, description="The web console (handlers/web/)")
    retention: RetentionSettings = Field(default_factory=RetentionSettings,
                                         description="Erase personal data of closed cases after a while (bot/privacy/)")

    def thank_you_text(self) -> str | None:
        """The public thank-you after a private resolution (``x.thank_you_response``), if configured."""
        wanted = self.x.thank_you_response
        return next((c.text for c in self.canned_responses if c.id == wanted), None) if wanted else None

    def default_team(self) -> Team | None:
        for team in self.teams:
            if team.default:
                return team
        return self.teams[0] if self.teams else None

    def team_for_topic(self, topic: str | None) -> Team | None:
        if topic:
            for team in self.teams:
                if topic in team.topics:
                    return team
        return self.default_team()


def _cross_checks(config: Config) -> list[tuple[tuple, str]]:
    """Rules that span sections; each problem carries the path of the value at fault."""
    problems: list[tuple[tuple, str]] = []

    def duplicates(items, key, section):
        seen: set[str] = set()
        for i, item in enumerate(items):
            value = getattr(item, key)
            if value in seen:
                problems.append(((section, i, key), f"duplicate {key} {value!r}"))
            seen.add(value)

    duplicates(config.brands, "name", "brands")
    duplicates(config.teams, "name", "teams")
    duplicates(config.agents, "name", "agents")
    duplicates(config.canned_responses, "id", "canned_responses")
    for i, brand in enumerate(config.brands):
        if not (brand.handles or brand.hashtags or brand.keywords):
            problems.append((("brands", i), f"brand {brand.name!r} has no handles, hashtags or keywords to listen for"))
    team_names = {t.name for t in config.teams}
    defaults = [i for i, t in enumerate(config.teams) if t.default]
    for i in defaults[1:]:
        problems.append((("teams", i, "default"), "only one team can be the default"))
    for i, team in enumerate(config.teams):
        for j, topic in enumerate(team.topics):
            if topic not in config.triage.topics:
                known = ", ".join(sorted(config.triage.topics)) or "none defined"
                problems.append((("teams", i, "topics", j), f"unknown topic {topic!r} (triage.topics has: {known})"))
    for i, agent in enumerate(config.agents):
        for j, team in enumerate(agent.teams):
            if team not in team_names:
                problems.append((("agents", i, "teams", j), f"unknown team {team!r}"))
    if config.mastodon.brand and config.mastodon.brand not in {b.name for b in config.brands}:
        problems.append((("mastodon", "brand"), f"unknown brand {config.mastodon.brand!r}"))
    known_topics = {*config.triage.topics, *config.triage.model.topic_map.values()}
    for i, canned in enumerate(config.canned_responses):
        for j, topic in enumerate(canned.topics):
            if topic not in known_topics:
                problems.append((("canned_responses", i, "topics", j), f"unknown topic {topic!r}"))
    thank_you = config.x.thank_you_response
    if thank_you and thank_you not in {c.id for c in config.canned_responses}:
        problems.append((("x", "thank_you_response"), f"unknown canned response {thank_you!r}"))
    for key in ("slack_user_id", "discord_user_id"):
        seen: dict[str, str] = {}
        for i, agent in enumerate(config.agents):
            value = getattr(agent, key)
            if value and value in seen:
                problems.append((("agents", i, key), f"{key} {value!r} already belongs to {seen[value]!r}"))
            elif value:
                seen[value] = agent.name
    if config.routing is not None:
        problems += routing_cross_check(config.routing, team_names, {a.name for a in config.agents},
                                        set(config.triage.topics))
    return problems


def parse_config(located: LocatedYaml) -> Config:
    from bot.core.yaml_source import validation_problems

    if not isinstance(located.data, dict):
        raise ConfigError(located.file, [(1, "the file must be a mapping with at least a 'brands:' list")])
    try:
        config = Config.model_validate(located.data)
    except ValidationError as exc:
        raise ConfigError(located.file, validation_problems(located, exc)) from None
    problems = _cross_checks(config)
    if problems:
        from bot.core.yaml_source import format_loc

        raise ConfigError(located.file, [(located.line_of(p), f"{format_loc(p)}: {m}") for p, m in problems])
    return config


def load_config(path: str | Path | None = None) -> Config:
    """Load and validate a config file; ``None`` means the bundled example config."""
    if path is None:
        text = resources.files("bot.samples").joinpath("config.example.yaml").read_text(encoding="utf-8")
        return parse_config(load_yaml_with_lines("config.example.yaml (bundled)", text))
    try:
        located = load_yaml_with_lines(path)
    except SourceError as exc:
        raise ConfigError(exc.file, exc.problems) from None
    return parse_config(located)
