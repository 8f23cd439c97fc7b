"""Built-in intent vocabularies (extendable from the config's triage section).

Following the seed framework: tier 1 is a direct question, dissatisfaction, an urgent need or
a possible crisis; tier 2 is a general or positive reference or an indirect industry
reference. Terms are whole words, case-insensitive; a trailing ``*`` matches any ending.
"""

CRISIS = [
    # legal threats
    "lawsuit", "sue you", "sue them", "suing", "lawyer*", "attorney*", "legal action", "class action",
    "abogado*", "demanda", "avocat*", "plainte", "anwalt", "klage", "advogad*", "processar",
    # safety
    "emergency landing", "crash*", "injur*", "hospital*", "died", "death", "dead", "fire", "explosion",
    "unsafe", "dangerous", "safety hazard", "smoke", "paramedic*", "ambulance", "oxygen", "evacuat*", "poisoning",
    # data and security
    "data breach", "breach", "hacked", "leaked", "data leak", "stolen data", "identity theft",
    # reputation and media
    "boycott*", "discriminat*", "racis*", "sexis*", "harass*", "assault*", "journalist", "reporter",
    "for comment", "press enquiry", "press inquiry", "going viral", "gone viral",
    "事故", "緊急着陸",
]

URGENT = [
    "urgent*", "asap", "emergency", "immediately", "right now", "stranded", "stuck", "locked out",
    "can't access", "cannot access", "can't log in", "leaves in", "departs in", "boarding in",
    "boarding now", "boards in", "passport", "missed my flight", "missed my connection", "missed the connection", "sos",
    "help!!", "please hurry", "nobody is here", "no one is here", "alone at",
    "urgente", "urgence", "dringend", "socorro", "auxilio", "至急", "緊急",
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
    "最悪", "ひどい", "遅延", "紛失", "欠航",
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
    "どう", "教えて", "できますか", "ですか",
]

PRAISE = [
    "thank*", "thx", "love", "loved", "amazing", "awesome", "great", "excellent", "fantastic",
    "wonderful", "kudos", "shoutout", "shout out", "brilliant", "best", "superb", "impressed",
    "gracias", "genial", "excelente", "merci", "génial", "super", "danke", "toll", "obrigad*",
    "ótimo", "ありがとう", "最高", "素晴らしい",
]
