"""French templates, written natively. Format: see build.py."""

FLIGHT_WORD = "vol"
MONEY = ("{} €", "{}€", "{} euros")

FILLERS = {
    "dur": ("2 heures", "3h", "45 minutes", "une heure et demie", "4 heures", "toute la nuit", "5h"),
    "city": ("Paris", "Lyon", "Marseille", "Nice", "Montréal", "Bruxelles", "Genève", "Toulouse", "Dakar", "Bordeaux"),
    "day": ("hier", "aujourd'hui", "ce matin", "hier soir", "lundi", "vendredi", "la semaine dernière", "il y a 3 jours"),
    "staff": ("Camille", "Julien", "Nadia", "Thomas", "Élodie", "Karim", "Léa", "Mathieu"),
    "item": ("médicaments", "ordinateur", "insuline", "robe de mariée", "passeport"),
    "tier": ("Gold", "Platinum", "Or", "Platine"),
    "outlet": ("Le Quotidien", "Radio Centre", "Info Matin", "un grand journal", "la télé régionale"),
    "kid": ("ma fille de 9 ans", "mon fils de 10 ans", "notre fille (12 ans)"),
    "prize": ("iPhone 16", "bon de 500€", "PS5", "vols gratuits pendant un an"),
}

OPENERS = {
    "complaint": ("Sérieusement ?", "Incroyable.", "Bonjour,", "Encore une fois", "Franchement", "Bravo.", "Non mais"),
    "question": ("Bonjour !", "Bonjour,", "Petite question :", "Bonsoir,", "Salut,"),
    "praise": ("Merci !", "Franchement", "Chapeau.", "Un grand merci !"),
    "urgent": ("URGENT :", "Aidez-moi svp !", "Au secours,", "SVP !!"),
    "crisis": ("C'est grave.", "Je dois signaler ceci.", "Je tremble encore."),
    "general": ("", "Bon,", "Bref", "mdr"),
}
CLOSERS = {
    "complaint": ("Plus jamais.", "Inadmissible.", "C'est une honte.", "Lamentable.", "J'attends toujours.", "Nul.",
                  "#plusjamais", "Franchement nul.", "Ras le bol."),
    "question": ("Merci !", "Merci d'avance.", "Bonne journée", "Cordialement", "Merci"),
    "praise": ("Merci !!", "Je revolerai avec vous.", "Top.", "Au top !", "Bravo à l'équipe."),
    "urgent": ("Vite svp.", "Répondez vite !!", "C'est urgent.", "Merci de faire vite."),
    "crisis": ("J'exige des explications.", "Ça ne restera pas comme ça.", "Répondez."),
    "general": ("", "mdr", "✈️", "c'est parti", "#voyage"),
}
HASHTAGS = {
    "negative": ("#plusjamais", "#retard", "#honte", "#serviceclient"),
    "positive": ("#voyage", "#merci", "#vacances"),
    "neutral": ("#voyage", "#question", "#aide"),
}
INSULTS = ("Bande d'incapables.", "Vous êtes des nuls.", "Bande de voleurs.", "Allez vous faire voir.",
           "Vous êtes des guignols.", "Bande d'abrutis.")

CELLS = [
    ("complaint/negative/late_flight", """
Le {flight} a {dur} de retard et personne ne nous dit rien
Encore un retard. {dur} à la porte {gate} sans info ni eau
Trois vols avec vous, trois retards
On est assis dans l'avion depuis {dur} sans bouger
J'ai raté mon rendez-vous à {city} à cause du retard du {flight}
L'appli dit "à l'heure", ça fait {dur} qu'on attend. Sérieux
    """),
    ("complaint/negative/cancelled_flight", """
Vol annulé à 23h et le prochain c'est après-demain ??
Vol annulé, pas d'hôtel, pas de bon, personne pour aider
Vous annulez notre vol de lune de miel et vous proposez un avoir. Un avoir !
annulé avec 30 min de préavis, 300 personnes dans la file, 2 agents
    """),
    ("complaint/negative/lost_luggage", """
Ma valise n'est jamais arrivée à {city}. Dossier {code}, personne ne rappelle depuis 3 jours
Vous avez ENCORE perdu mes bagages
4e jour sans valise. Je vais au congrès avec les mêmes habits
Valise toujours "en transit" depuis {day}. Elle est où ?
    """),
    ("complaint/negative/damaged_luggage", """
Ma valise est revenue avec la poignée arrachée
La poussette est sortie tordue, inutilisable
    """),
    ("complaint/negative/refund", """
J'attends toujours mon remboursement depuis {day}. 8 semaines
Vous annulez le vol et me donnez un avoir au lieu d'un remboursement ?
Remboursement {code} "validé" depuis mars. Et l'argent ?
    """),
    ("complaint/negative/booking", """
Le site m'a débité sans émettre de billet
Impossible de faire l'enregistrement en ligne ou au comptoir
On a payé pour être assis ensemble et mon fils de 4 ans est au rang 30
    """),
    ("complaint/negative/app", """
L'appli plante à l'enregistrement et ma carte d'embarquement a disparu
Impossible de me connecter, le mot de passe ne marche jamais
    """),
    ("complaint/negative/customer_service", """
{dur} en attente au téléphone et on me raccroche au nez
L'agente à {airport} nous a parlé comme à des chiens
Personne ne répond, le chat est un robot inutile
3 mails, 2 messages, zéro réponse
    """),
    ("complaint/negative/billing/-/biz", """
Vous m'avez prélevé deux fois ce mois-ci
Ma facture a augmenté de {amount} sans prévenir
    """),
    ("complaint/negative/accessibility", """
J'avais réservé un fauteuil roulant, personne à l'arrivée à {airport}
    """),
    ("complaint/negative/food_onboard", """
Repas payé, sandwich froid et rassis
    """),
    ("complaint/negative/customer_service/abusive", """
l'agent {staff} est un crétin fini, virez-le
bande de clowns incompétents
celui qui gère vos réseaux est un abruti
    """),
    ("complaint/negative/late_flight/sarcasm", """
Super, encore {dur} de retard. Merci {b} 🙄
J'adore passer mon anniversaire porte {gate}. Merci {b} !
Quelle ponctualité chez {b}, seulement {dur} de retard cette fois
    """),
    ("complaint/negative/lost_luggage/sarcasm", """
Merci {b} d'avoir envoyé ma valise en vacances à {city} sans moi
    """),
    ("complaint/negative/lost_luggage/mixed", """
Équipage adorable mais ma valise a disparu
    """),
    ("praise/positive/customer_service", """
Un immense merci à {staff} porte {gate}, au top
Le meilleur équipage que j'ai eu. Merci {b} !
Changement réglé en 5 minutes. Comme ça c'est agréable
Merci pour la réponse rapide !
    """),
    ("praise/positive/-", """
Vol parfait, arrivés en avance. Toujours un plaisir avec {b}
Quel atterrissage tout en douceur, merci commandant
    """),
    ("praise/positive/late_flight/mixed", """
{dur} de retard mais l'équipage a été génial. Merci
    """),
    ("question/neutral/booking", """
Je peux changer mon vol en ligne ou je dois appeler ?
On peut ajouter un bagage après la réservation ?
L'enregistrement du {flight} ouvre à quelle heure ?
Quelle est la taille max du bagage cabine ?
Comment changer le nom sur la réservation {code} ?
    """),
    ("question/neutral/refund", """
Combien de temps prend un remboursement en général ?
    """),
    ("question/neutral/loyalty", """
Comment ajouter des miles manquants d'un vol partenaire ?
    """),
    ("question/neutral/late_flight", """
Des nouvelles du {flight} ? Le panneau indique retardé
    """),
    ("question/neutral/accessibility", """
Comment demander l'assistance fauteuil roulant pour ma mère ?
    """),
    ("question/negative/refund", """
Pourquoi mon remboursement n'est toujours pas arrivé ? Ça fait 6 semaines
    """),
    ("question/positive/booking", """
Premier voyage à {city} !! Je peux déjà choisir un hublot ? 😍
    """),
    ("urgent/negative/late_flight", """
Ma correspondance part dans 10 min et on roule encore. Elle va attendre ??
    """),
    ("urgent/negative/booking", """
Je suis à la porte, on me dit que mon billet n'est pas valable et l'embarquement ferme dans 5 min
On refuse de me laisser embarquer, réservation {code}, départ dans 20 minutes
    """),
    ("urgent/negative/lost_luggage", """
Les médicaments de ma mère sont dans la valise perdue. Elle en a besoin ce soir. Dossier {code}
    """),
    ("urgent/neutral/accessibility", """
Besoin d'un fauteuil roulant à l'arrivée à {airport}, vol {flight}, atterrissage dans une heure. Réservation {code}
    """),
    ("urgent/negative/customer_service", """
{kid} voyage seule sur le {flight} et l'avion a été dérouté. Personne ne me dit où elle est
    """),
    ("crisis/negative/safety/safety", """
Fumée dans la cabine du {flight}, atterrissage d'urgence à {city}
Atterrissage d'urgence à {airport}. Des gens pleurent. Que s'est-il passé ?
Turbulences violentes sur le {flight}, une hôtesse blessée
Intoxication alimentaire après le repas du {flight}, on est aux urgences
Réaction allergique grave après le repas, pas d'adrénaline à bord
    """),
    ("crisis/negative/safety/safety,violence", """
Un passager ivre a frappé une hôtesse sur le {flight}
    """),
    ("crisis/negative/customer_service/violence,abusive", """
Si ma valise n'est pas là demain je viens casser votre agence
Le prochain agent qui me dit "patience", je lui casse la gueule
    """),
    ("crisis/negative/customer_service/discrimination", """
L'agente a demandé à mon amie d'enlever son voile "par sécurité". À personne d'autre
On s'est moqué de mon accent et on a refusé de m'aider. C'est du racisme
    """),
    ("crisis/negative/refund/legal_threat", """
Mon avocat va vous contacter pour les {amount} que vous refusez de rembourser
Je porte plainte et je saisis le médiateur
    """),
    ("crisis/neutral/safety/press", """
Journaliste à {outlet}, nous souhaitons une réaction sur l'atterrissage d'urgence du {flight}
    """),
    ("complaint/negative/loyalty/vip", """
Membre {tier} depuis 12 ans et voilà comment vous me traitez ?
    """),
    ("complaint/negative/-/emoji_only", """
{h} 😡😡
{h} 🤬🤬🤬
    """),
    ("praise/positive/-/emoji_only", """
{h} ❤️❤️
{h} 🙏✈️
    """),
    ("general/neutral/-", """
Embarquement du {flight} pour {city}
En route pour {city} avec {b}
À la porte {gate}, on verra bien
    """),
    ("general/positive/-", """
Direction {city} pour les vacances !! ✈️
    """),
    ("general/negative/-", """
Pas du tout envie de ce vol de 12h demain
    """),
    ("spam/positive/-", """
{h} GAGNEZ un {prize} GRATUIT !!! cliquez {spamlink} 🎁
Jeu concours {b} : {prize} pour 100 personnes ! Participez ici {spamlink}
    """),
    ("spam/neutral/-", """
{h} Cher client, votre compte va être suspendu. Vérifiez vos informations sur {spamlink}
{user} désolés pour ce souci, envoyez votre code de réservation et votre carte à {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} Achetez 10 000 abonnés réels pour 9,99€ {spamlink}
{h} J'ai gagné {amount} en un jour avec {coin}, écris-moi 💰
#voyage #vols #promo #gratuit #concours #gagner #follow #viral {spamlink}
    """),
    ("noise/neutral/-/-/any", """
{h} mdr
{h} ptdr
    """),
    ("noise/neutral/-/-/none", """
Huile d'olive vierge extra, rien de mieux
L'esprit de Noël est bien là cette année
Le delta du Rhône est magnifique au printemps
Joyeux anniversaire à ma meilleure amie !
    """),
    ("noise/negative/-/-/none", """
Cette file à la poste me tue
    """),
]
