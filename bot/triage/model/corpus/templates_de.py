"""German templates, written natively. Format: see build.py."""

FLIGHT_WORD = "Flug"
MONEY = ("{} €", "{}€", "{} Euro", "{} CHF")

FILLERS = {
    "dur": ("2 Stunden", "3 Std.", "45 Minuten", "anderthalb Stunden", "4 Stunden", "die ganze Nacht", "5h"),
    "city": ("Berlin", "München", "Hamburg", "Frankfurt", "Wien", "Zürich", "Köln", "Düsseldorf", "Stuttgart"),
    "day": ("gestern", "heute", "heute Morgen", "gestern Abend", "am Montag", "am Freitag", "letzte Woche", "vor 3 Tagen"),
    "staff": ("Anna", "Jonas", "Leonie", "Felix", "Mehmet", "Sabine", "Lukas", "Katrin"),
    "item": ("Medikamente", "Laptop", "Insulin", "Hochzeitskleid", "Reisepass"),
    "tier": ("Gold", "Platin", "Senator", "Platinum"),
    "outlet": ("der Tageszeitung", "Radio Mitte", "dem Abendblatt", "einem großen Nachrichtenportal"),
    "kid": ("meine Tochter (9)", "mein Sohn, 10 Jahre", "unsere 12-jährige Tochter"),
    "prize": ("iPhone 16", "500€ Gutschein", "PS5", "ein Jahr Gratisflüge"),
}

OPENERS = {
    "complaint": ("Im Ernst?", "Unglaublich.", "Hallo,", "Schon wieder", "Ehrlich gesagt", "Na toll.", "Sorry, aber"),
    "question": ("Hallo!", "Hallo,", "Kurze Frage:", "Guten Tag,", "Moin,", "Servus,"),
    "praise": ("Danke!", "Ehrlich:", "Hut ab.", "Großes Lob!"),
    "urgent": ("DRINGEND:", "Bitte helfen!", "Hilfe,", "Bitte schnell!!"),
    "crisis": ("Das ist ernst.", "Ich muss das melden.", "Ich zittere noch."),
    "general": ("", "So,", "Naja", "haha"),
}
CLOSERS = {
    "complaint": ("Nie wieder.", "Unverschämt.", "Eine Frechheit.", "Katastrophe.", "Ich warte immer noch.",
                  "#niewieder", "Reicht jetzt.", "Echt enttäuscht."),
    "question": ("Danke!", "Danke im Voraus.", "Viele Grüße", "LG", "Danke"),
    "praise": ("Danke!!", "Gerne wieder.", "Top.", "Super Team!", "Weiter so."),
    "urgent": ("Bitte schnell.", "Bitte sofort antworten!!", "Es ist dringend."),
    "crisis": ("Ich erwarte eine Erklärung.", "Das hat Konsequenzen.", "Antworten Sie."),
    "general": ("", "haha", "✈️", "los geht's", "#reisen"),
}
HASHTAGS = {
    "negative": ("#niewieder", "#verspätung", "#frechheit", "#kundenservice"),
    "positive": ("#reisen", "#danke", "#urlaub"),
    "neutral": ("#reisen", "#frage", "#hilfe"),
}
INSULTS = ("Ihr Vollidioten.", "Unfähiger Haufen.", "Ihr seid Abschaum.", "Verbrecherbande.", "Ihr Witzfiguren.",
           "Leckt mich doch.")

CELLS = [
    ("complaint/negative/late_flight", """
{flight} hat {dur} Verspätung und niemand sagt uns was
Schon wieder Verspätung. {dur} am Gate {gate} ohne Wasser und ohne Info
Drei Flüge mit euch, dreimal verspätet
Wir sitzen seit {dur} im Flieger und nichts bewegt sich
Wegen der Verspätung von {flight} hab ich meinen Termin in {city} verpasst
App sagt pünktlich, wir warten seit {dur}. Echt jetzt
    """),
    ("complaint/negative/cancelled_flight", """
Flug um 23 Uhr gestrichen und der nächste geht übermorgen??
Flug annulliert, kein Hotel, kein Gutschein, keiner hilft
Ihr storniert unseren Flitterwochenflug und bietet einen Gutschein an. Einen Gutschein!
mit 30 Minuten Vorwarnung gestrichen, 300 Leute in der Schlange, 2 Mitarbeiter
    """),
    ("complaint/negative/lost_luggage", """
Mein Koffer ist nie in {city} angekommen. Vorgang {code}, seit 3 Tagen meldet sich keiner
Ihr habt mein Gepäck SCHON WIEDER verloren
Tag 4 ohne Koffer. Ich geh in denselben Klamotten zur Konferenz
Koffer seit {day} "unterwegs". Wo ist er?
    """),
    ("complaint/negative/damaged_luggage", """
Koffer kam mit abgerissenem Griff vom Band
Der Kinderwagen ist verbogen und unbrauchbar
    """),
    ("complaint/negative/refund", """
Warte seit {day} auf meine Erstattung. 8 Wochen inzwischen
Ihr streicht den Flug und gebt mir einen Gutschein statt Geld zurück?
Erstattung {code} seit März "genehmigt". Und das Geld?
    """),
    ("complaint/negative/booking", """
Die Website hat abgebucht und kein Ticket ausgestellt
Online-Check-in geht nicht, Automat geht nicht, Schlange 90 Minuten
Sitzplätze zusammen bezahlt und mein 4-jähriger sitzt in Reihe 30
    """),
    ("complaint/negative/app", """
App stürzt beim Check-in ab und die Bordkarte ist weg
Kann mich nicht einloggen, Passwort wird nie akzeptiert
    """),
    ("complaint/negative/customer_service", """
{dur} in der Warteschleife und dann aufgelegt
Die Mitarbeiterin in {airport} war total unfreundlich
Keiner geht ran, der Chatbot ist nutzlos
3 Mails, 2 Nachrichten, null Antworten
    """),
    ("complaint/negative/billing/-/biz", """
Ihr habt diesen Monat doppelt abgebucht
Rechnung ist ohne Ankündigung um {amount} gestiegen
    """),
    ("complaint/negative/accessibility", """
Rollstuhl vorab gebucht, bei der Ankunft in {airport} war niemand da
    """),
    ("complaint/negative/food_onboard", """
Essen bezahlt, kaltes trockenes Sandwich bekommen
    """),
    ("complaint/negative/customer_service/abusive", """
euer Mitarbeiter {staff} ist ein kompletter Idiot, schmeißt ihn raus
ihr unfähigen Clowns
wer eure Social Media macht ist ein Vollpfosten
    """),
    ("complaint/negative/late_flight/sarcasm", """
Super, schon wieder {dur} Verspätung. Danke {b} 🙄
Ich liebe es, meinen Geburtstag am Gate {gate} zu verbringen. Danke {b}!
Pünktlich wie immer, {b}. Nur {dur} zu spät diesmal
    """),
    ("complaint/negative/lost_luggage/sarcasm", """
Danke {b}, dass mein Koffer ohne mich Urlaub in {city} macht
    """),
    ("complaint/negative/lost_luggage/mixed", """
Crew war super nett, aber mein Koffer ist weg
    """),
    ("praise/positive/customer_service", """
Riesigen Dank an {staff} am Gate {gate}, einfach klasse
Beste Crew, mit der ich je geflogen bin. Danke {b}!
Umbuchung in 5 Minuten erledigt. So macht das Spaß
Danke für die schnelle Antwort!
    """),
    ("praise/positive/-", """
Perfekter Flug, zu früh gelandet. Immer gern mit {b}
Was für eine sanfte Landung, danke Kapitän
    """),
    ("praise/positive/late_flight/mixed", """
{dur} Verspätung, aber die Crew war großartig. Danke
    """),
    ("question/neutral/booking", """
Kann ich meinen Flug online umbuchen oder muss ich anrufen?
Kann man nach der Buchung noch Gepäck hinzufügen?
Ab wann ist der Check-in für {flight} offen?
Wie groß darf das Handgepäck sein?
Wie ändere ich den Namen in der Buchung {code}?
    """),
    ("question/neutral/refund", """
Wie lange dauert eine Erstattung normalerweise?
    """),
    ("question/neutral/loyalty", """
Wie kann ich fehlende Meilen von einem Partnerflug nachtragen?
    """),
    ("question/neutral/late_flight", """
Gibt es Neuigkeiten zu {flight}? Anzeige sagt verspätet
    """),
    ("question/neutral/accessibility", """
Wie beantrage ich Rollstuhlhilfe für meine Mutter?
    """),
    ("question/negative/refund", """
Warum ist meine Erstattung immer noch nicht da? Seit 6 Wochen
    """),
    ("question/positive/booking", """
Erste Reise nach {city}!! Kann ich schon einen Fensterplatz wählen? 😍
    """),
    ("urgent/negative/late_flight", """
Mein Anschluss geht in 10 Minuten und wir rollen noch. Wartet der??
    """),
    ("urgent/negative/booking", """
Stehe am Gate, angeblich ist mein Ticket ungültig und das Boarding schließt in 5 Minuten
Man lässt mich nicht einsteigen, Buchung {code}, Abflug in 20 Minuten
    """),
    ("urgent/negative/lost_luggage", """
Die Herzmedikamente meiner Mutter sind im verlorenen Koffer. Sie braucht sie heute Abend. Vorgang {code}
    """),
    ("urgent/neutral/accessibility", """
Brauche bei Ankunft in {airport} einen Rollstuhl, Flug {flight}, Landung in einer Stunde. Buchung {code}
    """),
    ("urgent/negative/customer_service", """
{kid} fliegt allein mit {flight} und der Flieger wurde umgeleitet. Keiner sagt mir, wo sie ist
    """),
    ("crisis/negative/safety/safety", """
Rauch in der Kabine von {flight}, Notlandung in {city}
Notlandung in {airport}. Leute weinen. Was ist passiert?
Heftige Turbulenzen auf {flight}, eine Flugbegleiterin ist verletzt
Lebensmittelvergiftung nach dem Essen auf {flight}, wir sind in der Notaufnahme
Schwere allergische Reaktion nach dem Bordessen, kein Adrenalin an Bord
    """),
    ("crisis/negative/safety/safety,violence", """
Ein betrunkener Passagier hat auf {flight} eine Flugbegleiterin geschlagen
    """),
    ("crisis/negative/customer_service/violence,abusive", """
Wenn mein Koffer morgen nicht da ist, komme ich vorbei und schlage alles kurz und klein
Dem nächsten Mitarbeiter, der "Geduld" sagt, hau ich eine rein
    """),
    ("crisis/negative/customer_service/discrimination", """
Die Mitarbeiterin hat meine Freundin gezwungen, ihr Kopftuch abzunehmen. Sonst niemanden
Man hat sich über meinen Akzent lustig gemacht und mir nicht geholfen. Das ist Rassismus
    """),
    ("crisis/negative/refund/legal_threat", """
Mein Anwalt meldet sich wegen der {amount}, die ihr nicht erstattet
Ich reiche Klage ein und gehe zur Schlichtungsstelle
    """),
    ("crisis/neutral/safety/press", """
Journalistin von {outlet} hier, wir bitten um eine Stellungnahme zur Notlandung von {flight}
    """),
    ("complaint/negative/loyalty/vip", """
Seit 12 Jahren {tier} und so behandelt ihr mich?
    """),
    ("complaint/negative/-/emoji_only", """
{h} 😡😡
{h} 😤
    """),
    ("praise/positive/-/emoji_only", """
{h} ❤️👏
{h} 🙌
    """),
    ("general/neutral/-", """
Boarding für {flight} nach {city}
Unterwegs nach {city} mit {b}
Am Gate {gate}, mal sehen
    """),
    ("general/positive/-", """
Ab nach {city} in den Urlaub!! ✈️
    """),
    ("general/negative/-", """
Null Bock auf den 12-Stunden-Flug morgen
    """),
    ("spam/positive/-", """
{h} GEWINNE ein GRATIS {prize}!!! klick {spamlink} 🎁
{b} Gewinnspiel: {prize} für 100 Leute! Hier mitmachen {spamlink}
    """),
    ("spam/neutral/-", """
{h} Sehr geehrter Kunde, Ihr Konto wird gesperrt. Bestätigen Sie Ihre Daten unter {spamlink}
{user} Das tut uns leid! Schicken Sie Buchungscode und Kartennummer an {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} Kaufe 10.000 echte Follower für 9,99€ {spamlink}
{h} Ich habe mit {coin} {amount} an einem Tag verdient, schreib mir 💰
#reisen #flüge #angebot #gratis #gewinnspiel #follow #viral {spamlink}
    """),
    ("noise/neutral/-/-/any", """
{h} haha
{h} lol
    """),
    ("noise/neutral/-/-/none", """
Natives Olivenöl extra, nichts geht drüber
Das Donaudelta ist im Frühling wunderschön
Alles Gute zum Geburtstag, Schwesterherz!
    """),
    ("noise/negative/-/-/none", """
Diese Schlange beim Bürgeramt bringt mich um
    """),
]
