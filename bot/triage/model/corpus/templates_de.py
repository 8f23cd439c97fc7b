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
    ("complaint/negative/late_flight", """
{dur} auf dem Vorfeld ohne Klimaanlage, die Kinder weinen
jedes Mal mit {b} komme ich zu spät an, inzwischen Tradition
{dur} Verspätung und nicht mal eine Entschuldigung per Durchsage
    """),
    ("complaint/negative/customer_service", """
Wollte einen Vorgesetzten sprechen, angeblich gibt es keinen. Wie bitte?
4 Anrufe, 4 verschiedene Antworten
Der Chat hat sich geschlossen, während ich noch getippt habe
    """),
    ("complaint/negative/-", """
Sitz kaputt, Bildschirm tot, Toilette verstopft. Toller Flug
Eine Flasche Wasser für {amount} an Bord. Echt jetzt
    """),
    ("complaint/negative/-/-/biz", """
Seit Montag kein Internet und {b} sagt, es gibt keine Störung
Paket kam kaputt an und die Hälfte fehlt
    """),
    ("complaint/negative/customer_service/sarcasm", """
{dur} Warteschleifenmusik. Danke {b}, echt entspannend
Wieder eine Antwort per Copy & Paste. Fühle mich so verstanden
    """),
    ("complaint/negative/-/abusive/any", """
{b} ihr seid einfach nur Müll
leckt mich, {b}
    """),
    ("complaint/negative/customer_service/mixed", """
Crew top, Bodenpersonal eine Katastrophe
    """),
    ("praise/positive/lost_luggage/mixed", """
Koffer verloren, aber um 9 Uhr war er im Hotel. Gut gemacht
    """),
    ("praise/positive/-", """
Zum ersten Mal mit {b} geflogen und definitiv nicht zum letzten Mal
Sauber, pünktlich und eine super nette Crew
    """),
    ("praise/positive/loyalty", """
Überraschendes Upgrade auf {flight}! Danke {b}, ihr habt meine Woche gerettet
    """),
    ("question/neutral/-", """
Gibt es WLAN auf den Flügen nach {city}?
Habt ihr einen Studentenrabatt?
An wen wende ich mich wegen einer Fundsache aus dem Flug von {day}?
    """),
    ("question/neutral/cancelled_flight", """
Wenn {flight} morgen gestrichen wird, werde ich automatisch umgebucht?
    """),
    ("question/neutral/billing/-/biz", """
Warum ist meine Rechnung diesen Monat höher?
    """),
    ("question/negative/customer_service", """
Warum ist es unmöglich, bei {b} einen Menschen zu erreichen?
    """),
    ("urgent/negative/-", """
Bitte antwortet, ich sitze in {airport} mit zwei Kindern fest und habe keinen Flug mehr
    """),
    ("urgent/neutral/booking", """
Bin 15 Minuten zu spät für {flight}, könnt ihr dem Gate Bescheid geben?
    """),
    ("crisis/negative/safety/safety", """
Auf {flight} ist mitten im Flug ein Fenster gerissen. Wir landen in {city}
Ein Passagier ist auf {flight} zusammengebrochen, kein Defibrillator zu finden
Startabbruch bei voller Geschwindigkeit, mehrere Verletzte auf {flight}
    """),
    ("crisis/negative/accessibility/discrimination", """
Boarding verweigert, weil ich im Rollstuhl sitze. "Das geht nicht". Das ist illegal
    """),
    ("crisis/negative/customer_service/legal_threat", """
Ich habe alles gefilmt und mit einem Anwalt gesprochen
    """),
    ("crisis/neutral/customer_service/press", """
Guten Tag, hier schreibt {outlet}. Uns liegen mehrere Beschwerden über {b}-Personal vor. Können wir sprechen?
    """),
    ("crisis/negative/-/press,vip", """
Ich habe 300.000 Follower und alle werden erfahren, wie ihr meine Familie behandelt habt
    """),
    ("praise/positive/loyalty/vip", """
Seit 10 Jahren {tier} und ihr gebt mir immer noch das Gefühl, etwas Besonderes zu sein. Danke
    """),
    ("general/neutral/-", """
Sieht so aus, als würde {b} nächsten Sommer nach {city} fliegen
Gerade in {city} gelandet
Morgen um {time} nach {city}
    """),
    ("general/negative/-", """
Schon traurig, {city} zu verlassen
    """),
    ("noise/neutral/-/-/none", """
Mottowoche in der Schule, morgen ist Schlafanzugtag
Die Delta-Variante schon wieder in den Nachrichten
Meine Nachbarin Hope hat einen Welpen
Heute Abend Manchester United in der Kneipe
    """),
    ("noise/positive/-/-/none", """
Guten Morgen zusammen ☀️
So glücklich, Führerschein bestanden!!
    """),
    ("noise/negative/-/-/none", """
Diese Hitze bringt mich um
    """),
    ("spam/neutral/-", """
{user} Wir bearbeiten Ihre Erstattung heute noch, melden Sie sich bei {fake} auf WhatsApp
    """),
    ("complaint/negative/-/emoji_only", """
{h} 👎👎👎
    """),
    ("question/neutral/booking", """
Kann ich den Kinderwagen bis zur Flugzeugtür mitnehmen?
Wie viele Gepäckstücke sind im Basistarif dabei?
Bis wann kann ich in {airport} Gepäck aufgeben?
Muss ich die Bordkarte ausdrucken oder reicht das Handy?
Darf ich meine Gitarre mit in die Kabine nehmen?
Was kostet es, das Datum der Buchung {code} zu ändern?
    """),
    ("question/neutral/lost_luggage", """
Wie kann ich verspätetes Gepäck verfolgen?
Wo melde ich, dass mein Koffer nicht angekommen ist?
    """),
    ("question/neutral/app", """
Funktioniert die Bordkarte in der App auch offline?
Wie ändere ich mein Passwort? Der Link kommt nie an
    """),
    ("question/neutral/food_onboard", """
Gibt es auf dem Flug nach {city} Essen oder soll ich was mitnehmen?
    """),
    ("question/neutral/cancelled_flight", """
Mein Flug wurde gestrichen, muss ich selbst etwas tun, um auf den nächsten zu kommen?
    """),
    ("question/negative/late_flight", """
Warum ist {flight} SCHON WIEDER verspätet?
Warum informiert uns niemand über die Verspätung?
    """),
    ("question/negative/lost_luggage", """
Wo ist mein Koffer? Tag 3 und nichts
    """),
    ("question/positive/-", """
Der Flug war super! Fliegt ihr auch nach {city}?
Beste Crew 😍 wo kann ich ein Lob hinterlassen?
    """),
    ("praise/positive/-", """
Nichts zu meckern, perfekt vom Check-in bis zur Landung
Hätte von {b} ehrlich nicht so viel erwartet. Respekt
Null Stress, null Verspätung. So geht das
    """),
    ("praise/positive/customer_service", """
Die Flugbegleiterin auf {flight} hat gemerkt, dass ich nervös war, und war den ganzen Flug für mich da. Danke
Danke an das Personal in {airport}, das das Kuscheltier meiner Tochter gefunden hat
    """),
    ("praise/positive/accessibility", """
Danke für die Rollstuhlhilfe für meinen Vater in {airport}, perfekt organisiert
    """),
    ("complaint/neutral/-", """
Nur als Hinweis: die Steckdose in Reihe 20 auf {flight} geht nicht
Kleine Sache: laut Website schließt die Gepäckabgabe 45 Minuten vorher, am Schalter heißt es 60
    """),
    ("urgent/negative/booking", """
Die Umbuchungsseite stürzt ab und der letzte Flug nach {city} geht in 50 Minuten. Bitte helfen
Der Name meiner Frau ist in der Buchung {code} falsch und wir stehen an der Sicherheitskontrolle. Abflug in 45 Minuten
    """),
    ("crisis/negative/safety/safety", """
Die ganze Reihe 14 hat sich nach dem Hähnchen auf {flight} übergeben
Die Sauerstoffmasken sind auf {flight} runtergefallen. Wir sinken sehr schnell
    """),
    ("crisis/negative/customer_service/violence", """
Der Mitarbeiter am Gate hat meinen Vater geschubst, als er etwas gefragt hat. Es gibt ein Video
    """),
    ("general/neutral/-/-/any", """
Interessant, {b} trendet heute
{b} hat mir eine Umfrage geschickt, fülle sie gerade aus
    """),
    ("general/neutral/-", """
Gerade bei {b} für Ostern gebucht
Ein {b}-Flieger in neuer Lackierung heute in {airport}
    """),
    ("spam/neutral/-/-/any", """
{h} Von zu Hause arbeiten und {amount} am Tag verdienen! Keine Erfahrung nötig {spamlink}
{h} 10 Kilo in 10 Tagen abnehmen mit diesem Trick {spamlink}
Replika-Uhren und Taschen 80% günstiger {spamlink}
    """),
    ("noise/neutral/-/-/none", """
Mein Seelentier ist eine schlafende Katze
Physik heute: Dirac-Delta-Funktion, Hilfe
Meine Nachbarin Freya macht den besten Apfelkuchen
Wieder Delta-Variante in den Nachrichten
    """),
    ("noise/positive/-/-/none", """
Was für ein Glück, meine Nichte ist heute geboren!
Ich liebe dieses Lied, läuft in Dauerschleife
    """),
    ("noise/negative/-/-/none", """
Ich hasse Montage aus tiefstem Herzen
Handydisplay gesprungen, was für ein Tag
    """),
    ("noise/neutral/-/-/any", """
{h} wer macht eigentlich diesen Account? echt witzig
{h} nix, wollte nur hallo sagen
    """),
    ("crisis/negative/safety/safety", """
Brandgeruch in der Kabine von {flight}, die Crew rennt mit Feuerlöschern durch den Gang
{flight} ist nach einem lauten Knall am Triebwerk nach {airport} zurückgekehrt
Bei der Landung in {airport} haben die Bremsen gequalmt, die Feuerwehr stand bereit
Eine Flugbegleiterin hat sich in den Turbulenzen mit heißem Wasser verbrüht
Ein Koffer ist aus dem Gepäckfach auf den Kopf eines Kindes gefallen, es blutet
Der Notausgang war mit Klebeband zugeklebt. Foto: {link}
    """),
    ("crisis/negative/customer_service/discrimination", """
Zu meiner Mutter im Rollstuhl hieß es "Sie halten alle auf". Das ist Diskriminierung
Wir wurden als einzige wegen unserer Hautfarbe zur Extrakontrolle geschickt. Zum dritten Mal
Als klar war, dass wir ein schwules Paar sind, wurden wir umgesetzt
    """),
    ("crisis/negative/customer_service/violence,abusive", """
Ich weiß, wo euer Büro in {city} ist. Merkt euch das
Wenn ich den Typen vom Check-in nochmal sehe, kann er was erleben
    """),
    ("crisis/negative/lost_luggage/legal_threat", """
Ihr habt Ausrüstung im Wert von {amount} verloren. Mein Anwalt bereitet die Klage vor
Ohne Erstattung bis Freitag geht die Sache vor Gericht. Belege liegen vor
    """),
    ("crisis/neutral/safety/press", """
Hier {outlet}: Können Sie Berichte über verletzte Crewmitglieder auf {flight} bestätigen?
Presseanfrage zur Evakuierung heute in {airport}. Gibt es eine Stellungnahme von {b}?
    """),
    ("urgent/negative/late_flight", """
Gelandet mit Verspätung, der letzte Flug nach {city} schließt in 10 Minuten. Bitte Gate informieren
Nur 15 Minuten zum Umsteigen und wir dürfen noch nicht aussteigen. Was jetzt?
    """),
    ("urgent/negative/customer_service", """
{kid} fliegt allein und ist in {airport} verschwunden, kein Mitarbeiter zu sehen. Bitte sofort helfen
Mein dementer Vater ist beim Umsteigen in {airport} verloren gegangen, er hat kein Handy
    """),
    ("urgent/negative/accessibility", """
Gelandet in {airport}, kein Rollstuhl da, mein Vater kann nicht laufen. Warten seit 30 Minuten
Landung in 20 Minuten und der gebuchte Rollstuhl steht in der App als storniert. Bitte prüfen
    """),
    ("praise/positive/customer_service", """
Danke an das Team in {airport}, das meiner Mutter beim Umsteigen so geduldig geholfen hat
{staff} hat uns trotz Riesenschlange mit einem Lächeln umgebucht. Klasse
    """),
    ("praise/positive/-", """
Ruhiger Flug, nette Crew, pünktlich. Was will man mehr
Danke für den schönen Flug heute
    """),
    ("general/neutral/-", """
Mit {flight} geschäftlich nach {city}
DM ist raus
    """),
    ("complaint/negative/customer_service/sarcasm", """
Toller Kundenservice, beim dritten Anruf aufgelegt. Bravo {b}
Ich liebe es, wenn der Chatbot mich auf die FAQ verweist. Mega hilfreich
    """),
    ("complaint/negative/cancelled_flight/sarcasm", """
Danke fürs Streichen um Mitternacht, Schlaf wird eh überbewertet
Super {b}, schon wieder gestrichen. Ist ja schon Tradition
    """),
    ("spam/neutral/-", """
{h} Ihre Erstattung über {amount} ist bereit. Bestätigen Sie Ihre Karte unter {spamlink}
{user} Hallo, hier das {b}-Team. Schicken Sie Buchungscode und Ausweis per DM an {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} 🔞 exklusive Inhalte nur für Erwachsene, hier klicken {spamlink}
🚀 {coin} geht gleich 100x, jetzt einsteigen {spamlink}
    """),
]
