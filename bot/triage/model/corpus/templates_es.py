"""Spanish templates (Spain and Latin America), written natively. Format: see build.py."""

FLIGHT_WORD = "vuelo"
MONEY = ("{} €", "{}€", "${}", "{} euros", "{} pesos")

FILLERS = {
    "dur": ("2 horas", "3 horas", "45 minutos", "hora y media", "4h", "toda la noche", "5 horas", "media mañana"),
    "city": ("Madrid", "Barcelona", "Bogotá", "Lima", "Buenos Aires", "Sevilla", "Ciudad de México", "Valencia",
             "Santiago", "Málaga", "Cancún", "Medellín"),
    "day": ("ayer", "hoy", "esta mañana", "anoche", "el lunes", "el viernes", "la semana pasada", "hace 3 días"),
    "staff": ("Lucía", "Javier", "Carmen", "Diego", "Marta", "Andrés", "Sofía", "Raúl"),
    "item": ("medicinas", "portátil", "insulina", "traje de la boda", "pasaporte", "silla del bebé"),
    "tier": ("Oro", "Platino", "Diamante", "Gold", "Platinum"),
    "outlet": ("El Diario", "Radio Capital", "Noticias 24", "La Crónica", "un periódico nacional"),
    "kid": ("mi hija de 9 años", "mi hijo de 10", "mi sobrino (8)", "nuestra hija de 12"),
    "prize": ("iPhone 16", "vale de 500€", "PS5", "vuelos gratis por un año", "2 billetes ida y vuelta"),
}

OPENERS = {
    "complaint": ("En serio?", "Increíble.", "Hola,", "Otra vez", "Vamos a ver,", "Qué vergüenza.", "Madre mía.",
                  "Ya está bien.", "Buenas,", "Lo de siempre:"),
    "question": ("Hola!", "Buenas,", "Una pregunta:", "Hola, buenos días.", "Consulta:", "Hola equipo,"),
    "praise": ("Qué maravilla!", "Tengo que decirlo:", "Muchísimas gracias!", "Chapó.", "Olé!"),
    "urgent": ("URGENTE:", "Ayuda por favor!", "Por favor!!", "Necesito ayuda YA.", "Socorro,"),
    "crisis": ("Esto es grave.", "Necesito denunciar esto.", "Estoy temblando.", "Que se sepa:"),
    "general": ("", "Bueno,", "Pues", "jaja"),
}
CLOSERS = {
    "complaint": ("Nunca más.", "Vergonzoso.", "Qué desastre.", "Inaceptable.", "Sigo esperando.", "Una vergüenza.",
                  "Arreglenlo ya.", "#nuncamas", "Estoy harta.", "Estoy harto.", "Pésimo servicio.", "qué asco"),
    "question": ("Gracias!", "Gracias de antemano.", "Un saludo.", "Mil gracias", "Me confirman?", "Saludos"),
    "praise": ("Gracias!!", "Volveré a volar con ustedes.", "Un 10.", "Así sí.", "Enhorabuena al equipo."),
    "urgent": ("Por favor, rápido.", "Respondan ya!!", "Es urgente.", "Por favor!!"),
    "crisis": ("Exijo una explicación.", "Esto no puede quedar así.", "Respondan."),
    "general": ("", "jaja", "✈️", "allá vamos", "#viajes"),
}
HASHTAGS = {
    "negative": ("#nuncamas", "#pesimoservicio", "#retraso", "#vergüenza"),
    "positive": ("#viajes", "#gracias", "#vacaciones", "#felizviaje"),
    "neutral": ("#viajes", "#pregunta", "#ayuda"),
}
INSULTS = ("Sois unos inútiles.", "Panda de incompetentes.", "Vaya gentuza.", "Idiotas.", "Sinvergüenzas, ladrones.",
           "Que os den.", "Sois basura.", "Imbéciles todos.")

CELLS = [
    ("complaint/negative/late_flight", """
El {flight} lleva {dur} de retraso y nadie nos dice nada
Otra vez retraso. {dur} en la puerta {gate} sin agua ni información
Tres vuelos con ustedes y tres retrasos. Ni uno a su hora
Llevamos {dur} sentados en el avión sin moverse
El retraso del {flight} me ha hecho perder la reunión en {city}
Pone "en hora" en la app y llevamos {dur} esperando. Vaya tela
que alguien me explique por que un vuelo de una hora se convierte en {dur} de espera
retrasado otra vez el {flight}, ya ni me sorprende
    """),
    ("complaint/negative/cancelled_flight", """
Me cancelan el vuelo a las 11 de la noche y el siguiente es pasado mañana??
Vuelo cancelado, sin hotel, sin bono, sin nadie que ayude
Cancelaron el {flight} y nos mandan por {city} con 10 horas de escala. No
nos cancelaron el vuelo de la luna de miel y nos ofrecen un bono. Un bono!
Cancelado con media hora de aviso. Cola de 300 personas y dos agentes
    """),
    ("complaint/negative/lost_luggage", """
Mi maleta no llegó a {city}. Referencia {code} y nadie me llama desde hace 3 días
Perdieron mi equipaje OTRA VEZ
Día 4 sin maleta. Voy con la misma ropa al congreso
La maleta sigue "en tránsito" desde {day}. Dónde está??
Perdisteis mi maleta con las {item} dentro y el teléfono no contesta nadie
el airtag dice que mi maleta está en {city} y yo en {airport}. genial
    """),
    ("complaint/negative/damaged_luggage", """
Me devolvieron la maleta con el asa arrancada
Maleta nueva, un viaje con {b} y ya sin ruedas
El carrito del bebé salió doblado, no se puede usar
    """),
    ("complaint/negative/refund", """
Sigo esperando el reembolso de {day}. Ya van 8 semanas
Me cancelan el vuelo y me dan un bono en vez de devolverme el dinero?
Reembolso {code} "aprobado" desde marzo. Y el dinero?
{amount} de reembolso prometido y nada
    """),
    ("complaint/negative/booking", """
La web me cobró y no me emitió el billete
Pagué para sentarnos juntos y mi hijo de 4 años está en la fila 30
No puedo hacer el check-in ni online ni en el mostrador
Me cambiaron el asiento sin avisar
    """),
    ("complaint/negative/app", """
La app se cierra al hacer el check-in y ahora no tengo tarjeta de embarque
No puedo entrar en mi cuenta, la contraseña nunca funciona
La web está caída otra vez
    """),
    ("complaint/negative/customer_service", """
{dur} esperando al teléfono y me cuelgan
La agente de {airport} nos trató fatal, ni nos miró
Nadie contesta, el chat es un robot inútil y los correos rebotan
Tres correos, dos mensajes, cero respuestas
El personal de tierra en {airport} pasa de todo
    """),
    ("complaint/negative/billing/-/biz", """
Me habéis cobrado dos veces este mes
La factura ha subido {amount} sin avisar
Me siguen cobrando una tarifa que di de baja {day}
    """),
    ("complaint/negative/accessibility", """
Pedí silla de ruedas hace semanas y nadie apareció en {airport}
Mi padre esperó {dur} la silla de ruedas reservada. No puede caminar
    """),
    ("complaint/negative/food_onboard", """
Pagué por la comida y me dieron un bocadillo frío
Pedí menú vegetariano y otra vez pollo
    """),
    ("complaint/negative/customer_service/abusive", """
la agente {staff} es una inútil y una maleducada, échenla ya
sois una panda de payasos
el que lleva vuestras redes es imbécil
ladrones de mierda, devolvedme mi dinero
    """),
    ("complaint/negative/late_flight/sarcasm", """
Genial, otras {dur} de retraso. Gracias {b} 🙄
Me encanta pasar mi cumpleaños en la puerta {gate}. Gracias {b}!
Qué puntualidad la de {b}, solo {dur} tarde esta vez
Nada como un retraso de {dur} para empezar las vacaciones
    """),
    ("complaint/negative/lost_luggage/sarcasm", """
Gracias {b} por mandar mi maleta de vacaciones a {city} sin mí
Mi maleta está viajando más que yo. Bravo {b}
    """),
    ("complaint/negative/lost_luggage/mixed", """
La tripulación un encanto pero mi maleta ha desaparecido
Buen vuelo, personal amable y ahora sin maleta. Casi
    """),
    ("praise/positive/customer_service", """
Mil gracias a {staff} en la puerta {gate}, un amor
La mejor tripulación con la que he volado. Gracias {b}!
Me solucionaron el cambio en 5 minutos. Así da gusto
Gracias por la respuesta tan rápida!
    """),
    ("praise/positive/-", """
Vuelo perfecto, llegamos antes de hora. Qué gusto volar con {b}
Siempre un placer volar con {b} ✈️
Qué aterrizaje más suave, gracias comandante
    """),
    ("praise/positive/late_flight/mixed", """
Retraso de {dur} pero la tripulación fue un encanto. Gracias
    """),
    ("question/neutral/booking", """
Puedo cambiar el vuelo online o tengo que llamar?
Se puede añadir una maleta después de reservar?
A qué hora abre el check-in del {flight}?
Cuánto mide la maleta de mano permitida?
Se puede viajar con mascota en cabina a {city}?
Cómo cambio el nombre en la reserva {code}?
    """),
    ("question/neutral/refund", """
Cuánto tarda un reembolso normalmente?
Si me cancelan el vuelo me devuelven el dinero o un bono?
    """),
    ("question/neutral/loyalty", """
Cómo añado las millas de un vuelo que no aparece?
Caducan los puntos si no vuelo en un año?
    """),
    ("question/neutral/late_flight", """
Hay novedades del {flight}? En el panel pone retrasado
    """),
    ("question/neutral/accessibility", """
Cómo pido asistencia con silla de ruedas para mi madre?
    """),
    ("question/negative/refund", """
Por qué todavía no me ha llegado el reembolso? Van 6 semanas
    """),
    ("question/positive/booking", """
Primer viaje a {city}!! Ya puedo elegir ventanilla? 😍
    """),
    ("urgent/negative/late_flight", """
Mi conexión sale en 10 minutos y seguimos rodando. La esperan??
Aterrizamos tarde y la puerta {gate} cierra en 8 minutos, pueden avisar?
    """),
    ("urgent/negative/booking", """
Estoy en la puerta, dicen que mi billete no vale y el embarque cierra en 5 min
No me dejan embarcar, reserva {code}, el vuelo sale en 20 minutos
    """),
    ("urgent/negative/lost_luggage", """
La medicación del corazón de mi madre está en la maleta perdida. La necesita esta noche. Ref {code}
    """),
    ("urgent/neutral/accessibility", """
Necesito silla de ruedas a la llegada en {airport}, vuelo {flight}, aterrizamos en una hora. Reserva {code}
    """),
    ("urgent/negative/customer_service", """
{kid} viaja sola en el {flight} y el avión se ha desviado. Nadie me dice dónde está
Menor no acompañado en el {flight}, estoy en llegadas y nadie encuentra a mi hijo
    """),
    ("crisis/negative/safety/safety", """
Humo en la cabina del {flight}, aterrizaje de emergencia en {city}
Aterrizaje de emergencia en {airport}. La gente llorando. Qué ha pasado?
Turbulencia fortísima en el {flight}, una azafata herida y sangrando
Mi hijo tiene intoxicación por la comida del {flight}, estamos en urgencias
Reacción alérgica grave tras la comida a bordo y no había epinefrina
Evacuados por los toboganes, mi mujer se ha hecho daño en el tobillo
    """),
    ("crisis/negative/safety/safety,violence", """
Un pasajero borracho agredió a una azafata en el {flight}
Pelea a bordo del {flight}, alguien sacó una navaja. Estamos desviando
    """),
    ("crisis/negative/customer_service/violence,abusive", """
Como no aparezca mi maleta mañana voy a vuestra oficina y os rompo todo
Al próximo agente que me diga "paciencia" le parto la cara
    """),
    ("crisis/negative/customer_service/discrimination", """
La agente le hizo quitarse el hiyab a mi amiga "por seguridad". A nadie más
Éramos la única familia negra a la que sacaron de la cola. Tres veces
Se burlaron de mi acento y se negaron a atenderme. Eso es racismo
    """),
    ("crisis/negative/refund/legal_threat", """
Mi abogado se pondrá en contacto por los {amount} que no me devolvéis
Os voy a denunciar ante consumo y presentaré una demanda
    """),
    ("crisis/neutral/safety/press", """
Soy periodista de {outlet}, buscamos declaraciones sobre el aterrizaje de emergencia del {flight}
    """),
    ("complaint/negative/loyalty/vip", """
Socio {tier} desde hace 12 años y así me tratáis?
    """),
    ("complaint/negative/-/emoji_only", """
{h} 😡😡😡
{h} 👎
    """),
    ("praise/positive/-/emoji_only", """
{h} ❤️✈️
{h} 👏👏
    """),
    ("general/neutral/-", """
Embarcando en el {flight} rumbo a {city}
De camino a {city} con {b}
Esperando en la puerta {gate}, a ver qué tal
Primera vez que vuelo con {b}
    """),
    ("general/positive/-", """
Rumbo a {city} de vacaciones!! ✈️
Por fin vuelvo a casa por Navidad
    """),
    ("general/negative/-", """
Qué pereza el vuelo de 12 horas de mañana
Odio volar, allá vamos otra vez
    """),
    ("spam/positive/-", """
{h} GANA un {prize} GRATIS!!! entra en {spamlink} 🎁
Sorteo aniversario {b}: {prize} para 100 personas. Participa aquí {spamlink}
    """),
    ("spam/neutral/-", """
{h} Estimado cliente, su cuenta será suspendida. Verifique sus datos en {spamlink}
{user} lamentamos lo ocurrido, escríbenos tu código de reserva y tarjeta a {fake}
{user} Te ayudamos con tu reembolso por WhatsApp, contacta con {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} Compra 10.000 seguidores reales por 9,99€ {spamlink}
{h} Gané {amount} en un día con {coin}, escríbeme y te enseño 💰
{h} chicas solteras cerca de ti te esperan 😘 {spamlink}
#viajes #vuelos #ofertas #gratis #sorteo #gana #sigueme #viral {spamlink}
    """),
    ("noise/neutral/-/-/any", """
{h} jajaja
{h} jajajaja qué
{h} primero
    """),
    ("noise/neutral/-/-/none", """
El delta del Ebro está precioso en primavera
Aceite de oliva virgen extra, el de toda la vida
Espíritu navideño a tope en casa
La última frontera del espacio, maratón de Star Trek
Feliz cumpleaños a mi mejor amiga!
Qué alegría verte, de verdad
    """),
    ("noise/negative/-/-/none", """
Esta cola del banco me está matando
El examen de mañana me va a matar
    """),
    ("noise/positive/-/-/none", """
Feliz viernes a todos!
Mejor concierto de mi vida anoche
    """),
]
