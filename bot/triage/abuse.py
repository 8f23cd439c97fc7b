"""Abuse detection: insults, slurs, harassment and threats aimed at the brand or its staff.

Abuse is a flag on the case, not an intent: an abusive complaint stays a complaint (tier 1),
and the flag decides what else happens to it (the card says so, routing can send it to a trust
& safety team, nothing is sent to it automatically).

Three kinds of terms, in eight languages (en, es, fr, de, pt, it, ar, ja):

* **threats** and **harassment** ("I know where you live", "kill yourself", "te voy a matar"):
  phrases that are abuse by themselves (they name their target);
* **insults** and **slurs** ("idiots", "connards", "Arschloch", "バカ"): abuse only when aimed at
  someone the brand answers for: a second-person word ("you", "vous", "ihr", "お前"), a staff word
  ("your agent", "crew", "Mitarbeiter") or an @handle near the insult; never when the writer
  calls themself names ("I'm such an idiot, forgot my passport") or swears at the weather.

Profanity ("f*** this weather") is not abuse; swearing *at* someone ("f*** you", "fuck @brand")
is. Masked spellings (``f***``, ``f*ck``, ``a**hole``) are read as the word they hide.

A trained model may add its opinion (``ModelHints.abusive_probability``, see
``bot.triage.classifier``): at or above ``triage.model.abusive_at`` the post is flagged too.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from bot.triage.text import TermMatcher

# --- lexicons -----------------------------------------------------------------------------------

#: Threats of violence or of harm to people: abuse by themselves.
THREATS = [
    # en
    "i will kill you", "i'll kill you", "ill kill you", "gonna kill you", "going to kill you", "kill you all",
    "kill all of you", "i will hurt you", "i'll hurt you", "gonna hurt you", "hope you die", "hope you all die",
    "hope your plane crashes", "hope your planes crash", "i know where you live", "i know where your",
    "watch your back", "i will find you", "i'll find you", "i'll find out where", "you will regret this",
    "you'll regret this", "burn down your", "burn your office", "bomb your", "blow up your", "shoot up your",
    "beat the shit out of", "beat the crap out of", "punch your", "smash your face", "break your legs",
    "slit your", "wait till i find", "you're dead", "you are dead meat", "you're dead meat",
    # es
    "te voy a matar", "os voy a matar", "los voy a matar", "voy a matarte", "ojalá te mueras", "ojalá se mueran",
    "sé dónde vives", "te voy a partir la cara", "les voy a partir la cara", "vais a pagar",
    # fr
    "je vais te tuer", "je vais vous tuer", "je vais te buter", "je vais vous buter", "je sais où tu habites",
    "je vais te casser la gueule", "je vais vous casser la gueule", "j'espère que vous allez crever",
    # de
    "ich bring dich um", "ich bringe dich um", "ich bring euch um", "ich bringe euch um", "ich weiß wo du wohnst",
    "ich weiss wo du wohnst", "ich schlag dich", "ich mach dich fertig", "ich mach euch fertig",
    # pt
    "vou te matar", "vou matar vocês", "vou matar voces", "sei onde você mora", "sei onde voce mora",
    "vou quebrar sua cara", "vou te quebrar",
    # it
    "ti ammazzo", "vi ammazzo", "ti uccido", "vi uccido", "so dove abiti", "ti spacco la faccia",
    # ar
    "سأقتلك", "سأقتلكم", "راح اقتلك", "رح اقتلك", "بقتلك", "أعرف أين تسكن",
    # ja
    "殺すぞ", "ぶっ殺す", "殺してやる", "ぶっ飛ばす",
]

#: Harassment: telling someone to harm themselves, sexual harassment, hounding a person.
HARASSMENT = [
    # en
    "kill yourself", "kill yourselves", "kys", "go die", "go kill yourself", "drink bleach", "hang yourself",
    "send nudes", "i'll post her address", "i'll post his address", "i'll post your address",
    "i will post your address", "dox you", "doxx you", "i'm going to dox", "i'll dox",
    "you should be raped", "get raped",
    # es
    "mátate", "matate", "suicídate", "muérete", "muerete",
    # fr
    "va te pendre", "suicide-toi", "va crever", "allez crever", "crève charogne",
    # de
    "bring dich um", "häng dich auf", "verreck doch", "verreckt doch",
    # pt
    "vai se matar", "vá se matar", "se mata logo",
    # it
    "vai ad ammazzarti", "ammazzati pure", "impiccati",
    # ar
    "موت يا", "روح انتحر",
    # ja
    "死ね", "消えろ", "氏ね",
]

#: Insults: abuse when aimed at someone (see ``_aimed``).
INSULTS = [
    # en
    "idiot", "idiots", "moron", "morons", "imbecile", "imbeciles", "cretin", "cretins", "dumbass", "dumbasses",
    "asshole", "assholes", "arsehole", "arseholes", "bastard", "bastards", "cunt", "cunts",
    # "bitch" alone is mostly a verb or a figure ("training was a bitch"): only said to someone
    "you bitch", "you bitches", "u bitch", "stupid bitch", "stupid bitches",
    "dickhead", "dickheads", "douchebag", "douchebags", "scumbag", "scumbags", "scum", "piece of shit",
    "pieces of shit", "shithead", "shitheads", "clowns", "wanker", "wankers", "twat", "twats",
    "halfwit", "halfwits", "brain dead", "braindead", "losers", "pigs", "fuck you", "fuck u", "fuck off",
    "fuck your", "fuck y'all", "screw you", "screw u", "go to hell", "shut the fuck up", "stfu",
    # es
    "idiota", "idiotas", "imbécil", "imbéciles", "imbecil", "estúpido", "estúpidos", "estúpida", "pendejo",
    "pendejos", "gilipollas", "cabrón", "cabrones", "hijo de puta", "hijos de puta", "subnormal", "subnormales",
    "inútiles", "payasos", "vete a la mierda", "iros a la mierda", "que te jodan", "que os jodan",
    # fr
    "connard", "connards", "connasse", "connasses", "abruti", "abrutis", "crétin", "crétins", "débile",
    "débiles", "enculé", "enculés", "salaud", "salauds", "salope", "bande de nuls", "bande d'incapables",
    "va te faire foutre", "allez vous faire foutre", "ta gueule", "fermez vos gueules", "incapables",
    # de
    "arschloch", "arschlöcher", "vollidiot", "vollidioten", "idioten", "depp", "deppen", "wichser",
    "hurensohn", "hurensöhne", "penner", "spast", "spasten", "trottel", "dummkopf", "verpiss dich",
    "verpisst euch", "fick dich", "fickt euch", "halt die fresse", "haltet die fresse", "missgeburt",
    # pt
    "otário", "otários", "otario", "otarios", "imbecis", "babaca", "babacas", "filho da puta",
    "filhos da puta", "vagabundo", "vagabundos", "palhaços", "vai se foder", "vão se foder", "vai tomar no cu",
    "cala a boca", "incompetentes",
    # it
    "stronzo", "stronzi", "cretino", "cretini", "coglione", "coglioni", "imbecille", "imbecilli",
    "deficiente", "deficienti", "testa di cazzo", "vaffanculo", "vai a fanculo", "stai zitto", "pagliacci",
    # ar
    "يا غبي", "يا أغبياء", "يا اغبياء", "أغبياء", "اغبياء", "يا حمار", "يا حمير", "يا حقير", "حقراء",
    "يا كلب", "يا كلاب", "يا تافه",
    # ja
    "バカ", "馬鹿", "アホ", "クズ", "無能",
]

#: Slurs: abuse when aimed at someone (a slur reported by its target, "he called me a …", is
#: a discrimination report: crisis, not the poster's abuse).
SLURS = [
    "retard", "retards", "retarded", "faggot", "faggots", "fag", "fags", "tranny", "trannies", "nigger",
    "niggers", "nigga", "chink", "chinks", "spic", "spics", "kike", "kikes", "raghead", "ragheads", "paki",
    "pakis", "wetback", "wetbacks", "dyke", "dykes", "whore", "whores", "slut", "sluts",
    "maricón", "maricones", "sudaca", "sudacas", "pédé", "pédés", "bougnoule", "bougnoules", "schwuchtel",
    "kanake", "kanaken", "viado", "viados", "macaco", "frocio", "froci", "terrone",
]

#: Words that make an insult worse; listed in the evidence only next to a real insult ("useless
#: idiots"), never abuse on their own ("the app is useless" is a complaint).
AMPLIFIERS = ["useless", "incompetent", "pathetic", "worthless", "brainless", "stupid", "dumb", "fucking",
              "fkn", "bloody", "inútil", "inutile", "nul", "nuls", "inkompetent", "unfähig", "unfähige"]

#: Who the brand answers for: the second person, staff words. An @handle counts as well.
TARGETS = [
    # en
    "you", "your", "you're", "youre", "yours", "u", "ur", "ya", "y'all", "yall", "yourself", "yourselves",
    "staff", "agent", "agents", "employee", "employees", "crew", "pilot", "pilots", "attendant", "attendants",
    "steward", "stewardess", "rep", "reps", "representative", "representatives", "manager", "managers",
    "cashier", "driver", "support", "company", "airline", "bank", "operator", "operators", "ceo",
    # es
    "tú", "tu", "te", "usted", "ustedes", "vosotros", "os", "eres", "sois", "empleado", "empleados",
    "empleada", "personal", "agente", "agentes", "tripulación", "azafata", "azafatas", "aerolínea", "empresa",
    # fr
    "toi", "t'es", "vous", "votre", "vos", "êtes", "personnel", "employé", "employés", "agents", "hôtesse",
    "hôtesses", "compagnie", "entreprise", "service client",
    # de
    "du", "dich", "dir", "dein", "deine", "ihr", "euch", "euer", "eure", "seid", "bist", "mitarbeiter",
    "mitarbeiterin", "personal", "firma", "airline", "kundendienst",
    # pt
    "você", "vocês", "voce", "voces", "vc", "vcs", "teu", "tua", "seus", "suas", "funcionário",
    "funcionários", "funcionarios", "atendente", "atendentes", "empresa", "companhia",
    # it
    "voi", "vostro", "vostra", "vostri", "siete", "sei", "ti", "personale", "dipendenti", "compagnia",
    "azienda",
    # ar (no word boundaries in the matcher: words only, anywhere in the post)
    "أنت", "انت", "أنتم", "انتم", "موظف", "الموظف", "الموظفين", "موظفين", "الشركة", "شركتكم",
    # ja
    "お前", "おまえ", "てめえ", "テメエ", "貴様", "あんた", "スタッフ", "社員", "店員", "係員", "客室乗務員", "御社", "お宅",
]

#: The writer themself: one of these just before an insult makes it self-directed ("I'm such an
#: idiot", "call me an idiot", "my idiot brother"). Not a bare "I": "I told your idiots" is abuse.
SELF = [
    "i'm", "im", "am", "me", "my", "myself", "feel like", "felt like",
    "soy", "estoy", "yo", "je suis", "j'suis", "suis", "moi", "ich bin", "bin", "mich", "mein", "meine",
    "sou", "eu", "sono", "io", "mi", "mio", "mia",
    "أنا", "انا", "私", "僕", "俺", "自分", "わたし",
]
#: Right after an insult, only "I am" / "I was" makes it self-directed ("what an idiot I am"):
#: "you idiots lost my bag" is abuse.
SELF_AFTER = [("i", "am"), ("i", "was"), ("am", "i")]

# Insults are aimed when a target word is this many words before or after them (a sentence's
# reach: "your agents are complete idiots", "idiots at @brand"); the writer within SELF_BEFORE
# words before ("I'm such an idiot") makes it self-directed.
TARGET_BEFORE, TARGET_AFTER = 5, 3
SELF_BEFORE = 3

KIND_WORDS = {"threat": "threatens staff", "harassment": "harasses staff", "slur": "slurs at staff",
              "insult": "insults staff", "model": "abusive language (model)"}
KIND_ORDER = ("threat", "harassment", "slur", "insult", "model")

# Masked profanity, read as the word it hides: f***, f*ck, f**k, fck, a**hole, sh*t, b*tch.
_UNMASK = [
    (re.compile(r"(?<!\w)f(?:\*{1,3}k?|\*ck|u\*k|\*\*k|u\*\*|ck|uk|uq)(?=[\W_]|$)", re.IGNORECASE), "fuck"),
    (re.compile(r"(?<!\w)a(?:\*\*|\$\$|ss)h(?:\*le|ole)(s?)(?!\w)", re.IGNORECASE), r"asshole\1"),
    (re.compile(r"(?<!\w)sh(?:\*t|\*\*)(?!\w)", re.IGNORECASE), "shit"),
    (re.compile(r"(?<!\w)b(?:\*tch|\*\*ch|\*\*\*\*)(es)?(?!\w)", re.IGNORECASE), r"bitch\1"),
]
_WORD = re.compile(r"@?\w+(?:['’]\w+)*")
_WORD_OR_STOP = re.compile(r"@?\w+(?:['’]\w+)*|[.,;:!?¿¡…()]+")
#: Words that start a new clause, like punctuation.
CLAUSE_WORDS = frozenset({"but", "pero", "mais", "aber", "mas", "ma", "though", "although"})
# Scripts whose insults are matched anywhere in the post, not in a window of words (Japanese has
# no spaces; Arabic attaches articles and pronouns to words).
_ANYWHERE = re.compile(r"[\u0600-\u06ff\u3040-\u30ff\u4e00-\u9fff]")
# Swearing at a handle ("fuck @brand", "screw @brand"); "f*** this weather" is not abuse.
_AT_HANDLE = re.compile(r"(?<!\w)(fuck|screw)\s+(?=@\w)", re.IGNORECASE)


def unmask(text: str) -> str:
    for pattern, word in _UNMASK:
        text = pattern.sub(word, text)
    return text


@dataclass(frozen=True)
class Abuse:
    """Why a post is flagged: the kinds of abuse and the words (or the model) that showed it."""

    kinds: tuple[str, ...]  # threat / harassment / slur / insult / model, most serious first
    terms: tuple[str, ...]
    model_probability: float | None = None

    @property
    def label(self) -> str:
        """For people: "insults staff", "threatens staff, insults staff"."""
        return ", ".join(KIND_WORDS[k] for k in self.kinds)

    @property
    def evidence(self) -> str:
        """The triage reason: "abusive: idiot, useless" (the model's probability when it spoke)."""
        parts = list(self.terms[:4])
        if self.model_probability is not None:
            parts.append(f"model p={self.model_probability:.2f}")
        return "abusive: " + ", ".join(parts)

    def as_dict(self) -> dict:
        return {"label": self.label, "kinds": list(self.kinds), "terms": list(self.terms),
                "model_probability": self.model_probability, "evidence": self.evidence}


class _Lexicon:
    """One list of terms, matched cheaply: almost every post holds none of them.

    The Latin-script terms are only looked for when the post holds the *key word* of one of them
    (its longest word: "kill" of "i will kill you"), a set lookup per word; the Arabic and
    Japanese terms (a regex without word boundaries) only when the post has such letters."""

    def __init__(self, terms: Iterable[str]):
        terms = [t for t in dict.fromkeys(t.strip() for t in terms) if t.rstrip("*")]
        latin = [t for t in terms if not _ANYWHERE.search(t)]
        self._latin = TermMatcher(latin)
        self._other = TermMatcher([t for t in terms if _ANYWHERE.search(t)])
        keys = []
        for term in latin:
            words = _WORD.findall(term.rstrip("*").lower())
            # A masked or punctuated term ("f*** you") has no reliable key: the matcher always runs.
            if not words or not term.replace("*", "").replace("'", "").replace("’", "").replace("-", " ").replace(
                    " ", "").isalnum():
                keys = None
                break
            key = max(words, key=len)
            keys.append(key + "*" if term.endswith("*") and key == words[-1] else key)
        self._gate = TermMatcher(keys) if keys is not None else None

    def find(self, text: str) -> list[str]:
        found = self._latin.find(text) if self._gate is None or self._gate.search(text) else []
        if self._other and _ANYWHERE.search(text):
            found += self._other.find(text)
        return found


class AbuseDetector:
    """Finds abuse aimed at the brand or its staff in a post (see the module docstring)."""

    def __init__(self, extra_words: Iterable[str] = (), *, model_threshold: float = 0.5):
        self._threats = _Lexicon(THREATS)
        self._harassment = _Lexicon(HARASSMENT)
        self._insults = _Lexicon([*INSULTS, *extra_words])
        self._slurs = _Lexicon(SLURS)
        self._amplifiers = TermMatcher(AMPLIFIERS)
        self._targets = frozenset(t.lower() for t in TARGETS if " " not in t)
        self._target_phrases = TermMatcher([t for t in TARGETS if " " in t or not t.isascii()])
        self._self = tuple(s for s in SELF if s.isascii())
        self._self_anywhere = TermMatcher([s for s in SELF if not s.isascii()])
        self.model_threshold = model_threshold

    def detect(self, text: str, model_probability: float | None = None) -> Abuse | None:
        """The abuse in ``text``, or None. ``model_probability``: a trained head's opinion."""
        text = unmask(text)
        kinds: list[str] = []
        terms: list[str] = []

        def add(kind: str, found: list[str]) -> None:
            if found:
                kinds.append(kind)
                terms.extend(t for t in found if t not in terms)

        add("threat", self._threats.find(text))
        add("harassment", self._harassment.find(text))
        slurs, insults = self._slurs.find(text), self._insults.find(text)
        words = _Words(text) if slurs or insults else None  # most posts insult nobody: no windows
        add("slur", [t for t in slurs if self._aimed(text, words, t)])
        insults = [t for t in insults if self._aimed(text, words, t)]
        insults += [f"{m.group(1).lower()} @…" for m in _AT_HANDLE.finditer(text)]
        add("insult", insults)
        if terms:
            words = words or _Words(text)
            terms.extend(t for t in self._amplifiers.find(text) if t not in terms and self._aimed(text, words, t))
        model_says = model_probability is not None and model_probability >= self.model_threshold
        if model_says:
            kinds.append("model")
        if not kinds:
            return None
        ordered = tuple(k for k in KIND_ORDER if k in kinds)
        return Abuse(ordered, tuple(terms), round(model_probability, 4) if model_says else None)

    def _aimed(self, text: str, words: _Words, term: str) -> bool:
        """Whether the insult ``term`` is aimed at the brand or its staff (not at the writer)."""
        if _ANYWHERE.search(term):
            # Arabic, Japanese: no reliable word windows; a target word anywhere in the post, and
            # no "I" before the insult.
            at = text.find(term)
            before = text[:at] if at >= 0 else text
            # "يا غبي": the vocative names whom it is said to.
            addressed = term.startswith("يا ") or bool(self._target_phrases.find(text))
            return addressed and not self._self_anywhere.find(before)
        term_words = [w.lower() for w in _WORD.findall(term)]
        if not term_words:
            return False
        for start in words.occurrences(term_words):
            end = start + len(term_words)
            clause = words.clause[start]
            if self._has_target(term_words):
                target = True  # the phrase names its target ("fuck you", "verpiss dich")
            else:
                target = (self._has_target(words.before(start, TARGET_BEFORE))
                          or self._has_target(words.after(end, TARGET_AFTER, clause)))
            before = " " + " ".join(words.before(start, SELF_BEFORE)) + " "
            writer = any(f" {s} " in before for s in self._self) or any(
                tuple(words.after(end, len(pair), clause)) == pair for pair in SELF_AFTER)
            if target and not writer:
                return True
        return False

    def _has_target(self, words: list[str]) -> bool:
        return any(w in self._targets or w.startswith("@") for w in words)


class _Words:
    """A post's words in lower case (``@handles`` kept whole), for the windows around an insult.

    Windows stay inside a clause: punctuation and "but" end one ("the guy next to me was an
    idiot, but the crew were great" does not aim "idiot" at the crew)."""

    def __init__(self, text: str):
        self.all: list[str] = []
        self.clause: list[int] = []
        clause = 0
        for match in _WORD_OR_STOP.finditer(text):
            token = match.group(0).lower()
            if not token[0].isalnum() and token[0] not in "@_" or token in CLAUSE_WORDS:
                clause += 1
                continue
            self.all.append(token)
            self.clause.append(clause)
        self._index: dict[str, list[int]] = {}
        for i, w in enumerate(self.all):
            self._index.setdefault(w, []).append(i)

    def occurrences(self, phrase: list[str]) -> list[int]:
        """Where ``phrase`` (words) starts in the post."""
        starts = self._index.get(phrase[0], [])
        return [i for i in starts if self.all[i:i + len(phrase)] == phrase]

    def before(self, start: int, n: int) -> list[str]:
        """Up to ``n`` words before index ``start``, in its clause."""
        lo = max(0, start - n)
        return [w for i, w in enumerate(self.all[lo:start], lo) if self.clause[i] == self.clause[start]]

    def after(self, end: int, n: int, clause: int) -> list[str]:
        """Up to ``n`` words from index ``end`` on, in ``clause``."""
        return [w for i, w in enumerate(self.all[end:end + n], end) if self.clause[i] == clause]
