"""Built-in intent vocabularies (extendable from the config's triage section).

Every list covers English, Spanish, French, German, Portuguese, Italian, Arabic and Japanese
(Arabic terms match whole words with their clitics, Japanese ones anywhere: see
``bot.triage.text``). Following the seed framework: tier 1 is a direct question, dissatisfaction, an urgent need or
a possible crisis; tier 2 is a general or positive reference or an indirect industry
reference. Terms are whole words, case-insensitive; a trailing ``*`` matches any ending.
"""

# Possible crisis, by reason: the evidence names the reason ("violence: bring a gun"). Threats
# and safety words are phrases, not single words, so that figurative uses stay out: "this delay
# is killing me", "the bomb of a dessert", "my phone died", "the app keeps crashing".
CRISIS_REASONS: dict[str, list[str]] = {
    "safety": [
        "emergency landing", "plane crash", "crash landing", "crash landed", "car crash",
        "crashed into", "injur*", "hospital", "hospitals", "hospitalised", "hospitalized", "in the er", "passenger died", "someone died", "he died", "she died",
        "died on board", "nearly died", "almost died", "could have died", "death on board", "a fire", "fire in",
        "fire on", "fire at the", "caught fire", "engine fire", "fire alarm", "explosion", "unsafe", "dangerous", "safety hazard", "smoke", "paramedic*", "ambulance",
        "oxygen", "evacuat*", "poisoning", "food poisoning", "allergic reaction", "anaphyla*", "epipen", "epi pen",
        "can't breathe", "cannot breathe", "couldn't breathe", "unconscious", "passed out", "fainted",
        "heart attack", "seizure", "medical emergency", "turbulence injur*",
        "aterrizaje de emergencia", "incendio", "humo", "herid*", "ambulancia", "reacción alérgica",
        "atterrissage d'urgence", "incendie", "fumée", "blessé*", "réaction allergique",
        "notlandung", "feuer an bord", "rauch", "verletzt*", "krankenwagen", "allergische reaktion",
        "pouso de emergência", "fumaça", "ferid*", "reação alérgica", "ferit*",
        "atterraggio di emergenza", "fumo", "ospedale", "ambulanza", "reazione allergica",
        "هبوط اضطراري", "حريق", "دخان", "إصابة", "مصاب", "مستشفى", "إسعاف", "حساسية شديدة",
        "事故", "緊急着陸", "火事", "煙が", "発煙", "怪我", "けが", "救急車", "病院", "アレルギー反応",
    ],
    "violence": [
        "i will kill you", "i'll kill you", "gonna kill you", "going to kill you", "kill you all", "kill u",
        "i will kill him", "i'll kill him", "i will kill her", "i'll kill her", "i will kill them", "i'll kill them",
        "kill everyone", "kill somebody", "kill someone", "kill the pilot", "kill the crew", "kill the staff",
        "i will hurt", "i'll hurt", "gonna hurt someone", "going to hurt someone", "hurt someone", "hurt somebody",
        "shoot you", "shoot up", "shoot everyone", "open fire",
        "bring a gun", "bringing a gun", "have a gun", "got a gun", "has a gun", "with a gun", "pulled a gun",
        "bring a knife", "has a knife", "with a knife", "pulled a knife", "a weapon", "bomb threat", "bomb on board",
        "a bomb on", "have a bomb", "got a bomb", "there is a bomb", "there's a bomb", "planted a bomb",
        "bring a bomb", "blow up the", "blow up your", "blow this plane", "watch your back", "i know where you live",
        "death threat*", "threatened to kill", "threatened to hurt", "threatening to kill", "threatening people",
        "threatening passengers", "threatening the crew", "threatening us", "threatened us", "threatened me",
        "threatening me", "punched", "stabbed", "choked me", "attacked me", "attacked a", "assault*", "beat me up",
        "te voy a matar", "los voy a matar", "voy a matarte", "bomba a bordo", "hay una bomba", "tengo una bomba",
        "amenaza de bomba", "tengo un arma", "tiene un arma", "me amenazó", "nos amenazó", "amenazó con matar",
        "amenazando a", "amenaza de muerte", "cuídate la espalda",
        "je vais te tuer", "je vais vous tuer", "vais vous tuer", "bombe à bord", "alerte à la bombe",
        "il y a une bombe", "j'ai une bombe", "j'ai une arme", "une arme", "m'a menacé*", "nous a menacé*",
        "menacé de mort", "menace de mort", "menaces de mort",
        "ich bringe dich um", "bring dich um", "ich bring euch um", "ich werde dich töten", "umbringen",
        "bombe an bord", "bombendrohung", "habe eine bombe", "eine waffe", "bedroht", "morddrohung*", "drohte mir",
        "vou te matar", "vou matar", "bomba a bordo", "tem uma bomba", "ameaça de bomba", "tenho uma arma",
        "uma arma", "me ameaçou", "nos ameaçou", "ameaçou matar", "ameaça de morte",
        "ti ammazzo", "vi ammazzo", "ti uccido", "vi uccido", "allarme bomba", "c'è una bomba", "ho una bomba",
        "ho una pistola", "ha una pistola", "un'arma", "mi ha minacciat*", "ci ha minacciat*", "minacce di morte",
        "minacciato di morte",
        "سأقتلك", "سأقتل", "راح اقتلك", "قنبلة", "تهديد بالقتل", "هددني", "هددنا", "يهدد الركاب", "سلاح", "مسدس",
        "殺すぞ", "殺してやる", "爆弾", "脅迫", "刃物",
    ],
    "discrimination": [
        "discrimin*", "racis*", "racial profiling", "racially profiled", "profiled me", "racial slur*", "slur", "slurs",
        "sexis*", "homophob*", "transphob*", "ableis*", "antisemit*", "islamophob*", "xenophob*",
        "because i'm black", "because i am black", "because we're black", "because we are black",
        "because i'm muslim", "because i am muslim", "because i'm jewish", "because i'm gay", "because i am gay",
        "because we're gay", "because i'm trans", "because i'm disabled", "because i am disabled",
        "because i'm a woman", "because of my race", "because of my religion", "because of my hijab",
        "because of my turban", "because of my skin", "because of my accent", "because of my name",
        "because of my disability", "because of my wheelchair", "because of my service dog",
        "because of my guide dog", "because of my weight", "for being black", "for being muslim",
        "for being gay", "for being trans", "for being disabled", "for speaking arabic", "for speaking spanish",
        "refused my service dog", "refused my guide dog",
        "racist*", "racismo", "xenófob*", "homófob*", "por ser negro", "por ser negra",
        "por ser musulmán", "por mi silla de ruedas", "por ser gay",
        "raciste*", "racisme", "homophobe*", "parce que je suis noir", "parce que je suis noire",
        "à cause de mon fauteuil", "à cause de mon voile",
        "rassis*", "diskriminier*", "wegen meiner hautfarbe", "wegen meines rollstuhls", "weil ich schwarz bin",
        "racismo", "preconceito", "por ser negro", "por causa da minha cadeira de rodas",
        "razzis*", "perché sono nero", "perché sono nera",
        "per la mia sedia a rotelle",
        "عنصري", "عنصرية", "تمييز", "بسبب حجابي", "بسبب ديني", "بسبب لون بشرتي", "بسبب كرسي", "差別", "人種差別",
    ],
    "harassment": [
        "harass*", "acoso", "acosad*", "harcèlement", "harcelé*", "belästig*", "assédio", "molestie", "molestat*",
        "تحرش", "ハラスメント", "セクハラ",
    ],
    "legal": [
        "lawsuit", "sue you", "sue them", "suing", "lawyer*", "attorney*", "legal action", "class action",
        "abogado*", "demanda", "avocat*", "plainte", "anwalt", "klage", "advogad*", "processar",
        "avvocat*", "denuncia", "causa legale", "محامي", "محام", "دعوى", "قضية ضد", "弁護士", "訴え",
    ],
    "security": ["data breach", "breach", "hacked", "leaked", "data leak", "stolen data", "identity theft"],
    "reputation": [
        "boycott*", "journalist", "reporter", "for comment", "press enquiry", "press inquiry", "going viral",
        "gone viral",
    ],
}

CRISIS = [term for terms in CRISIS_REASONS.values() for term in terms]

# Idioms that hold a crisis word and are no crisis: removed from the text before the crisis
# words are looked up again ("add insult to injury", "a fire sale", "up in smoke").
NOT_CRISIS = [
    "insult to injury", "injury to insult", "fire sale", "holy smoke", "smoke and mirrors", "up in smoke",
    "blowing smoke", "explosion of flavor", "explosion of flavour", "explosion of taste", "bomb of a",
]

URGENT = [
    "urgent*", "asap", "emergency", "immediately", "right now", "stranded", "stuck", "locked out",
    "can't access", "cannot access", "can't log in", "leaves in", "departs in", "boarding in",
    "boarding now", "boards in", "passport", "missed my flight", "missed my connection", "missed the connection", "sos",
    "help!!", "please hurry", "nobody is here", "no one is here", "alone at",
    "connection is in", "make my connection", "gate closes", "boarding closes", "doors close",
    # a wheelchair someone is waiting for, not every sentence with the word ("thanks for the wheelchair help")
    "need a wheelchair", "needs a wheelchair", "wheelchair at arrival", "wheelchair on arrival",
    "wheelchair assistance", "no wheelchair", "waiting for a wheelchair", "waiting for the wheelchair",
    "wheelchair never", "wheelchair didn't", "wheelchair hasn't", "need assistance at",
    "urgente", "urgence", "dringend", "socorro", "auxilio", "inmediatamente", "varad*", "atrapad*",
    "silla de ruedas", "immédiatement", "tout de suite", "bloqué*", "coincé*", "fauteuil roulant",
    "part dans", "sofort", "sitze fest", "sitzen fest", "gestrandet", "rollstuhl", "imediatamente",
    "cadeira de rodas", "subito", "immediatamente", "bloccat*", "emergenza",
    "sedia a rotelle", "parte tra", "aiuto!", "عاجل", "فورا", "فوراً", "طوارئ", "عالق", "عالقة", "عالقين",
    "كرسي متحرك", "النجدة", "تقلع بعد", "至急", "緊急", "今すぐ", "立ち往生", "車椅子", "助けて",
]

# Time pressure a word list cannot spell out: "my connection in 10 minutes", "flight leaves in
# 25 min", "boarding in 5 mins", "vuelo en 15 minutos". Regular expressions, case-insensitive.
URGENT_PATTERNS = [
    r"\b(?:connection|connecting flight|flight|boarding|gate|plane|train|vuelo|vol|flug|voo|volo)\b[^.!?\n]{0,30}?"
    r"\b(?:in|en|dans|em|tra|fra|in)\s+\d{1,2}\s*(?:min|mins|minutes|minutos|minuten|minuti|minuto)\b",
]

COMPLAINT = [
    "worst", "terrible", "horrible", "awful", "disgusting", "ridiculous", "unacceptable", "pathetic",
    "disappointed", "disappointing", "furious", "angry", "still waiting", "never again",
    "broken", "doesn't work", "does not work", "not working", "won't work", "crashed", "crashing",
    "keeps crashing", "delayed", "delay", "cancelled", "canceled", "lost my", "lost our", "losing",
    "rude", "scam", "useless", "joke", "shame on", "fix this", "complain*", "no response", "ignored",
    "ignoring", "waste", "hours on hold", "on hold", "nobody answers", "no answer", "overcharged",
    "charged twice", "hung up", "rolled her eyes", "rolled his eyes", "not my problem", "love that for us",
    "waited", "denied boarding", "no one from", "nobody from", "cancelling", "hasn't moved", "days ago", "was promised",
    "😡", "🤬", "😤", "😩", "💔", "👎", "❌", "is gone", "went missing", "didn't arrive", "never arrived", "hasn't arrived", "missing", "damaged", "fed up",
    "pésim*", "nunca más", "vergonzoso", "inaceptable", "perdieron", "no llegó", "retras*",
    "décevant", "inadmissible", "honte", "nul", "perdu", "annulé", "retard",
    "schlecht", "unverschämt", "gestrichen", "niemand", "warte*", "reicht", "katastroph*", "enttäuscht", "verloren", "verspät*",
    "péssim*", "vergonha", "absurdo", "perderam", "atrasad*",
    "ritard*", "cancellat*", "smarrit*", "perso", "persa", "non è arrivat*", "delus*", "schifo", "orribile",
    "terribile", "vergogn*", "inaccettabile", "nessuno risponde", "mai più", "scandal*", "arrabbiat*",
    "سيء", "سيئة", "أسوأ", "اسوأ", "تأخير", "تأخرت", "تأخر", "متأخرة", "ألغيت", "إلغاء", "ضاعت", "ضائعة",
    "مفقودة", "لم تصل", "لم يصل", "غير مقبول", "فظيع", "مخيب", "زفت", "مستاء", "غاضب", "شكوى", "للأسف",
    "مهزلة", "لا أحد يرد", "احتيال", "نصب", "قرف",
    "horrible", "horrendo", "cancelad*", "nadie responde", "estafa", "decepcionad*", "furios*",
    "lamentable", "personne ne répond", "arnaque", "scandal*", "en colère", "déçu*", "verspätung",
    "abgesagt", "frechheit", "skandal*", "keiner antwortet", "betrug", "horrível", "cancelad*",
    "ninguém responde", "golpe", "decepcionad*", "não chegou",
    "最悪", "ひどい", "遅延", "紛失", "欠航", "がっかり", "届かない", "許せない", "返金されない", "対応が悪い",
]

# Sarcasm: praise words used to complain ("love that for us 🙃"). These make a post a complaint
# however positive VADER reads it.
SARCASM = [
    "🙃", "🙄", "🥲", "love that for us", "nothing says", "peak airline", "did not exist", "stands for",
    "will lose your", "great job", "super service", "thanks for nothing", "what a joke", "yeah right",
]

QUESTION = [
    "how do i", "how can i", "how to", "what is", "what's", "when will", "where is", "where's", "why is",
    "why does", "can i", "can you", "could you", "do you", "does anyone", "is it possible", "is there",
    "will i", "am i able", "any update", "any news",
    "pueden", "puedo", "cómo", "dónde", "cuándo", "ayuda*", "pouvez", "comment", "où", "aide*",
    "können sie", "wie kann", "hilfe", "wo ist", "podem", "posso", "como", "ajuda*",
    "come posso", "dove", "quando", "potete", "posso", "aiutatemi", "aiuto",
    "كيف", "متى", "أين", "وين", "هل", "ممكن", "مساعدة", "ساعدوني",
    "どう", "教えて", "できますか", "ですか", "ますか", "どこ",
]

PRAISE = [
    "thank*", "thx", "love", "loved", "amazing", "awesome", "great", "excellent", "fantastic",
    "wonderful", "kudos", "shoutout", "shout out", "brilliant", "best", "superb", "impressed",
    "gracias", "genial", "excelente", "merci", "génial", "super", "danke", "toll", "obrigad*",
    "ótimo", "grazie", "ottim*", "bravissim*", "perfetto", "gentilissim*", "complimenti", "meraviglios*",
    "شكرا", "شكراً", "شكرًا", "ممتاز", "ممتازة", "رائع", "رائعة", "أحسنتم", "مشكورين", "جميل",
    "ありがとう", "最高", "素晴らしい", "感謝", "助かりました",
]
