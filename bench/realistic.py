"""A seeded stream of posts that looks like what a brand's listening really receives.

About 30% spam (much of it naming the brand: giveaways, crypto drops, fake support accounts,
follower sellers), about 50% posts that have nothing to do with the brand (the word "skylark"
in other senses, other airlines, travel chatter, daily life, sports), and about 20% addressed
to the brand: complaints, questions and praise, a share of them follow-ups in a thread the
customer started. Lengths run from a couple of words to a full 280-character post, in English
mostly, with Spanish, French, German and Portuguese posts, emoji, typos and hashtags.

Everything is composed from the fragments below (written for this benchmark, not copied from
any data set), so the stream is the same for the same seed and never repeats itself the way a
template benchmark does: the encoder, the screen and the spam rules see varied text.

    from bench.realistic import stream
    for post in stream(100_000, seed=7): ...   # mention dicts of the JSON interface
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone

BRAND_HANDLES = ["@SkylarkAir", "@SkylarkHelp"]
BRAND_TAGS = ["#SkylarkAir", "#FlySkylark"]
CITIES = ["Lisbon", "Toronto", "Denver", "Porto", "Madrid", "Paris", "Tokyo", "Berlin", "Lyon", "Munich",
          "São Paulo", "Bogotá", "Dublin", "Rome", "Chicago", "Seattle", "Faro", "Nice", "Hamburg", "Quito"]
AIRPORTS = ["LIS", "YYZ", "DEN", "OPO", "MAD", "CDG", "HND", "BER", "LYS", "MUC", "GRU", "BOG", "DUB", "FCO"]
EMOJI = ["✈️", "😡", "🙃", "🧳", "🙏", "😭", "👏", "🔥", "😤", "💔", "😍", "🤦", "😂", "👍", "", "", ""]
FIRST = ["Ana", "Ben", "Chloé", "Diego", "Emma", "Farah", "Gus", "Hana", "Ivo", "Jules", "Kemal", "Lea", "Mats",
         "Nia", "Omar", "Paula", "Quinn", "Rui", "Sofia", "Tom", "Uma", "Vera", "Wes", "Xavi", "Yara", "Zoe"]


def _flight(rng: random.Random) -> str:
    return f"SK{rng.randint(10, 2999)}"


def _fill(rng: random.Random, text: str) -> str:
    return text.format(
        city=rng.choice(CITIES), city2=rng.choice(CITIES), apt=rng.choice(AIRPORTS), flight=_flight(rng),
        h=rng.randint(2, 14), m=rng.choice([15, 20, 30, 40, 45, 50]), n=rng.randint(2, 9),
        ref="".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ23456789") for _ in range(6)),
        money=rng.choice([49, 89, 120, 240, 380, 612]), day=rng.choice(["Monday", "Tuesday", "Friday", "Sunday"]),
        brand=rng.choice(BRAND_HANDLES), tag=rng.choice(BRAND_TAGS), e=rng.choice(EMOJI), name=rng.choice(FIRST),
        gate=f"{rng.choice('ABCDE')}{rng.randint(1, 60)}", seat=f"{rng.randint(1, 38)}{rng.choice('ABCDEF')}",
        url=f"https://{rng.choice(['bit.ly', 'tinyurl.com', 'cutt.ly'])}/{rng.getrandbits(40):x}",
        shady=f"https://{rng.choice(['sky-claim', 'free-miles', 'airdrop-sky', 'vip-deals', 'win-trip'])}"
              f"-{rng.getrandbits(24):x}.{rng.choice(['top', 'xyz', 'click', 'info'])}",
    )


# --- addressed to the brand (~20%): complaints, questions, praise ------------------------------
COMPLAINT_OPEN = [
    "{brand} flight {flight} delayed {h} hours and not one update",
    "{brand} you lost my bag on the way to {city}",
    "{brand} cancelled my flight to {city} with a text message at 2am??",
    "{brand} still waiting for my refund, booking {ref}, it's been {n} weeks",
    "{brand} the agent at gate {gate} was unbelievably rude to my mother",
    "{brand} {n} hours on hold and then the call just drops",
    "Thanks for nothing {brand}, missed my connection in {city} because {flight} sat on the tarmac",
    "{brand} my suitcase arrived in {city2} with the handle ripped off and a wheel missing",
    "{brand} your app charged me twice for seat {seat} and support says wait 10 days",
    "Worst experience ever with {brand}. Overbooked, bumped, rebooked onto a flight tomorrow",
    "{brand} where is my luggage?? file {apt}{ref}, {n} days and nobody answers",
    "{brand} paid for extra legroom, got seat {seat} next to the toilet and it doesn't recline",
    "Never flying {tag} again. {flight} delayed, then cancelled, no hotel, no food voucher",
    "{brand} the Skylark app logs me out every time I try to check in, gate closes in {m} min",
    "{brand} wheelchair assistance was booked for my dad and nobody came at {apt}",
]
COMPLAINT_TAIL = [
    "", "", " {e}", " {e}{e}", ". Unacceptable.", ". Do better.", " #fail", " and the lounge is closed too",
    ". I have a meeting in {city} at 9.", ". Kids are exhausted.", " What are you going to do about it?",
    ". This is the {n}th time this year.", ", DM'd you my booking {ref} yesterday, no reply",
    ". Your staff at {apt} keep saying it's not their problem.",
]
QUESTION = [
    "{brand} how do I add a checked bag to booking {ref}?",
    "{brand} can I bring my guitar as carry-on on {flight}?",
    "{brand} is there a way to change my flight to {city} without paying the fee again?",
    "{brand} do Skylark Miles expire if I don't fly this year?",
    "{brand} hi! what's the baggage allowance on the basic fare to {city}?",
    "Anyone know if {brand} lets you pick a seat for free at check-in?",
    "{brand} can you help, my name is misspelled on the ticket ({ref})",
    "{brand} my flight {flight} shows 'schedule change', what does that mean for the connection in {city}?",
    "{brand} are pets allowed in the cabin on flights to {city2}?",
    "{brand} could you tell me when online check-in opens for {flight}?",
]
PRAISE = [
    "Shoutout to the crew of {flight} to {city}, they made my nervous kid feel like a pilot {e}",
    "{brand} smoothest landing I've ever had, thank you!",
    "Thanks {brand}, my lost bag was delivered to my hotel in {city} this morning {e}",
    "Gate agent at {gate} in {apt} rebooked me in two minutes flat, {brand} you have a gem there",
    "Flying {tag} to {city} for the first time and honestly the service was lovely",
    "{brand} the new app is so much better, checked in in 30 seconds {e}",
    "Got upgraded on {flight} for my birthday, {brand} you didn't have to {e}",
]
FOLLOW_UP = [
    "Update: still no bag.", "Still nothing?!", "{n} hours later and still waiting.", "Any news?",
    "Hello?? anyone there?", "It's been another day. Nothing.", "Thanks, DM sent {e}",
    "Found it myself at the {apt} office, no thanks to you.", "ok the refund just came through, thank you",
    "Now they say the flight is cancelled too {e}",
]
NON_EN = [
    ("es", "{brand} mi vuelo {flight} a {city} lleva {h} horas de retraso y nadie informa nada"),
    ("es", "{brand} perdieron mi maleta en {apt}, ¿dónde está? {e}"),
    ("es", "{brand} ¿cómo pido el reembolso de la reserva {ref}?"),
    ("es", "Gracias {brand}, la tripulación del {flight} fue increíble {e}"),
    ("fr", "{brand} vol {flight} annulé sans explication, aucune solution pour rentrer à {city}"),
    ("fr", "{brand} ma valise n'est jamais arrivée à {city}, dossier {ref}"),
    ("fr", "Merci {brand} pour l'accueil à bord, vraiment top {e}"),
    ("de", "{brand} Flug {flight} hat {h} Stunden Verspätung, keine Info, kein Essen"),
    ("de", "{brand} mein Koffer ist in {city2} gelandet, ich bin in {city}. Toll."),
    ("pt", "{brand} cadê minha mala? voo {flight} de {city} chegou há {h} horas"),
    ("pt", "{brand} quero o reembolso da reserva {ref}, já são {n} semanas"),
]

# --- spam (~30%), most of it naming the brand --------------------------------------------------
SPAM = [
    "🔥🔥 FLASH SALE {city} from ${money} 👉 {url} {shady} {tag} #deals #travel #cheapflights #sale #fly",
    "Win a FREE trip to {city}!! follow {brand} + retweet + click {shady} #giveaway #win #free #travel #contest #fly",
    "🚀 $SKY airdrop for {brand} fans, connect wallet {shady} 🚀🚀",
    "{brand} claim your Skylark Miles compensation now: {shady} (official support)",
    "Get 10k followers in 24h!!! {url} {url} @user1 @user2 @user3 @user4 @user5",
    "DM us for cheap {tag} tickets, 70% off any route, pay in crypto {shady}",
    "{brand} customer care number +1-800-{money}-{n}{n}{n}{n} call now for refunds {url} {shady}",
    "💰 make ${money}0 a day from home 💰 {url} {url} #money #crypto #bitcoin #forex #invest #rich",
    "Hot singles near {apt} tonight {shady}",
    "{tag} {tag} {tag} free vouchers {url} {shady} #free #voucher #giveaway #travel #win #promo",
]

# --- unrelated (~50%): nothing of the brand's, or the word in another sense --------------------
UNRELATED = [
    "A skylark was singing over the fields this morning, spring is really here {e}",
    "Reading Shelley's To a Skylark again, still gives me chills",
    "The Skylark Motel on Route {n} has the best pancakes, fight me",
    "Anyone else think {city} is overrated in winter? dark at 4pm",
    "Just landed in {city} with another airline, passport control took {h}0 minutes",
    "My cat knocked my coffee onto my laptop. {day} is cancelled {e}",
    "What a match last night! {name} scored twice in the second half {e}",
    "Meal prep {day}: rice, beans, roast veg. Same as every week lol",
    "Traffic on the way to the airport in {city} is insane right now {e}",
    "new phone who dis",
    "lol",
    "Can't believe it's already {day} again",
    "Best ramen in {city}? asking for a friend who is me",
    "Skylark class of '09 reunion is next month, who's going?",
    "The view from seat {seat} over the Alps this morning {e}",
    "Someone on my train is eating an entire rotisserie chicken. Respect.",
    "Long thread on why airline loyalty programs are a scam, bear with me 1/{n}",
    "Working from a café in {city} today, the wifi is faster than at home {e}",
    "I need a holiday from my holiday",
    "{name} just passed the driving test on the {n}th try!! so proud {e}",
    "Re-watching the whole series before the finale, no spoilers please",
    "Why do airports charge {money} cents for a bottle of water. why.",
    "Ich hab heute keine Lust auf nichts {e}",
    "Qué calor hace hoy en {city}, no se puede salir",
    "Quelqu'un connaît un bon resto près de la gare à {city} ?",
    "Hoje é dia de feijoada {e}",
]
UNRELATED_TAIL = ["", "", "", " {e}", " #{day}", " honestly", " 😂", " (again)", " lol", "!"]
# Personal touches: people rarely post the very same words twice (the spam rules' repeat rule is
# for bots, and would otherwise catch a benchmark that repeats itself).
PERSONAL = [" with {name}", " day {n} of this trip", " at {h}:{m}", " ({name} agrees)", " #{city}", " {e} x{n}",
            ", {day} {h}:{m}", " — {name}", " p.s. hi {name}", " ugh", " so yeah", " {n}/10"]


def _pick(rng: random.Random, options: list[str], tails: list[str] | None = None, personal: float = 0.0) -> str:
    text = rng.choice(options) + (rng.choice(tails) if tails else "")
    if rng.random() < personal:
        text += rng.choice(PERSONAL)
    text = _fill(rng, text)
    if rng.random() < 0.04:  # a typo, as people make them
        i = rng.randrange(max(len(text) - 1, 1))
        text = text[:i] + text[i + 1 :]
    if rng.random() < 0.15:  # some are all in lower case
        text = text.lower()
    return text[:280]


def stream(n: int, seed: int = 7, start: datetime | None = None) -> Iterator[dict]:
    """``n`` mention dicts (the JSON interface), about 30% spam, 50% unrelated, 20% addressed
    to the brand; about 1% are redeliveries of an earlier post (dedupe must catch them)."""
    rng = random.Random(seed)
    start = start or datetime(2026, 11, 20, tzinfo=timezone.utc)
    # Authors: a long tail of people, a few who post a lot; spam comes from its own accounts.
    people = [f"{rng.choice(FIRST).lower()}_{rng.getrandbits(20):x}" for _ in range(max(n // 4, 50))]
    spammers = [f"deals{rng.getrandbits(16):x}" for _ in range(max(n // 200, 10))]
    open_threads: list[tuple[str, str]] = []  # (author, post id) of complaints a follow-up can reply to
    recent: list[dict] = []
    for i in range(n):
        at = start + timedelta(seconds=i * 0.4 + rng.random() * 0.4)
        external_id = str(1_900_000_000_000_000_000 + i)
        roll = rng.random()
        lang, conversation, reply_to, direct = "en", None, None, False
        if recent and rng.random() < 0.01:
            again = dict(rng.choice(recent))  # a source delivering the same post twice
            yield again
            continue
        if roll < 0.30:
            author = rng.choice(spammers)
            text = _pick(rng, SPAM)
            followers = rng.randint(0, 40)
        elif roll < 0.80:
            author = rng.choice(people)
            text = _pick(rng, UNRELATED, UNRELATED_TAIL, personal=0.8)
            followers = int(rng.paretovariate(1.1) * 30)
        else:
            kind = rng.random()
            followers = int(rng.paretovariate(1.1) * 60)
            if open_threads and kind < 0.15:
                author, parent = rng.choice(open_threads)
                text = _pick(rng, FOLLOW_UP, personal=0.6)
                conversation, reply_to = parent, parent
            elif kind < 0.27:
                author = rng.choice(people)
                lang, template = rng.choice(NON_EN)
                text = _fill(rng, template)
            elif kind < 0.70:
                author = rng.choice(people)
                text = _pick(rng, COMPLAINT_OPEN, COMPLAINT_TAIL, personal=0.5)
                if rng.random() < 0.5:
                    open_threads.append((author, external_id))
                    if len(open_threads) > 400:
                        open_threads.pop(0)
            elif kind < 0.88:
                author = rng.choice(people)
                text = _pick(rng, QUESTION, personal=0.5)
            else:
                author = rng.choice(people)
                text = _pick(rng, PRAISE, personal=0.5)
            direct = rng.random() < 0.05  # a DM to the brand account
        post = {"platform": "x", "id": external_id, "text": text, "created_at": at.isoformat(),
                "author": {"id": f"u{zlib.crc32(author.encode())}", "handle": author,
                           "name": author.split("_")[0].title(), "followers": followers,
                           "verified": followers > 50_000},
                "lang": lang}
        if conversation:
            post["conversation_id"], post["in_reply_to_id"] = conversation, reply_to
        if direct:
            post["direct"] = True
        recent.append(post)
        if len(recent) > 200:
            recent.pop(0)
        yield post
