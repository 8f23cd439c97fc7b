"""Italian templates, written natively. Format: see build.py."""

FLIGHT_WORD = "volo"
MONEY = ("{} €", "{}€", "{} euro")

FILLERS = {
    "dur": ("2 ore", "3 ore", "45 minuti", "un'ora e mezza", "4 ore", "tutta la notte", "5h"),
    "city": ("Roma", "Milano", "Napoli", "Torino", "Palermo", "Bologna", "Venezia", "Firenze", "Bari", "Catania"),
    "day": ("ieri", "oggi", "stamattina", "ieri sera", "lunedì", "venerdì", "la settimana scorsa", "3 giorni fa"),
    "staff": ("Giulia", "Marco", "Francesca", "Luca", "Chiara", "Alessandro", "Sara", "Matteo"),
    "item": ("medicine", "portatile", "insulina", "abito da sposa", "passaporto"),
    "tier": ("Gold", "Platinum", "Executive", "Oro"),
    "outlet": ("Il Corriere Locale", "Radio Centro", "il TG regionale", "un quotidiano nazionale"),
    "kid": ("mia figlia di 9 anni", "mio figlio di 10 anni", "nostra figlia di 12"),
    "prize": ("iPhone 16", "buono da 500€", "PS5", "voli gratis per un anno"),
}

OPENERS = {
    "complaint": ("Sul serio?", "Incredibile.", "Buongiorno,", "Di nuovo", "Allora,", "Che vergogna.", "Ma dai"),
    "question": ("Ciao!", "Buongiorno,", "Una domanda:", "Salve,", "Buonasera,"),
    "praise": ("Grazie!", "Devo dirlo:", "Complimenti!", "Chapeau."),
    "urgent": ("URGENTE:", "Aiuto!", "Per favore!!", "Ho bisogno di aiuto SUBITO."),
    "crisis": ("È grave.", "Devo segnalarlo.", "Sto ancora tremando."),
    "general": ("", "Vabbè,", "Insomma", "ahah"),
}
CLOSERS = {
    "complaint": ("Mai più.", "Vergognoso.", "Che schifo.", "Inaccettabile.", "Sto ancora aspettando.", "Pessimi.",
                  "#maipiù", "Basta.", "Ridicoli."),
    "question": ("Grazie!", "Grazie in anticipo.", "Saluti", "Grazie mille"),
    "praise": ("Grazie!!", "Volerò ancora con voi.", "Voto 10.", "Top!", "Complimenti allo staff."),
    "urgent": ("Per favore, presto.", "Rispondete!!", "È urgente."),
    "crisis": ("Pretendo spiegazioni.", "Non finisce qui.", "Rispondete."),
    "general": ("", "ahah", "✈️", "si parte", "#viaggio"),
}
HASHTAGS = {
    "negative": ("#maipiù", "#ritardo", "#vergogna", "#disservizio"),
    "positive": ("#viaggio", "#grazie", "#vacanze"),
    "neutral": ("#viaggio", "#domanda", "#aiuto"),
}
INSULTS = ("Branco di incompetenti.", "Siete degli idioti.", "Ladri.", "Andate a quel paese.", "Pagliacci.",
           "Siete una banda di cialtroni.")

CELLS = [
    ("complaint/negative/late_flight", """
Il {flight} ha {dur} di ritardo e nessuno ci dice niente
Ancora ritardo. {dur} al gate {gate} senza acqua né informazioni
Tre voli con voi e tre ritardi
Siamo seduti in aereo da {dur} e non ci muoviamo
Ho perso la riunione a {city} per il ritardo del {flight}
    """),
    ("complaint/negative/cancelled_flight", """
Volo cancellato alle 23 e il prossimo è dopodomani??
Volo cancellato, niente hotel, niente voucher, nessuno che aiuti
Ci cancellate il volo della luna di miele e ci offrite un voucher. Un voucher!
    """),
    ("complaint/negative/lost_luggage", """
La mia valigia non è mai arrivata a {city}. Pratica {code}, nessuno richiama da 3 giorni
Avete perso il mio bagaglio DI NUOVO
Quarto giorno senza valigia. Vado al congresso con gli stessi vestiti
La valigia è "in transito" da {day}. Dov'è?
    """),
    ("complaint/negative/damaged_luggage", """
La valigia è tornata con la maniglia strappata
Il passeggino è arrivato tutto storto
    """),
    ("complaint/negative/refund", """
Aspetto ancora il rimborso da {day}. Sono 8 settimane
Cancellate il volo e mi date un voucher invece del rimborso?
Rimborso {code} "approvato" da marzo. E i soldi?
    """),
    ("complaint/negative/booking", """
Il sito mi ha addebitato e non ha emesso il biglietto
Impossibile fare il check-in online o al banco
Ho pagato per sederci vicini e mio figlio di 4 anni è alla fila 30
    """),
    ("complaint/negative/app", """
L'app si blocca al check-in e la carta d'imbarco è sparita
Non riesco ad accedere, la password non funziona mai
    """),
    ("complaint/negative/customer_service", """
{dur} in attesa al telefono e poi mi hanno chiuso
L'addetta a {airport} è stata maleducatissima
Nessuno risponde, la chat è un robot inutile
3 email, 2 messaggi, zero risposte
    """),
    ("complaint/negative/billing/-/biz", """
Mi avete addebitato due volte questo mese
La bolletta è aumentata di {amount} senza preavviso
    """),
    ("complaint/negative/accessibility", """
Avevo prenotato la sedia a rotelle e all'arrivo a {airport} non c'era nessuno
    """),
    ("complaint/negative/food_onboard", """
Pasto pagato e mi danno un panino freddo
    """),
    ("complaint/negative/customer_service/abusive", """
l'addetto {staff} è un cretino, licenziatelo
branco di pagliacci incompetenti
chi gestisce i vostri social è un idiota
    """),
    ("complaint/negative/late_flight/sarcasm", """
Fantastico, altre {dur} di ritardo. Grazie {b} 🙄
Adoro passare il compleanno al gate {gate}. Grazie {b}!
Che puntualità, {b}. Solo {dur} di ritardo stavolta
    """),
    ("complaint/negative/lost_luggage/sarcasm", """
Grazie {b} per aver mandato la mia valigia in vacanza a {city} senza di me
    """),
    ("complaint/negative/lost_luggage/mixed", """
Equipaggio gentilissimo ma la mia valigia è sparita
    """),
    ("praise/positive/customer_service", """
Grazie mille a {staff} al gate {gate}, bravissima
Il miglior equipaggio con cui abbia mai volato. Grazie {b}!
Cambio risolto in 5 minuti. Così sì
Grazie per la risposta veloce!
    """),
    ("praise/positive/-", """
Volo perfetto, atterrati in anticipo. Sempre un piacere volare con {b}
Che atterraggio morbido, grazie comandante
    """),
    ("praise/positive/late_flight/mixed", """
{dur} di ritardo ma l'equipaggio è stato fantastico. Grazie
    """),
    ("question/neutral/booking", """
Posso cambiare il volo online o devo chiamare?
Si può aggiungere un bagaglio dopo la prenotazione?
A che ora apre il check-in del {flight}?
Quali sono le misure del bagaglio a mano?
Come cambio il nome sulla prenotazione {code}?
    """),
    ("question/neutral/refund", """
Quanto ci mette di solito un rimborso?
    """),
    ("question/neutral/loyalty", """
Come aggiungo le miglia mancanti di un volo partner?
    """),
    ("question/neutral/late_flight", """
Novità sul {flight}? Il tabellone dice in ritardo
    """),
    ("question/neutral/accessibility", """
Come richiedo l'assistenza con sedia a rotelle per mia madre?
    """),
    ("question/negative/refund", """
Perché il rimborso non è ancora arrivato? Sono 6 settimane
    """),
    ("question/positive/booking", """
Primo viaggio a {city}!! Posso già scegliere il finestrino? 😍
    """),
    ("urgent/negative/late_flight", """
La coincidenza parte tra 10 minuti e stiamo ancora rullando. Ci aspettano??
    """),
    ("urgent/negative/booking", """
Sono al gate, dicono che il biglietto non è valido e l'imbarco chiude tra 5 minuti
Non mi fanno imbarcare, prenotazione {code}, il volo parte tra 20 minuti
    """),
    ("urgent/negative/lost_luggage", """
Le medicine per il cuore di mia madre sono nella valigia persa. Le servono stasera. Pratica {code}
    """),
    ("urgent/neutral/accessibility", """
Serve una sedia a rotelle all'arrivo a {airport}, volo {flight}, atterriamo tra un'ora. Prenotazione {code}
    """),
    ("urgent/negative/customer_service", """
{kid} viaggia da sola sul {flight} e l'aereo è stato dirottato su un altro scalo. Nessuno mi dice dov'è
    """),
    ("crisis/negative/safety/safety", """
Fumo in cabina sul {flight}, atterraggio d'emergenza a {city}
Atterraggio d'emergenza a {airport}. Gente che piange. Cosa è successo?
Turbolenza fortissima sul {flight}, un'assistente di volo ferita
Intossicazione alimentare dopo il pasto del {flight}, siamo al pronto soccorso
Grave reazione allergica dopo il pasto a bordo e non c'era adrenalina
    """),
    ("crisis/negative/safety/safety,violence", """
Un passeggero ubriaco ha aggredito un'assistente di volo sul {flight}
    """),
    ("crisis/negative/customer_service/violence,abusive", """
Se domani la valigia non c'è vengo lì e vi spacco tutto
Il prossimo addetto che mi dice "pazienza" lo prendo a pugni
    """),
    ("crisis/negative/customer_service/discrimination", """
L'addetta ha fatto togliere il velo alla mia amica "per sicurezza". Solo a lei
Mi hanno preso in giro per l'accento e si sono rifiutati di aiutarmi. Questo è razzismo
    """),
    ("crisis/negative/refund/legal_threat", """
Il mio avvocato vi contatterà per i {amount} che non rimborsate
Vi faccio causa e vado dall'associazione consumatori
    """),
    ("crisis/neutral/safety/press", """
Sono giornalista de {outlet}, chiediamo un commento sull'atterraggio d'emergenza del {flight}
    """),
    ("complaint/negative/loyalty/vip", """
Cliente {tier} da 12 anni e mi trattate così?
    """),
    ("complaint/negative/-/emoji_only", """
{h} 😡😡😡
{h} 🤬
    """),
    ("praise/positive/-/emoji_only", """
{h} ❤️✈️
{h} 👏👏👏
    """),
    ("general/neutral/-", """
Imbarco sul {flight} per {city}
In viaggio verso {city} con {b}
Al gate {gate}, vediamo
    """),
    ("general/positive/-", """
Si parte per {city}, vacanze!! ✈️
    """),
    ("general/negative/-", """
Che ansia il volo di 12 ore di domani
    """),
    ("spam/positive/-", """
{h} VINCI un {prize} GRATIS!!! clicca {spamlink} 🎁
Concorso {b}: {prize} per 100 persone! Partecipa qui {spamlink}
    """),
    ("spam/neutral/-", """
{h} Gentile cliente, il suo account sarà sospeso. Verifichi i dati su {spamlink}
{user} ci dispiace! Invia codice di prenotazione e numero della carta a {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} Compra 10.000 follower veri a 9,99€ {spamlink}
{h} Ho guadagnato {amount} in un giorno con {coin}, scrivimi 💰
#viaggio #voli #offerte #gratis #concorso #follow #virale {spamlink}
    """),
    ("noise/neutral/-/-/any", """
{h} ahahah
{h} ahahahah ma che
    """),
    ("noise/neutral/-/-/none", """
Olio extravergine d'oliva, quello buono
Il delta del Po è bellissimo in primavera
Buon compleanno alla mia migliore amica!
    """),
    ("noise/negative/-/-/none", """
Questa fila in posta mi sta uccidendo
    """),
]
