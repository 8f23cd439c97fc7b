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
    "outlet": ("Corriere Locale", "Radio Centro", "TG Regionale", "Gazzetta del Nord", "Cronaca Oggi"),
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
Sono giornalista di {outlet}, chiediamo un commento sull'atterraggio d'emergenza del {flight}
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
    ("complaint/negative/late_flight", """
{dur} fermi sulla pista senza aria condizionata, i bambini piangono
ogni volta che volo con {b} arrivo in ritardo, ormai è tradizione
{dur} di ritardo e nemmeno una scusa all'altoparlante
    """),
    ("complaint/negative/customer_service", """
Ho chiesto di parlare con un responsabile e mi hanno detto che non c'è. Come non c'è?
Chiamato 4 volte, 4 risposte diverse
La chat si è chiusa mentre scrivevo
    """),
    ("complaint/negative/-", """
Sedile rotto, schermo spento e bagno intasato. Che volo
Una bottiglietta d'acqua a {amount} a bordo, ma dai
    """),
    ("complaint/negative/-/-/biz", """
Senza internet da lunedì e {b} dice che non c'è nessun guasto
Pacco arrivato rotto e mezzo vuoto
    """),
    ("complaint/negative/customer_service/sarcasm", """
{dur} di musichetta d'attesa. Grazie {b}, rilassante
L'ennesima risposta copia e incolla. Mi sento così ascoltato
    """),
    ("complaint/negative/-/abusive/any", """
{b} siete spazzatura
andate a quel paese, {b}
    """),
    ("complaint/negative/customer_service/mixed", """
Equipaggio ottimo, personale di terra un disastro
    """),
    ("praise/positive/lost_luggage/mixed", """
Valigia persa ma consegnata in hotel alle 9. Bravi
    """),
    ("praise/positive/-", """
Prima volta con {b} e rifarò sicuramente
Pulito, puntuale e un equipaggio simpaticissimo
    """),
    ("praise/positive/loyalty", """
Upgrade a sorpresa sul {flight}! Grazie {b}, mi avete fatto la settimana
    """),
    ("question/neutral/-", """
C'è il wifi sui voli per {city}?
Avete sconti per studenti?
A chi scrivo per un oggetto dimenticato sul volo di {day}?
    """),
    ("question/neutral/cancelled_flight", """
Se domani cancellano il {flight} vengo riprotetto automaticamente?
    """),
    ("question/neutral/billing/-/biz", """
Perché la bolletta di questo mese è più alta?
    """),
    ("question/negative/customer_service", """
Perché è impossibile parlare con una persona da {b}?
    """),
    ("urgent/negative/-", """
Qualcuno risponda per favore, sono bloccata a {airport} con due bambini e senza volo
    """),
    ("urgent/neutral/booking", """
Arrivo 15 minuti in ritardo per il {flight}, potete avvisare il gate?
    """),
    ("crisis/negative/safety/safety", """
Si è crepato un finestrino in volo sul {flight}. Dirottati su {city}
Un passeggero è crollato sul {flight} e non trovavano il defibrillatore
Decollo interrotto a tutta velocità, diversi feriti sul {flight}
    """),
    ("crisis/negative/accessibility/discrimination", """
Non mi hanno fatto imbarcare perché sono in sedia a rotelle. "Non possiamo". È illegale
    """),
    ("crisis/negative/customer_service/legal_threat", """
Ho filmato tutto e ho già parlato con un avvocato
    """),
    ("crisis/neutral/customer_service/press", """
Buongiorno, scrivo da {outlet}. Abbiamo ricevuto diverse segnalazioni sul personale di {b}. Possiamo sentirci?
    """),
    ("crisis/negative/-/press,vip", """
Ho 300mila follower e sapranno tutti come avete trattato la mia famiglia
    """),
    ("praise/positive/loyalty/vip", """
{tier} da 10 anni e mi fate ancora sentire speciale. Grazie
    """),
    ("general/neutral/-", """
Sembra che {b} apra nuove rotte per {city} la prossima estate
Appena atterrata a {city}
Domani volo per {city} alle {time}
    """),
    ("general/negative/-", """
Già triste di lasciare {city}
    """),
    ("noise/neutral/-/-/none", """
Settimana dello spirito di squadra a scuola, domani tutti in pigiama
La variante delta di nuovo al telegiornale
La mia vicina Gioia ha preso un cucciolo
Stasera partita del Manchester United al pub
    """),
    ("noise/positive/-/-/none", """
Buongiorno a tutti ☀️
Felicissima, ho preso la patente!!
    """),
    ("noise/negative/-/-/none", """
Questo caldo mi sta uccidendo
    """),
    ("spam/neutral/-", """
{user} Elaboriamo il suo rimborso oggi stesso, contatti {fake} su WhatsApp
    """),
    ("complaint/negative/-/emoji_only", """
{h} 👎👎👎
    """),
    ("question/neutral/booking", """
Posso portare il passeggino fino alla porta dell'aereo?
Quanti bagagli sono inclusi nella tariffa base?
Fino a che ora si può consegnare il bagaglio a {airport}?
Devo stampare la carta d'imbarco o basta il telefono?
Posso portare la chitarra in cabina?
Quanto costa cambiare la data della prenotazione {code}?
    """),
    ("question/neutral/lost_luggage", """
Come traccio un bagaglio in ritardo?
Dove faccio denuncia se la valigia non è arrivata?
    """),
    ("question/neutral/app", """
L'app funziona offline per la carta d'imbarco?
Come cambio la password? Il link non arriva mai
    """),
    ("question/neutral/food_onboard", """
C'è da mangiare sul volo per {city} o porto qualcosa?
    """),
    ("question/neutral/cancelled_flight", """
Il mio volo è stato cancellato, devo fare qualcosa per salire sul prossimo?
    """),
    ("question/negative/late_flight", """
Perché il {flight} è in ritardo DI NUOVO?
Perché nessuno ci informa sul ritardo?
    """),
    ("question/negative/lost_luggage", """
Dov'è la mia valigia? Terzo giorno e niente
    """),
    ("question/positive/-", """
Volo bellissimo! Volate anche su {city}?
Equipaggio migliore di sempre 😍 dove lascio un complimento?
    """),
    ("praise/positive/-", """
Niente da dire, perfetto dal check-in all'atterraggio
Non mi aspettavo così tanto da {b}, davvero bravi
Zero stress, zero ritardi. Così si fa
    """),
    ("praise/positive/customer_service", """
L'assistente di volo del {flight} ha visto che ero agitata ed è passata a controllare tutto il volo. Gentilissima
Grazie al personale di {airport} che ha ritrovato il peluche di mia figlia
    """),
    ("praise/positive/accessibility", """
Grazie per l'assistenza con la sedia a rotelle per mio padre a {airport}, impeccabile
    """),
    ("complaint/neutral/-", """
Segnalo che la presa della fila 20 sul {flight} non funziona
Piccola cosa: il sito dice che il drop-off chiude 45 minuti prima, al banco dicono 60
    """),
    ("urgent/negative/booking", """
La pagina per cambiare volo si blocca e l'ultimo volo per {city} parte tra 50 minuti. Aiuto
Il nome di mia moglie è sbagliato sulla prenotazione {code} e siamo ai controlli. Si parte tra 45 minuti
    """),
    ("crisis/negative/safety/safety", """
Tutta la fila 14 sta male dopo il pollo del {flight}. Vomito ovunque
Sono scese le maschere dell'ossigeno sul {flight}. Stiamo scendendo velocissimi
    """),
    ("crisis/negative/customer_service/violence", """
L'addetto al gate ha spintonato mio padre quando ha fatto una domanda. C'è il video
    """),
    ("general/neutral/-/-/any", """
Curioso che {b} sia in tendenza oggi
{b} mi ha mandato un questionario, lo sto compilando
    """),
    ("general/neutral/-", """
Appena prenotato con {b} per il ponte
Un aereo {b} con la livrea nuova a {airport} oggi
    """),
    ("spam/neutral/-/-/any", """
{h} Lavora da casa e guadagna {amount} al giorno! Senza esperienza {spamlink}
{h} Perdi 10 chili in 10 giorni con questo trucco {spamlink}
Orologi e borse replica all'80% di sconto {spamlink}
    """),
    ("noise/neutral/-/-/none", """
Il mio animale spirito è un gatto che dorme
Lezione di fisica: la delta di Dirac, aiuto
La mia vicina Speranza fa la migliore lasagna del quartiere
Partita della Virtus stasera, chi viene?
    """),
    ("noise/positive/-/-/none", """
Che felicità, oggi è nata mia nipote!
Adoro questa canzone, la ascolto a ripetizione
    """),
    ("noise/negative/-/-/none", """
Odio il lunedì con tutto me stesso
Schermo del telefono rotto, che giornata
    """),
    ("noise/neutral/-/-/any", """
{h} chi gestisce questo account? fortissimi
{h} niente, passavo solo a salutare
    """),
    ("crisis/negative/safety/safety", """
Odore di bruciato in cabina sul {flight}, l'equipaggio corre con gli estintori
Il {flight} è rientrato a {airport} dopo uno scoppio al motore
All'atterraggio a {airport} fumavano i freni, vigili del fuoco in pista
Una valigia è caduta dalla cappelliera in testa a un bambino, sanguina
L'uscita di emergenza era tenuta chiusa con il nastro adesivo. Foto: {link}
    """),
    ("crisis/negative/customer_service/discrimination", """
A mia madre in sedia a rotelle hanno detto "lei rallenta tutti". Questa è discriminazione
Controllo extra solo per noi, per il colore della pelle. Terza volta
    """),
    ("crisis/negative/lost_luggage/legal_threat", """
Avete perso attrezzatura per {amount}. Il mio avvocato sta preparando la causa
    """),
    ("crisis/neutral/safety/press", """
Qui {outlet}: confermate che ci sono membri dell'equipaggio feriti sul {flight}?
    """),
    ("urgent/negative/customer_service", """
Mio padre con demenza si è perso durante la coincidenza a {airport}, non ha il telefono
    """),
    ("urgent/negative/accessibility", """
Atterrati a {airport}, nessuna sedia a rotelle e mio padre non cammina. Aspettiamo da 30 minuti
    """),
    ("praise/positive/customer_service", """
Grazie al personale di {airport} per la pazienza con mia madre durante la coincidenza
    """),
    ("complaint/negative/customer_service/sarcasm", """
Che servizio clienti, mi hanno chiuso il telefono alla terza chiamata. Bravi {b}
Adoro quando il chatbot mi rimanda alle FAQ. Utilissimo
    """),
    ("complaint/negative/cancelled_flight/sarcasm", """
Grazie per la cancellazione a mezzanotte, dormire è sopravvalutato
Fantastico {b}, cancellato di nuovo. Ormai è tradizione
    """),
    ("spam/neutral/-", """
{h} Il suo rimborso di {amount} è pronto. Confermi la carta su {spamlink}
{user} ciao, team {b} qui. Invia codice di prenotazione e documento in privato a {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} 🔞 contenuti esclusivi solo per adulti, entra qui {spamlink}
🚀 {coin} sta per fare 100x, entra prima di tutti {spamlink}
    """),
]
