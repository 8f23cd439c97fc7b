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
    ("complaint/negative/late_flight", """
Nos tienen en la pista {dur} con el aire apagado. Los niños llorando
cada vez que vuelo con {b} llego tarde, ya es costumbre
retraso de {dur} y ni una disculpa por megafonía
    """),
    ("complaint/negative/customer_service", """
Pedí hablar con un supervisor y me dijeron que no hay. Cómo que no hay?
Llamé 4 veces y me dieron 4 respuestas distintas
El chat me cerró la conversación mientras escribía
    """),
    ("complaint/negative/-", """
El asiento no se reclina, la pantalla no va y el baño inundado. Vaya vuelo
Una botella de agua a {amount} a bordo. Venga ya
El de delante se me echó encima y la tripulación ni caso
    """),
    ("complaint/negative/-/-/biz", """
Llevo sin internet desde el lunes y {b} dice que no hay ninguna incidencia
Me llegó el pedido roto y falta la mitad
    """),
    ("complaint/negative/customer_service/sarcasm", """
{dur} al teléfono escuchando la musiquita. Gracias {b}, qué detalle
Otra respuesta copiada y pegada. Me siento tan escuchado
    """),
    ("complaint/negative/-/abusive/any", """
{b} sois basura, pura basura
que os den a todos, {b}
    """),
    ("complaint/negative/customer_service/mixed", """
La tripulación genial, el personal de tierra un desastre
    """),
    ("praise/positive/lost_luggage/mixed", """
Se perdió la maleta pero me la llevaron al hotel a las 9 de la mañana. Muy bien
    """),
    ("praise/positive/-", """
Primera vez con {b} y repetiré seguro
Limpio, puntual y con una tripulación majísima
    """),
    ("praise/positive/loyalty", """
Upgrade sorpresa en el {flight}! Gracias {b}, me habéis alegrado la semana
    """),
    ("question/neutral/-", """
Tienen wifi en los vuelos a {city}?
Hay descuento para estudiantes?
A quién escribo por un objeto perdido del vuelo de {day}?
    """),
    ("question/neutral/cancelled_flight", """
Si cancelan el {flight} mañana me reubican automáticamente?
    """),
    ("question/neutral/billing/-/biz", """
Por qué la factura de este mes es más alta?
    """),
    ("question/negative/customer_service", """
Por qué es imposible hablar con una persona en {b}?
    """),
    ("urgent/negative/-", """
Por favor que alguien conteste, estoy tirada en {airport} con dos niños y sin vuelo
    """),
    ("crisis/negative/safety/safety", """
Se rompió una ventanilla en pleno vuelo en el {flight}. Desviados a {city}
Un pasajero se desplomó en el {flight} y no encontraban el desfibrilador
    """),
    ("crisis/negative/accessibility/discrimination", """
No me dejaron embarcar por ir en silla de ruedas. "No podemos atenderle". Es ilegal
    """),
    ("crisis/negative/customer_service/legal_threat", """
Lo grabé todo y ya he hablado con un abogado
    """),
    ("crisis/neutral/customer_service/press", """
Hola, escribo desde {outlet}. Hemos recibido varias quejas sobre el personal de {b}. Podemos hablar?
    """),
    ("crisis/negative/-/press,vip", """
Tengo 300 mil seguidores y todos se van a enterar de cómo tratasteis a mi familia
    """),
    ("praise/positive/loyalty/vip", """
{tier} desde hace 10 años y seguís haciéndome sentir especial. Gracias
    """),
    ("general/neutral/-", """
Parece que {b} abre nuevas rutas a {city} el verano que viene
Acabo de aterrizar en {city}
Mañana vuelo a {city} a las {time}
    """),
    ("noise/neutral/-/-/none", """
Semana del espíritu en el cole, mañana toca pijama
La variante delta otra vez en las noticias
Unidos podemos, dice el cartel de la plaza
Mi vecina Esperanza acaba de tener un perrito
Viendo el partido del United en el bar
    """),
    ("noise/positive/-/-/none", """
Qué alegría más grande, he aprobado el carnet!!
Buenos días a todos ☀️
    """),
    ("noise/negative/-/-/none", """
Este calor me está matando
Se me ha muerto el móvil al 40%, odio esto
    """),
    ("question/neutral/booking", """
Se puede llevar el carrito del bebé hasta la puerta del avión?
Cuántas maletas entran en la tarifa básica?
Hasta qué hora se puede facturar en {airport}?
Necesito imprimir la tarjeta de embarque o vale con el móvil?
Puedo viajar con una guitarra en cabina?
Cuánto cuesta cambiar la fecha de la reserva {code}?
Hay vuelos directos de {airport} a {city} en verano?
    """),
    ("question/neutral/lost_luggage", """
Cómo puedo seguir una maleta retrasada?
Dónde pongo la reclamación si mi maleta no ha llegado?
    """),
    ("question/neutral/app", """
La app funciona sin conexión para la tarjeta de embarque?
Cómo cambio la contraseña? El enlace no me llega
Se ha caído la web o soy yo?
    """),
    ("question/neutral/food_onboard", """
Hay comida en el vuelo a {city} o llevo algo?
Se puede pedir menú sin gluten?
    """),
    ("question/neutral/accessibility", """
Puedo llevar mi scooter de movilidad a bordo?
Qué necesito para volar con un perro de asistencia?
    """),
    ("question/negative/late_flight", """
Por qué el {flight} sale tarde OTRA VEZ?
Por qué nadie nos informa del retraso?
    """),
    ("question/negative/lost_luggage", """
Dónde está mi maleta? Día 3 y nada
    """),
    ("question/positive/-", """
Me encantó el vuelo! Voláis también a {city}?
La mejor tripulación 😍 dónde puedo dejar una felicitación?
    """),
    ("praise/positive/-", """
Ni una queja, todo perfecto del check-in al aterrizaje
No me esperaba tanto de {b}, la verdad. Muy bien
Cero estrés, cero retrasos. Así se hace
    """),
    ("praise/positive/customer_service", """
La azafata del {flight} vio que iba nerviosa y estuvo pendiente todo el vuelo. Qué amor
Gracias al personal de {airport} que encontró el peluche de mi hija
    """),
    ("praise/positive/accessibility", """
Gracias por la asistencia con la silla de ruedas de mi padre en {airport}, de diez
    """),
    ("complaint/neutral/-", """
Para que lo sepáis, el enchufe de la fila 20 del {flight} no funciona
Un detalle: la web dice que la facturación cierra 45 min antes y en el mostrador 60
    """),
    ("urgent/negative/booking", """
La web de cambios no carga y el último vuelo a {city} sale en 50 minutos. Ayuda
El nombre de mi mujer está mal en la reserva {code} y estamos en el control. Sale en 45 min
    """),
    ("urgent/neutral/-", """
Me dejé el móvil en el asiento del {flight}, el avión sigue en la puerta. Alguien lo puede coger?
    """),
    ("crisis/negative/safety/safety", """
Los de la fila 14 nos hemos puesto malos después del pollo del {flight}. Vómitos por todas partes
Se soltaron las mascarillas de oxígeno en el {flight}. Estamos bajando muy rápido
Abortaron el despegue a toda velocidad, varios heridos en el {flight}
    """),
    ("crisis/negative/customer_service/violence", """
El agente de la puerta empujó a mi padre cuando preguntó algo. Está grabado
    """),
    ("crisis/negative/-/legal_threat/biz", """
{b}, mi abogado os escribirá por estos cargos falsos
    """),
    ("general/neutral/-/-/any", """
Qué curioso que {b} sea tendencia hoy
Me ha llegado una encuesta de {b}, rellenándola
    """),
    ("general/neutral/-", """
Acabo de reservar con {b} para el puente
Avión de {b} con la librea nueva en {airport} hoy
    """),
    ("spam/neutral/-/-/any", """
{h} Trabaja desde casa y gana {amount} al día! Sin experiencia {spamlink}
{h} Pierde 10 kilos en 10 días con este truco {spamlink}
Relojes y bolsos de réplica al 80% {spamlink}
    """),
    ("noise/neutral/-/-/none", """
Vaya partido del Frontera ayer
Mi espíritu animal es un gato dormido
Clase de física: la función delta de Dirac, socorro
Esperanza, mi vecina, hace las mejores croquetas
Semana Santa en Sevilla, qué ambiente
    """),
    ("noise/positive/-/-/none", """
Qué felicidad, mi sobrina ha nacido hoy!
Me encanta esta canción, la tengo en bucle
    """),
    ("noise/negative/-/-/none", """
Odio los lunes con toda mi alma
Se me ha roto la pantalla del móvil, qué día
    """),
    ("noise/neutral/-/-/any", """
{h} quién lleva esta cuenta? sois muy graciosos
{h} nada, solo pasaba a saludar
    """),
    ("crisis/negative/safety/safety", """
Olor a quemado en la cabina del {flight}, la tripulación corre con extintores
El {flight} ha vuelto a {airport} tras un estallido en el motor
Al aterrizar en {airport} salía humo de los frenos, bomberos en pista
Una maleta cayó del compartimento en la cabeza de un niño, está sangrando
La salida de emergencia estaba sujeta con cinta. Foto: {link}
    """),
    ("crisis/negative/customer_service/discrimination", """
A mi madre en silla de ruedas le dijeron "usted retrasa a todos". Eso es discriminación
Nos sacaron a la revisión extra por el color de piel. Tercera vez
    """),
    ("crisis/negative/lost_luggage/legal_threat", """
Habéis perdido equipo por valor de {amount}. Mi abogado prepara la demanda
    """),
    ("crisis/neutral/safety/press", """
Desde {outlet}: pueden confirmar que hay tripulantes heridos en el {flight}?
    """),
    ("urgent/negative/customer_service", """
Mi padre con demencia se ha perdido en la conexión de {airport}, no lleva móvil
    """),
    ("urgent/negative/accessibility", """
Hemos aterrizado en {airport}, no hay silla de ruedas y mi padre no puede andar. 30 minutos esperando
    """),
    ("praise/positive/customer_service", """
Gracias al equipo de {airport} por la paciencia con mi madre en la conexión
    """),
    ("complaint/negative/customer_service/sarcasm", """
Qué maravilla de atención, me colgaron a la tercera. Bravo {b}
Me encanta que el chatbot me mande a las preguntas frecuentes. Utilísimo
    """),
    ("complaint/negative/cancelled_flight/sarcasm", """
Gracias por cancelar a medianoche, dormir está sobrevalorado
Genial {b}, cancelado otra vez. Ya es tradición
    """),
    ("spam/neutral/-", """
{h} Su reembolso de {amount} está listo. Confirme su tarjeta en {spamlink}
{user} hola, soy del equipo de {b}. Envíame tu localizador y DNI por privado a {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} 🔞 contenido exclusivo solo para mayores, entra ya {spamlink}
🚀 {coin} va a multiplicar x100, entra antes que nadie {spamlink}
    """),
]
