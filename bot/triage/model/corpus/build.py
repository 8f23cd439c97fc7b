"""Write ``mentions.jsonl``: the project's own labeled social mentions, composed from templates.

Run ``python -m bot.triage.model.corpus.build`` (``--check`` compares with the committed file
instead of writing it). The output is deterministic: one ``random.Random(SEED)`` drives every
choice, templates are read in file order and rows are written with sorted keys, so a rerun is
byte-identical.

Each language module (``templates_en`` ...) holds cells: a label key
``intent/sentiment/topic/tags/domain`` and a block of hand-written templates, one a line.
A mention is one template with its slots filled (brand, handle, flight, booking code, ...)
plus the surface noise real posts have: an opener or closer, lower case or shouting, typos,
abbreviations, emoji, hashtags, links, the handle at the start, middle or end, or no brand
at all (a reply in a thread). Brands include words that carry sentiment on their own
(Delta, Spirit, Hope, Joy, Love, ...) in every intent, so a head cannot learn that the brand
word is the sentiment.
"""

from __future__ import annotations

import argparse
import importlib
import json
import random
import re
import sys
from dataclasses import dataclass
from pathlib import Path

SEED = 18  # issue 18
LANGS = ("en", "es", "fr", "de", "pt", "it", "ar", "ja")
INTENTS = ("crisis", "urgent", "complaint", "question", "praise", "general", "spam", "noise")
SENTIMENTS = ("positive", "neutral", "negative")
TOPICS = ("safety", "late_flight", "cancelled_flight", "lost_luggage", "damaged_luggage", "refund",
          "booking", "loyalty", "app", "customer_service", "accessibility", "food_onboard", "billing")
TAGS = ("sarcasm", "emoji_only", "safety", "violence", "discrimination", "legal_threat", "press", "vip",
        "brand_addressed_spam", "mixed", "typo", "multi_sentence", "reply")
OUTPUT = Path(__file__).resolve().parent / "mentions.jsonl"

# How many mentions one template yields, per intent (before duplicates are dropped). English
# has many more templates; the other languages get more variants from each of theirs.
VARIANTS = {"en": 7, "other": 6}


@dataclass(frozen=True)
class Brand:
    name: str
    handles: tuple[str, ...]
    kind: str  # air | biz
    code: str = ""  # flight-number prefix for airlines
    site: str = ""


# Sentiment-word brands first: they are drawn as often as the neutral-sounding ones.
BRANDS = (
    Brand("Skylark Air", ("@SkylarkAir", "@SkylarkHelp"), "air", "SK", "skylarkair.com"),
    Brand("United", ("@united", "@UnitedAirHelp"), "air", "UA", "united.example"),
    Brand("Delta", ("@Delta", "@DeltaAssist"), "air", "DL", "delta.example"),
    Brand("Frontier", ("@FlyFrontier", "@FrontierCare"), "air", "F9", "flyfrontier.example"),
    Brand("Spirit", ("@SpiritAirlines", "@SpiritHelp"), "air", "NK", "spirit.example"),
    Brand("Virgin", ("@VirginAir", "@VirginAirHelp"), "air", "VA", "virginair.example"),
    Brand("Hope Air", ("@HopeAir", "@hope"), "air", "HP", "hopeair.example"),
    Brand("Best Airways", ("@BestAirways", "@best"), "air", "BT", "bestairways.example"),
    Brand("Joy", ("@FlyJoy", "@joy"), "air", "JY", "flyjoy.example"),
    Brand("Smile Air", ("@SmileAir", "@smile"), "air", "SM", "smileair.example"),
    Brand("Wow", ("@wowair", "@WOW"), "air", "WW", "wowair.example"),
    Brand("Happy Air", ("@HappyAir", "@happy"), "air", "HY", "happyair.example"),
    Brand("Good Air", ("@GoodAir", "@good"), "air", "GD", "goodair.example"),
    Brand("Free Air", ("@FreeAir", "@free"), "air", "FE", "freeair.example"),
    Brand("Love Air", ("@LoveAir", "@love"), "air", "LV", "loveair.example"),
    Brand("Nordwind", ("@NordwindAir",), "air", "NW", "nordwind.example"),
    Brand("Atlas Jet", ("@AtlasJet",), "air", "AJ", "atlasjet.example"),
    Brand("Coral Airways", ("@CoralAirways", "@CoralHelp"), "air", "CR", "coralairways.example"),
    Brand("Pampa", ("@PampaAir",), "air", "PA", "pampa.example"),
    Brand("Sakura Wings", ("@SakuraWings",), "air", "SW", "sakurawings.example"),
    Brand("BestMart", ("@BestMart", "@BestMartHelp"), "biz", "", "bestmart.example"),
    Brand("Hope Bank", ("@HopeBank", "@HopeBankHelp"), "biz", "", "hopebank.example"),
    Brand("Joy Mobile", ("@JoyMobile",), "biz", "", "joymobile.example"),
    Brand("Free Telecom", ("@FreeTelecom", "@FreeTelecomCare"), "biz", "", "freetelecom.example"),
    Brand("Smile Bank", ("@SmileBank",), "biz", "", "smilebank.example"),
    Brand("Virgin Mobile", ("@VirginMobileX",), "biz", "", "virginmobile.example"),
    Brand("Wow Store", ("@WowStore",), "biz", "", "wowstore.example"),
    Brand("Good Energy", ("@GoodEnergyCo",), "biz", "", "goodenergy.example"),
    Brand("Tellus", ("@TellusMobile", "@TellusHelp"), "biz", "", "tellus.example"),
    Brand("Northbank", ("@Northbank",), "biz", "", "northbank.example"),
    Brand("Parcelio", ("@Parcelio",), "biz", "", "parcelio.example"),
)
AIRLINES = tuple(b for b in BRANDS if b.kind == "air")
BUSINESSES = tuple(b for b in BRANDS if b.kind == "biz")

AIRPORTS = ("JFK", "LAX", "ORD", "DEN", "ATL", "SFO", "SEA", "BOS", "MIA", "LHR", "CDG", "FRA", "MAD", "BCN",
            "LIS", "FCO", "MXP", "AMS", "DXB", "DOH", "NRT", "HND", "GRU", "EZE", "MEX", "YYZ", "DUB", "MUC",
            "OPO", "CAI", "KIX", "IAH", "PHX", "EWR", "LGA", "BER", "ZRH", "VIE", "CMN", "RUH")
USERS = ("@jess_m92", "@tomwrites", "@mariag", "@kofi_travels", "@lina.b", "@d4ve", "@sam_r", "@nadia_k",
         "@yuki_t", "@pedro_lx", "@hannahw", "@the_real_mo", "@chris_b", "@aisha_h", "@leo_it", "@mum_of_3")
EMOJI = {
    "negative": ("😡", "🤬", "😤", "😩", "😭", "💔", "👎", "😒", "😞", "🙄", "😑", "😠", "🤦", "🤦‍♀️", "🤦‍♂️", "😫"),
    "positive": ("❤️", "😍", "🙏", "👏", "😊", "✈️", "🥰", "💙", "🙌", "✨", "👍", "😁", "🎉", "💯", "☺️", "🤩"),
    "neutral": ("✈️", "🤔", "👀", "🧳", "📱", "🙂", "🤷", "⏰", "🛫", "🛬", "😅"),
}
SHORTENERS = ("bit.ly", "tinyurl.com", "cutt.ly", "is.gd", "rb.gy", "t.ly", "shorturl.at")
ALNUM = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"
ABBREVIATIONS_EN = (
    (r"\byou\b", "u"), (r"\byour\b", "ur"), (r"\bplease\b", "pls"), (r"\bthanks\b", "thx"),
    (r"\bbecause\b", "bc"), (r"\bpeople\b", "ppl"), (r"\btomorrow\b", "tmrw"), (r"\breally\b", "rly"),
    (r"\bwith\b", "w/"), (r"\btonight\b", "tonite"), (r"\bare\b", "r"), (r"\bminutes\b", "mins"),
    (r"\bhours\b", "hrs"), (r"\bthough\b", "tho"), (r"\bseriously\b", "srsly"), (r"\bbefore\b", "b4"),
)


class Template:
    __slots__ = ("intent", "sentiment", "topic", "tags", "domain", "abusive", "text", "lang")

    def __init__(self, lang: str, key: str, text: str):
        parts = key.split("/")
        if len(parts) < 3:
            raise ValueError(f"{lang}: cell key {key!r} needs intent/sentiment/topic")
        intent, sentiment, topic = parts[0], parts[1], parts[2]
        tags = [t for t in (parts[3].split(",") if len(parts) > 3 else []) if t and t != "-"]
        domain = parts[4] if len(parts) > 4 and parts[4] else "air"
        if intent not in INTENTS or sentiment not in SENTIMENTS:
            raise ValueError(f"{lang}: bad intent or sentiment in {key!r}")
        if topic not in ("-",) + TOPICS:
            raise ValueError(f"{lang}: bad topic in {key!r}")
        self.abusive = "abusive" in tags
        tags = [t for t in tags if t != "abusive"]
        for tag in tags:
            if tag not in TAGS:
                raise ValueError(f"{lang}: bad tag {tag!r} in {key!r}")
        if domain not in ("air", "biz", "any", "none"):
            raise ValueError(f"{lang}: bad domain in {key!r}")
        self.intent, self.sentiment = intent, sentiment
        self.topic = None if topic == "-" else topic
        self.tags, self.domain, self.text, self.lang = tags, domain, text, lang


def templates_of(lang: str) -> tuple[list[Template], object]:
    module = importlib.import_module(f"bot.triage.model.corpus.templates_{lang}")
    out = []
    for key, block in module.CELLS:
        for line in block.strip().splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                out.append(Template(lang, key, line))
    return out, module


class Composer:
    """Turns one template into one mention; every random choice comes from ``self.rng``."""

    def __init__(self, rng: random.Random, lang: str, module):
        self.rng, self.lang, self.m = rng, lang, module
        # Numbers, gates and coins read the same everywhere: a language lists only what differs.
        base = importlib.import_module("bot.triage.model.corpus.templates_en").FILLERS
        self.fillers = {**base, **module.FILLERS}

    # -- slots -------------------------------------------------------------------------------
    def pick(self, seq):
        return seq[self.rng.randrange(len(seq))]

    def brand_for(self, template: Template) -> Brand:
        if template.domain == "biz":
            return self.pick(BUSINESSES)
        if template.domain == "any" and self.rng.random() < 0.3:
            return self.pick(BUSINESSES)
        return self.pick(AIRLINES)

    def code(self, n: int = 6) -> str:
        return "".join(self.pick(ALNUM) for _ in range(n))

    def flight(self, brand: Brand) -> str:
        number = str(self.rng.choice((self.rng.randint(10, 99), self.rng.randint(100, 999), self.rng.randint(1000, 2999))))
        prefix = brand.code or "SK"
        form = self.rng.random()
        if form < 0.55:
            return f"{prefix}{number}"
        if form < 0.7:
            return f"{prefix} {number}"
        if form < 0.8:
            return f"#{prefix}{number}"
        word, value = self.m.FLIGHT_WORD, (number if form < 0.92 else prefix + number)
        return word.format(value) if "{}" in word else f"{word} {value}"

    def link(self, brand: Brand) -> str:
        r = self.rng.random()
        if r < 0.5:
            return f"https://t.co/{self.code(10).replace('Z', 'z')}"
        if r < 0.8:
            path = self.pick(("manage", "help", "refunds", "checkin", "baggage", "account", "app", "status"))
            return f"https://{brand.site}/{path}"
        return f"{brand.site}/{self.pick(('faq', 'contact', 'claims'))}"

    def spam_link(self) -> str:
        host = self.pick(SHORTENERS)
        scheme = self.pick(("https://", "http://", ""))
        return f"{scheme}{host}/{self.code(self.rng.randint(5, 8)).lower()}"

    def fake_handle(self, brand: Brand) -> str:
        base = brand.handles[0].lstrip("@")
        suffix = self.pick(("_Helpdesk24", "Support247", "_CareDesk", "HelpTeam", "_Refunds", "_Assist_",
                            "Care_Official", "_support1", "ClaimsDesk"))
        return "@" + base + suffix

    def amount(self) -> str:
        value = self.pick((39, 49, 75, 89, 120, 149, 210, 340, 415, 560, 780, 1200, 1850))
        return self.pick(self.m.MONEY).format(value)

    def fill(self, text: str, brand: Brand, state: dict) -> str:
        fillers = self.fillers

        def slot(match: re.Match) -> str:
            name = match.group(1)
            if name == "h":
                state["handle"] = True
                return state.setdefault("h", self.pick(brand.handles))
            if name == "b":
                state["named"] = True
                return brand.name
            if name == "flight":
                return self.flight(brand)
            if name == "code":
                return self.code()
            if name == "airport":
                return self.pick(AIRPORTS)
            if name == "route":
                a, b = self.rng.sample(AIRPORTS, 2)
                return f"{a}{self.pick(('-', ' to ', '→', '>', '-'))}{b}"
            if name == "link":
                return self.link(brand)
            if name == "spamlink":
                return self.spam_link()
            if name == "fake":
                return self.fake_handle(brand)
            if name == "user":
                return self.pick(USERS)
            if name == "amount":
                return self.amount()
            if name == "n":
                return str(self.rng.randint(2, 9))
            if name == "nn":
                return str(self.rng.randint(11, 95))
            if name == "site":
                return brand.site
            if name == "bh":  # brand hashtag
                return "#" + re.sub(r"\W", "", brand.name)
            if name in fillers:
                return self.pick(fillers[name])
            raise KeyError(f"{self.lang}: unknown slot {{{name}}} in {text!r}")

        return re.sub(r"\{(\w+)\}", slot, text)

    # -- noise -------------------------------------------------------------------------------
    def typo(self, text: str) -> tuple[str, bool]:
        words = text.split(" ")
        candidates = [i for i, w in enumerate(words) if len(w) >= 5 and w.isalpha() and w.isascii()
                      or (len(w) >= 5 and w.isalpha() and self.lang in ("es", "fr", "de", "pt", "it"))]
        if not candidates:
            return text, False
        for _ in range(1 if self.rng.random() < 0.75 else 2):
            i = self.pick(candidates)
            w = words[i]
            j = self.rng.randrange(1, len(w) - 1)
            kind = self.rng.random()
            if kind < 0.35:
                w = w[:j] + w[j + 1] + w[j] + w[j + 2:]
            elif kind < 0.65:
                w = w[:j] + w[j + 1:]
            elif kind < 0.85:
                w = w[:j] + w[j] + w[j:]
            else:
                w = w[:j] + self.pick("aeiounrst") + w[j + 1:]
            words[i] = w
        return " ".join(words), True

    def join(self, body: str, tail: str) -> str:
        """A sentence after another: usually with a full stop, sometimes run on as people type."""
        if self.lang == "ja":
            return f"{body}{'' if body.endswith(('。', '！', '？')) else '。'}{tail}"
        if body and body[-1].isalnum() and (tail[:1].isupper() or self.lang == "ar") and self.rng.random() < 0.7:
            return f"{body}. {tail}"
        return f"{body} {tail}"

    def compose(self, t: Template) -> dict:
        rng = self.rng
        m = self.m
        brand = self.brand_for(t)
        state: dict = {}
        tags = list(t.tags)
        emoji_only = "emoji_only" in tags
        body = t.text
        if not emoji_only and t.intent != "spam" and t.domain != "none":
            opener = self.pick(m.OPENERS.get(t.intent + "/" + t.sentiment, m.OPENERS.get(t.intent, ("",))))
            closer = self.pick(m.CLOSERS.get(t.intent + "/" + t.sentiment, m.CLOSERS.get(t.intent, ("",))))
            if opener and rng.random() < 0.35:
                body = join_opener(opener, body, self.lang)
            if closer and rng.random() < 0.45:
                body = self.join(body, closer)
        abusive = t.abusive
        if (t.intent == "complaint" and t.sentiment == "negative" and not abusive and not emoji_only
                and rng.random() < 0.06):
            body = self.join(body, self.pick(m.INSULTS))
            abusive = True
        # Typos and abbreviations go in before the slots are filled so handles and codes stay intact.
        typo = False
        latin = self.lang in ("en", "es", "fr", "de", "pt", "it")
        if latin and not emoji_only and rng.random() < (0.16 if self.lang == "en" else 0.1):
            body, typo = self.typo(body)
        if self.lang == "en" and not emoji_only and rng.random() < 0.3:
            for pattern, short in ABBREVIATIONS_EN:
                if rng.random() < 0.6:
                    body = re.sub(pattern, short, body, flags=re.IGNORECASE)
        text = self.fill(body, brand, state)
        # Where the brand is: the template's own {h}, or placed here, or absent (a reply).
        if t.domain != "none" and not state.get("handle"):
            r = rng.random()
            # Spam that names no brand is common too (hashtag stuffing, follower sellers).
            no_brand_ok = t.intent != "spam" or rng.random() < 0.55
            if r < 0.58:
                text = f"{self.pick(brand.handles)} {text}"
                state["handle"] = True
            elif r < 0.76:
                text = f"{text} {self.pick(brand.handles)}"
                state["handle"] = True
            elif r < 0.84 and re.search(r"[,.!?:;、。] ", text[:-1]):
                # In the middle, where people put it: after the first clause ("so sorry, @brand but ...").
                cut = re.search(r"[,.!?:;、。] ", text).end()
                text = f"{text[:cut]}{self.pick(brand.handles)} {text[cut:]}"
                state["handle"] = True
            elif not no_brand_ok:
                text = f"{self.pick(brand.handles)} {text}"
                state["handle"] = True
            if state.get("handle") and rng.random() < 0.08:
                text = f"{self.pick(USERS)} {text}"  # a reply in a thread with someone else
        if not emoji_only and t.domain != "none":
            if rng.random() < 0.3:
                pool = EMOJI["negative" if "sarcasm" in tags else t.sentiment]
                text = f"{text} {self.pick(pool) * self.pick((1, 1, 1, 2, 3))}"
            if rng.random() < 0.14 and m.HASHTAGS.get(t.sentiment):
                text = f"{text} {self.pick(m.HASHTAGS[t.sentiment])}"
            if rng.random() < 0.06:
                text = f"{text} #{re.sub(r'[^A-Za-z0-9]', '', brand.name)}"
                state["named"] = True
            if t.intent in ("complaint", "question", "urgent") and rng.random() < 0.06:
                text = f"{text} {self.link(brand)}"
        if latin and not emoji_only:
            r = rng.random()
            if r < 0.28:
                text = outside_links(text, str.lower)
            elif r < 0.32 and t.sentiment == "negative" and t.intent in ("complaint", "crisis", "urgent"):
                text = outside_links(text, str.upper)
            elif r < 0.4:
                text = text.rstrip(".")
        text = re.sub(r"\s+", " ", text).strip()
        if len(text) > 280:
            text = text[:279].rsplit(" ", 1)[0]
        if typo:
            tags.append("typo")
        if t.intent == "spam" and state.get("handle"):
            tags.append("brand_addressed_spam")
        if not state.get("handle") and not state.get("named") and t.domain != "none" and t.intent != "spam":
            tags.append("reply")
        if not emoji_only and sentence_count(text) >= 2:
            tags.append("multi_sentence")
        return {
            "lang": self.lang,
            "text": text,
            "intent": t.intent,
            "sentiment": t.sentiment,
            "topic": t.topic,
            "spam": t.intent == "spam",
            "abusive": abusive,
            "tags": sorted(set(tags), key=TAGS.index),
        }


LINK = re.compile(r"(https?://\S+|\b[\w.-]+\.(?:example|com|ly|gd|gy|at)/\S*)")


def outside_links(text: str, change) -> str:
    """Change the case of the words but not of links (a shortened link is case-sensitive)."""
    return "".join(part if LINK.fullmatch(part) else change(part) for part in LINK.split(text))


def join_opener(opener: str, body: str, lang: str = "en") -> str:
    # "Honestly the app..." / "Hi, the app...": after a comma or a bare word the sentence goes on.
    if opener[-1] not in ".!?:：。！？" and body[:1].isupper() and not body.startswith(("I ", "I'", "{")):
        if not (lang == "de" and body.split(" ")[0].istitle()):  # German nouns keep their capital
            body = body[0].lower() + body[1:]
    return f"{opener}{'' if lang == 'ja' else ' '}{body}"


def sentence_count(text: str) -> int:
    """Sentences with at least two words (handles, hashtags, links and emoji do not count)."""
    count = 0
    for part in re.split(r"(?<=[.!?。！？؟])\s+|[。！？]", text):
        words = [w for w in part.split() if not w.startswith(("@", "#", "http")) and re.search(r"\w", w)]
        if len(words) >= 2 or (words and re.search(r"[\u3040-\u30ff\u4e00-\u9fff]{4}", part)):
            count += 1
    return count


def normalise(text: str) -> str:
    """The key two mentions are duplicates under (also used by the tests against the test set)."""
    return " ".join(re.sub(r"[^\w\s]", "", text.lower()).split())


def build(seed: int = SEED) -> list[dict]:
    rng = random.Random(seed)
    rows: list[dict] = []
    seen: set[str] = set()
    for lang in LANGS:
        templates, module = templates_of(lang)
        composer = Composer(rng, lang, module)
        per = VARIANTS["en" if lang == "en" else "other"]
        weights = getattr(module, "WEIGHTS", {})
        for t in templates:
            count = weights.get(t.intent, per) if "emoji_only" not in t.tags else per + 2
            for _ in range(count):
                row = composer.compose(t)
                # Emoji-only posts differ only in their emoji, which normalising drops.
                key = row["text"] if "emoji_only" in row["tags"] else normalise(row["text"])
                if not key:
                    continue
                if key in seen:
                    continue
                seen.add(key)
                rows.append(row)
    rng.shuffle(rows)
    for number, row in enumerate(rows, start=1):
        row["id"] = f"c{number:06d}"
    return rows


def dump(rows: list[dict]) -> str:
    return "".join(json.dumps(row, ensure_ascii=False, sort_keys=True) + "\n" for row in rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true", help="fail if the file on disk differs")
    args = parser.parse_args(argv)
    text = dump(build())
    if args.check:
        same = args.out.is_file() and args.out.read_text(encoding="utf-8") == text
        print(f"{args.out}: {'up to date' if same else 'DIFFERS from the generator'}")
        return 0 if same else 1
    args.out.write_text(text, encoding="utf-8")
    print(f"wrote {text.count(chr(10))} mentions to {args.out} ({len(text.encode())} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
