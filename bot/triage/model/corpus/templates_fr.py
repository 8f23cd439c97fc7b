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
    ("complaint/negative/late_flight", """
On nous laisse sur le tarmac {dur} sans clim, les enfants pleurent
chaque fois que je vole avec {b} j'arrive en retard, c'est devenu une habitude
{dur} de retard et pas une excuse au micro
    """),
    ("complaint/negative/customer_service", """
J'ai demandé un responsable, on m'a dit qu'il n'y en a pas. Comment ça ?
Appelé 4 fois, 4 réponses différentes
Le chat a fermé la conversation pendant que j'écrivais
    """),
    ("complaint/negative/-", """
Siège cassé, écran en panne et toilettes bouchées. Quel vol
Une bouteille d'eau à {amount} à bord, sérieusement
    """),
    ("complaint/negative/-/-/biz", """
Plus d'internet depuis lundi et {b} dit qu'il n'y a aucune panne
Colis arrivé cassé et à moitié vide
    """),
    ("complaint/negative/customer_service/sarcasm", """
{dur} au téléphone avec la musique d'attente, merci {b}, quel plaisir
Encore une réponse copiée-collée. Je me sens tellement écouté
    """),
    ("complaint/negative/-/abusive/any", """
{b} vous êtes des minables
allez vous faire voir, {b}
    """),
    ("complaint/negative/customer_service/mixed", """
Équipage génial, personnel au sol catastrophique
    """),
    ("praise/positive/lost_luggage/mixed", """
Valise perdue mais livrée à l'hôtel dès 9h. Bien joué
    """),
    ("praise/positive/-", """
Premier vol avec {b} et je recommence sans hésiter
Propre, à l'heure et un équipage adorable
Merci {b}, vol impeccable comme toujours
    """),
    ("praise/positive/loyalty", """
Surclassement surprise sur le {flight} ! Merci {b}, vous avez fait ma semaine
    """),
    ("question/neutral/-", """
Il y a du wifi sur les vols vers {city} ?
Vous avez une réduction étudiant ?
À qui écrire pour un objet oublié dans le vol de {day} ?
    """),
    ("question/neutral/cancelled_flight", """
Si le {flight} est annulé demain, je suis replacé automatiquement ?
    """),
    ("question/neutral/billing/-/biz", """
Pourquoi ma facture est plus élevée ce mois-ci ?
    """),
    ("question/negative/customer_service", """
Pourquoi c'est impossible de parler à un humain chez {b} ?
    """),
    ("urgent/negative/-", """
Quelqu'un peut répondre svp, je suis bloquée à {airport} avec deux enfants et plus de vol
    """),
    ("urgent/neutral/booking", """
Je serai à l'aéroport 15 min en retard pour le {flight}, vous pouvez prévenir la porte ?
    """),
    ("crisis/negative/safety/safety", """
Un hublot s'est fissuré en plein vol sur le {flight}. On se déroute vers {city}
Un passager s'est effondré sur le {flight} et on ne trouvait pas le défibrillateur
Décollage interrompu en pleine vitesse, plusieurs blessés à bord du {flight}
    """),
    ("crisis/negative/accessibility/discrimination", """
Refusé à l'embarquement parce que je suis en fauteuil. "On ne peut pas vous prendre". C'est illégal
    """),
    ("crisis/negative/customer_service/legal_threat", """
J'ai tout filmé et j'en ai parlé à un avocat
    """),
    ("crisis/neutral/customer_service/press", """
Bonjour, je vous écris de {outlet}. Nous avons reçu plusieurs plaintes sur le personnel de {b}. Pouvons-nous échanger ?
    """),
    ("crisis/negative/-/press,vip", """
J'ai 300 000 abonnés et ils vont tous savoir comment vous avez traité ma famille
    """),
    ("praise/positive/loyalty/vip", """
{tier} depuis 10 ans et vous me faites toujours sentir spécial. Merci
    """),
    ("general/neutral/-", """
Apparemment {b} ouvre des lignes vers {city} l'été prochain
Je viens d'atterrir à {city}
Demain vol pour {city} à {time}
    """),
    ("general/negative/-", """
Déjà triste de quitter {city}
    """),
    ("noise/neutral/-/-/none", """
Semaine de l'esprit d'équipe à l'école, demain c'est pyjama
Le variant delta encore aux infos
Ma voisine Joy vient d'adopter un chiot
Match de Manchester United ce soir au bar
    """),
    ("noise/positive/-/-/none", """
Bonne journée à tous ☀️
Trop heureuse, j'ai eu mon bac !!
    """),
    ("noise/negative/-/-/none", """
Cette chaleur va me tuer
    """),
    ("spam/neutral/-", """
{user} Nous pouvons traiter votre remboursement aujourd'hui, contactez {fake} sur WhatsApp
    """),
    ("complaint/negative/-/emoji_only", """
{h} 👎👎👎
    """),
    ("question/neutral/booking", """
On peut garder la poussette jusqu'à la porte de l'avion ?
Combien de bagages sont inclus dans le tarif de base ?
Jusqu'à quelle heure on peut déposer les bagages à {airport} ?
Il faut imprimer la carte d'embarquement ou le téléphone suffit ?
Je peux prendre ma guitare en cabine ?
Ça coûte combien de changer la date de la réservation {code} ?
    """),
    ("question/neutral/lost_luggage", """
Comment suivre un bagage retardé ?
Où faire la réclamation si ma valise n'est pas arrivée ?
    """),
    ("question/neutral/app", """
L'appli marche hors connexion pour la carte d'embarquement ?
Comment changer mon mot de passe ? Le lien n'arrive jamais
    """),
    ("question/neutral/food_onboard", """
Il y a un repas sur le vol pour {city} ou je prends quelque chose ?
    """),
    ("question/neutral/cancelled_flight", """
Mon vol est annulé, je dois faire quelque chose pour être sur le prochain ?
    """),
    ("question/negative/late_flight", """
Pourquoi le {flight} part ENCORE en retard ?
Pourquoi personne ne nous informe du retard ?
    """),
    ("question/negative/lost_luggage", """
Elle est où ma valise ? 3e jour et rien
    """),
    ("question/positive/-", """
J'ai adoré le vol ! Vous allez aussi à {city} ?
Meilleur équipage 😍 où est-ce que je peux laisser un compliment ?
    """),
    ("praise/positive/-", """
Rien à redire, parfait de l'enregistrement à l'atterrissage
Je ne m'attendais pas à autant de {b}, franchement bravo
Zéro stress, zéro retard. C'est comme ça qu'on fait
    """),
    ("praise/positive/customer_service", """
L'hôtesse du {flight} a vu que j'étais stressée et est passée me voir tout le vol. Adorable
Merci au personnel de {airport} qui a retrouvé le doudou de ma fille
    """),
    ("praise/positive/accessibility", """
Merci pour l'assistance fauteuil roulant de mon père à {airport}, parfait
    """),
    ("complaint/neutral/-", """
Pour info, la prise du rang 20 sur le {flight} ne marche pas
Petit détail : le site dit fermeture du dépôt bagages 45 min avant, le comptoir dit 60
    """),
    ("urgent/negative/booking", """
La page de changement plante et le dernier vol pour {city} part dans 50 minutes. Aidez-moi
Le nom de ma femme est faux sur la réservation {code} et on est au contrôle. Départ dans 45 min
    """),
    ("crisis/negative/safety/safety", """
Tout le rang 14 est malade après le poulet du {flight}. Ça vomit partout
Les masques à oxygène sont tombés sur le {flight}. On descend très vite
    """),
    ("crisis/negative/customer_service/violence", """
L'agent à la porte a bousculé mon père quand il a posé une question. C'est filmé
    """),
    ("general/neutral/-/-/any", """
Tiens, {b} est en tendance aujourd'hui
{b} m'a envoyé un questionnaire, je le remplis
    """),
    ("general/neutral/-", """
Je viens de réserver avec {b} pour le pont de mai
Un avion {b} avec la nouvelle livrée à {airport} aujourd'hui
    """),
    ("spam/neutral/-/-/any", """
{h} Travaillez depuis chez vous et gagnez {amount} par jour ! Sans expérience {spamlink}
{h} Perdez 10 kilos en 10 jours avec cette astuce {spamlink}
Montres et sacs de luxe à -80% {spamlink}
    """),
    ("noise/neutral/-/-/none", """
Mon animal totem, c'est un chat qui dort
Cours de physique : la fonction delta de Dirac, à l'aide
Ma voisine Espérance fait les meilleures crêpes
Le Virgin Radio du matin, toujours la même playlist
    """),
    ("noise/positive/-/-/none", """
Quel bonheur, ma nièce est née aujourd'hui !
J'adore cette chanson, je l'écoute en boucle
    """),
    ("noise/negative/-/-/none", """
Je déteste les lundis de tout mon être
Écran de téléphone cassé, quelle journée
    """),
    ("noise/neutral/-/-/any", """
{h} c'est qui qui gère ce compte ? trop drôle
{h} rien, je passais dire bonjour
    """),
    ("crisis/negative/safety/safety", """
Odeur de brûlé dans la cabine du {flight}, l'équipage court avec des extincteurs
Le {flight} est revenu à {airport} après une détonation au moteur
À l'atterrissage à {airport} les freins fumaient, pompiers sur la piste
Une valise est tombée du coffre sur la tête d'un enfant, il saigne
La sortie de secours était tenue avec du scotch. Photo : {link}
    """),
    ("crisis/negative/customer_service/discrimination", """
À ma mère en fauteuil on a dit "vous retardez tout le monde". C'est de la discrimination
Contrôle supplémentaire pour nous seuls, à cause de notre couleur de peau. Troisième fois
    """),
    ("crisis/negative/lost_luggage/legal_threat", """
Vous avez perdu du matériel d'une valeur de {amount}. Mon avocat prépare la plainte
    """),
    ("crisis/neutral/safety/press", """
Ici {outlet} : confirmez-vous que des membres d'équipage ont été blessés sur le {flight} ?
    """),
    ("urgent/negative/customer_service", """
Mon père atteint d'Alzheimer s'est perdu pendant la correspondance à {airport}, il n'a pas de téléphone
    """),
    ("urgent/negative/accessibility", """
Atterris à {airport}, pas de fauteuil roulant et mon père ne peut pas marcher. 30 minutes qu'on attend
    """),
    ("praise/positive/customer_service", """
Merci à l'équipe de {airport} pour sa patience avec ma mère pendant la correspondance
    """),
    ("complaint/negative/customer_service/sarcasm", """
Quel service client, raccroché au bout du troisième appel. Bravo {b}
J'adore quand le chatbot me renvoie vers la FAQ. Super utile
    """),
    ("complaint/negative/cancelled_flight/sarcasm", """
Merci d'annuler à minuit, le sommeil c'est surfait
Génial {b}, encore annulé. C'est devenu une tradition
    """),
    ("spam/neutral/-", """
{h} Votre remboursement de {amount} est prêt. Confirmez votre carte sur {spamlink}
{user} bonjour, équipe {b} ici. Envoyez votre code de réservation et pièce d'identité en MP à {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} 🔞 contenu exclusif réservé aux adultes, c'est ici {spamlink}
🚀 {coin} va faire x100, entrez avant tout le monde {spamlink}
    """),
]
