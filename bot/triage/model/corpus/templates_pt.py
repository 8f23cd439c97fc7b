"""Portuguese templates (Brazil and Portugal), written natively. Format: see build.py."""

FLIGHT_WORD = "voo"
MONEY = ("R$ {}", "R${}", "{} €", "{} reais")

FILLERS = {
    "dur": ("2 horas", "3h", "45 minutos", "uma hora e meia", "4 horas", "a noite toda", "5h"),
    "city": ("São Paulo", "Rio", "Lisboa", "Porto", "Recife", "Salvador", "Fortaleza", "Brasília", "Curitiba", "Faro"),
    "day": ("ontem", "hoje", "hoje de manhã", "ontem à noite", "na segunda", "na sexta", "semana passada", "há 3 dias"),
    "staff": ("Ana", "João", "Beatriz", "Rafael", "Camila", "Pedro", "Juliana", "Tiago"),
    "item": ("remédios", "notebook", "insulina", "vestido de noiva", "passaporte"),
    "tier": ("Ouro", "Diamante", "Platinum", "Black"),
    "outlet": ("o Jornal da Cidade", "a Rádio Central", "o portal Notícias Já", "um grande jornal"),
    "kid": ("minha filha de 9 anos", "meu filho de 10", "nossa filha de 12"),
    "prize": ("iPhone 16", "vale de R$ 1000", "PS5", "passagens grátis por um ano"),
}

OPENERS = {
    "complaint": ("Sério?", "Inacreditável.", "Oi,", "De novo", "Olha,", "Que vergonha.", "Gente,"),
    "question": ("Oi!", "Olá,", "Uma dúvida:", "Bom dia,", "Boa tarde,"),
    "praise": ("Obrigada!", "Obrigado!", "Preciso dizer:", "Parabéns!"),
    "urgent": ("URGENTE:", "Socorro!", "Por favor!!", "Preciso de ajuda JÁ."),
    "crisis": ("Isso é grave.", "Preciso denunciar isso.", "Ainda estou tremendo."),
    "general": ("", "Bom,", "Enfim", "kkkk"),
}
CLOSERS = {
    "complaint": ("Nunca mais.", "Vergonhoso.", "Que absurdo.", "Inaceitável.", "Continuo esperando.", "Péssimo.",
                  "#nuncamais", "Cansei.", "Palhaçada."),
    "question": ("Obrigado!", "Obrigada desde já.", "Valeu", "Abraço", "Aguardo"),
    "praise": ("Obrigada!!", "Voltarei a voar com vocês.", "Nota 10.", "Show!", "Parabéns à equipe."),
    "urgent": ("Por favor, rápido.", "Respondam!!", "É urgente."),
    "crisis": ("Exijo explicações.", "Isso não vai ficar assim.", "Respondam."),
    "general": ("", "kkk", "✈️", "partiu", "#viagem"),
}
HASHTAGS = {
    "negative": ("#nuncamais", "#atraso", "#vergonha", "#péssimoatendimento"),
    "positive": ("#viagem", "#obrigado", "#férias", "#partiu"),
    "neutral": ("#viagem", "#dúvida", "#ajuda"),
}
INSULTS = ("Bando de incompetentes.", "Vocês são uns idiotas.", "Cambada de ladrões.", "Vão à merda.",
           "Palhaços.", "Lixo de empresa, lixo de gente.")

CELLS = [
    ("complaint/negative/late_flight", """
O {flight} está {dur} atrasado e ninguém fala nada
Atrasado de novo. {dur} no portão {gate} sem água nem informação
Três voos com vocês e três atrasos
Estamos sentados no avião há {dur} sem sair do lugar
Perdi a reunião em {city} por causa do atraso do {flight}
    """),
    ("complaint/negative/cancelled_flight", """
Cancelaram o voo às 23h e o próximo é só depois de amanhã??
Voo cancelado, sem hotel, sem voucher, sem ninguém pra ajudar
Cancelaram o voo da nossa lua de mel e oferecem um voucher. Um voucher!
    """),
    ("complaint/negative/lost_luggage", """
Minha mala não chegou em {city}. Protocolo {code} e ninguém liga faz 3 dias
Perderam minha bagagem DE NOVO
4º dia sem mala. Vou pro congresso com a mesma roupa
A mala está "em trânsito" desde {day}. Cadê?
    """),
    ("complaint/negative/damaged_luggage", """
Minha mala voltou com a alça arrancada
O carrinho do bebê chegou todo torto
    """),
    ("complaint/negative/refund", """
Ainda esperando o reembolso de {day}. Já são 8 semanas
Cancelam o voo e me dão crédito em vez de devolver o dinheiro?
Reembolso {code} "aprovado" desde março. Cadê o dinheiro?
    """),
    ("complaint/negative/booking", """
O site cobrou e não emitiu a passagem
Não consigo fazer check-in nem online nem no balcão
Paguei pra sentar junto e meu filho de 4 anos ficou na fileira 30
    """),
    ("complaint/negative/app", """
O app trava no check-in e sumiu o cartão de embarque
Não consigo entrar na conta, a senha nunca funciona
    """),
    ("complaint/negative/customer_service", """
{dur} no telefone e desligaram na minha cara
A atendente em {airport} foi super grossa
Ninguém atende, o chat é um robô inútil
3 emails, 2 mensagens, zero resposta
    """),
    ("complaint/negative/billing/-/biz", """
Vocês me cobraram duas vezes este mês
Minha fatura subiu {amount} sem aviso
    """),
    ("complaint/negative/accessibility", """
Reservei cadeira de rodas e ninguém apareceu na chegada em {airport}
    """),
    ("complaint/negative/food_onboard", """
Paguei pela refeição e veio um sanduíche frio
    """),
    ("complaint/negative/customer_service/abusive", """
o atendente {staff} é um imbecil, demitam esse cara
bando de palhaços incompetentes
quem cuida das redes de vocês é um idiota
    """),
    ("complaint/negative/late_flight/sarcasm", """
Ótimo, mais {dur} de atraso. Valeu {b} 🙄
Adoro passar meu aniversário no portão {gate}. Obrigado {b}!
Que pontualidade, {b}. Só {dur} de atraso dessa vez
    """),
    ("complaint/negative/lost_luggage/sarcasm", """
Obrigado {b} por mandar minha mala de férias pra {city} sem mim
    """),
    ("complaint/negative/lost_luggage/mixed", """
Tripulação um amor, mas minha mala sumiu
    """),
    ("praise/positive/customer_service", """
Muito obrigada à {staff} no portão {gate}, maravilhosa
Melhor tripulação que já voei. Obrigado {b}!
Resolveram minha remarcação em 5 minutos. Assim dá gosto
Obrigado pela resposta rápida!
    """),
    ("praise/positive/-", """
Voo perfeito, chegamos adiantados. Sempre um prazer voar com a {b}
Que pouso suave, obrigado comandante
    """),
    ("praise/positive/late_flight/mixed", """
Atrasou {dur}, mas a tripulação foi incrível. Obrigada
    """),
    ("question/neutral/booking", """
Posso remarcar o voo online ou preciso ligar?
Dá pra incluir bagagem depois da compra?
Que horas abre o check-in do {flight}?
Qual o tamanho máximo da bagagem de mão?
Como troco o nome na reserva {code}?
    """),
    ("question/neutral/refund", """
Quanto tempo demora um reembolso normalmente?
    """),
    ("question/neutral/loyalty", """
Como incluo milhas de um voo parceiro que não apareceram?
    """),
    ("question/neutral/late_flight", """
Alguma novidade do {flight}? O painel diz atrasado
    """),
    ("question/neutral/accessibility", """
Como peço assistência com cadeira de rodas pra minha mãe?
    """),
    ("question/negative/refund", """
Por que meu reembolso ainda não caiu? Já são 6 semanas
    """),
    ("question/positive/booking", """
Primeira viagem pra {city}!! Já posso escolher janela? 😍
    """),
    ("urgent/negative/late_flight", """
Minha conexão sai em 10 minutos e ainda estamos taxiando. Vão esperar??
    """),
    ("urgent/negative/booking", """
Tô no portão, dizem que minha passagem não vale e o embarque fecha em 5 min
Não me deixam embarcar, reserva {code}, o voo sai em 20 minutos
    """),
    ("urgent/negative/lost_luggage", """
O remédio do coração da minha mãe está na mala extraviada. Ela precisa hoje à noite. Protocolo {code}
    """),
    ("urgent/neutral/accessibility", """
Preciso de cadeira de rodas na chegada em {airport}, voo {flight}, pousamos em uma hora. Reserva {code}
    """),
    ("urgent/negative/customer_service", """
{kid} está viajando sozinha no {flight} e o avião foi desviado. Ninguém me diz onde ela está
    """),
    ("crisis/negative/safety/safety", """
Fumaça na cabine do {flight}, pouso de emergência em {city}
Pouso de emergência em {airport}. Gente chorando. O que aconteceu?
Turbulência fortíssima no {flight}, uma comissária ferida
Intoxicação alimentar depois da refeição do {flight}, estamos no pronto-socorro
Reação alérgica grave depois da comida a bordo e não tinha adrenalina
    """),
    ("crisis/negative/safety/safety,violence", """
Um passageiro bêbado agrediu uma comissária no {flight}
    """),
    ("crisis/negative/customer_service/violence,abusive", """
Se minha mala não aparecer amanhã eu vou aí e quebro tudo
O próximo atendente que me mandar ter paciência vai levar um soco
    """),
    ("crisis/negative/customer_service/discrimination", """
A atendente mandou minha amiga tirar o hijab "por segurança". Só ela
Zombaram do meu sotaque e se recusaram a me atender. Isso é racismo
    """),
    ("crisis/negative/refund/legal_threat", """
Meu advogado vai entrar em contato pelos {amount} que vocês não devolvem
Vou processar vocês e abrir reclamação no Procon
    """),
    ("crisis/neutral/safety/press", """
Sou jornalista d{outlet}, gostaria de um posicionamento sobre o pouso de emergência do {flight}
    """),
    ("complaint/negative/loyalty/vip", """
Cliente {tier} há 12 anos e é assim que vocês me tratam?
    """),
    ("complaint/negative/-/emoji_only", """
{h} 😡😡😡
{h} 😤😤
    """),
    ("praise/positive/-/emoji_only", """
{h} ❤️✈️❤️
{h} 😍
    """),
    ("general/neutral/-", """
Embarcando no {flight} pra {city}
Indo pra {city} com a {b}
No portão {gate}, vamos ver
    """),
    ("general/positive/-", """
Partiu {city} de férias!! ✈️
    """),
    ("general/negative/-", """
Que preguiça do voo de 12 horas amanhã
    """),
    ("spam/positive/-", """
{h} GANHE um {prize} GRÁTIS!!! clique {spamlink} 🎁
Sorteio {b}: {prize} para 100 pessoas! Participe aqui {spamlink}
    """),
    ("spam/neutral/-", """
{h} Prezado cliente, sua conta será bloqueada. Confirme seus dados em {spamlink}
{user} sentimos muito! Envie o código da reserva e o número do cartão para {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} Compre 10 mil seguidores reais por R$ 19,90 {spamlink}
{h} Ganhei {amount} em um dia com {coin}, me chama no direct 💰
#viagem #passagens #promo #grátis #sorteio #sigam #viral {spamlink}
    """),
    ("noise/neutral/-/-/any", """
{h} kkkkk
{h} kkkkkkk oi
    """),
    ("noise/neutral/-/-/none", """
Azeite extra virgem é outra coisa
O delta do Parnaíba é lindo demais
Feliz aniversário pra minha melhor amiga!
    """),
    ("noise/negative/-/-/none", """
Essa fila do banco tá me matando
    """),
]
