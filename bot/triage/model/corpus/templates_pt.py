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
    ("complaint/negative/late_flight", """
{dur} parados na pista sem ar-condicionado, as crianças chorando
toda vez que voo com a {b} chego atrasado, já virou tradição
{dur} de atraso e nem um pedido de desculpas
    """),
    ("complaint/negative/customer_service", """
Pedi pra falar com um supervisor e disseram que não tem. Como assim?
Liguei 4 vezes e ouvi 4 respostas diferentes
O chat encerrou a conversa enquanto eu digitava
    """),
    ("complaint/negative/-", """
Poltrona quebrada, tela não funciona e banheiro entupido. Que voo
Uma garrafa de água por {amount} a bordo, sério
    """),
    ("complaint/negative/-/-/biz", """
Tô sem internet desde segunda e a {b} diz que não tem problema nenhum
Meu pedido chegou quebrado e faltando metade
    """),
    ("complaint/negative/customer_service/sarcasm", """
{dur} ouvindo a musiquinha de espera. Valeu {b}, que relaxante
Mais uma resposta copiada e colada. Me sinto tão ouvido
    """),
    ("complaint/negative/-/abusive/any", """
{b} vocês são um lixo
vão se ferrar, {b}
    """),
    ("complaint/negative/customer_service/mixed", """
Tripulação ótima, equipe de solo um desastre
    """),
    ("praise/positive/lost_luggage/mixed", """
Extraviaram a mala mas entregaram no hotel às 9h. Mandaram bem
    """),
    ("praise/positive/-", """
Primeira vez com a {b} e com certeza vou repetir
Limpo, pontual e tripulação super simpática
    """),
    ("praise/positive/loyalty", """
Upgrade surpresa no {flight}! Obrigada {b}, ganhei a semana
    """),
    ("question/neutral/-", """
Tem wifi nos voos pra {city}?
Vocês têm desconto pra estudante?
Com quem falo sobre um objeto esquecido no voo de {day}?
    """),
    ("question/neutral/cancelled_flight", """
Se o {flight} for cancelado amanhã eu sou remarcado automaticamente?
    """),
    ("question/neutral/billing/-/biz", """
Por que minha fatura veio mais alta este mês?
    """),
    ("question/negative/customer_service", """
Por que é impossível falar com uma pessoa na {b}?
    """),
    ("urgent/negative/-", """
Alguém responde por favor, tô presa em {airport} com duas crianças e sem voo
    """),
    ("urgent/neutral/booking", """
Vou chegar 15 min atrasado pro {flight}, dá pra avisar o portão?
    """),
    ("crisis/negative/safety/safety", """
A janela trincou em pleno voo no {flight}. Desviamos para {city}
Um passageiro desmaiou no {flight} e não achavam o desfibrilador
Decolagem abortada em alta velocidade, vários feridos no {flight}
    """),
    ("crisis/negative/accessibility/discrimination", """
Me impediram de embarcar porque uso cadeira de rodas. "Não temos como atender". Isso é ilegal
    """),
    ("crisis/negative/customer_service/legal_threat", """
Gravei tudo e já falei com um advogado
    """),
    ("crisis/neutral/customer_service/press", """
Olá, escrevo d{outlet}. Recebemos várias reclamações sobre funcionários da {b}. Podemos conversar?
    """),
    ("crisis/negative/-/press,vip", """
Tenho 300 mil seguidores e todos vão saber como vocês trataram minha família
    """),
    ("praise/positive/loyalty/vip", """
{tier} há 10 anos e vocês ainda me fazem sentir especial. Obrigado
    """),
    ("general/neutral/-", """
Parece que a {b} vai abrir rotas pra {city} no próximo verão
Acabei de pousar em {city}
Amanhã voo pra {city} às {time}
    """),
    ("general/negative/-", """
Já triste de ir embora de {city}
    """),
    ("noise/neutral/-/-/none", """
Semana do espírito escolar, amanhã é dia do pijama
A variante delta de novo no jornal
Minha vizinha Joy adotou um cachorrinho
Vendo o jogo do United no bar
    """),
    ("noise/positive/-/-/none", """
Bom dia pessoal ☀️
Muito feliz, passei no vestibular!!
    """),
    ("noise/negative/-/-/none", """
Esse calor tá me matando
    """),
    ("spam/neutral/-", """
{user} Processamos seu reembolso hoje, chame {fake} no WhatsApp
    """),
    ("complaint/negative/-/emoji_only", """
{h} 👎👎👎
    """),
    ("question/neutral/booking", """
Posso levar o carrinho do bebê até a porta do avião?
Quantas malas estão incluídas na tarifa básica?
Até que horas dá pra despachar a mala em {airport}?
Preciso imprimir o cartão de embarque ou vale no celular?
Posso levar violão na cabine?
Quanto custa mudar a data da reserva {code}?
    """),
    ("question/neutral/lost_luggage", """
Como rastreio uma mala atrasada?
Onde faço a reclamação se minha mala não chegou?
    """),
    ("question/neutral/app", """
O app funciona offline pro cartão de embarque?
Como troco a senha? O link nunca chega
    """),
    ("question/neutral/food_onboard", """
Tem refeição no voo pra {city} ou levo lanche?
    """),
    ("question/neutral/cancelled_flight", """
Meu voo foi cancelado, preciso fazer algo pra entrar no próximo?
    """),
    ("question/negative/late_flight", """
Por que o {flight} atrasou DE NOVO?
Por que ninguém informa nada sobre o atraso?
    """),
    ("question/negative/lost_luggage", """
Cadê minha mala? 3º dia e nada
    """),
    ("question/positive/-", """
Amei o voo! Vocês voam pra {city} também?
Melhor tripulação 😍 onde deixo um elogio?
    """),
    ("praise/positive/-", """
Nenhuma reclamação, perfeito do check-in ao pouso
Não esperava tanto da {b}, sinceramente. Parabéns
Zero estresse, zero atraso. É assim que se faz
    """),
    ("praise/positive/customer_service", """
A comissária do {flight} viu que eu estava nervosa e ficou de olho o voo todo. Que amor
Obrigada à equipe de {airport} que achou o ursinho da minha filha
    """),
    ("praise/positive/accessibility", """
Obrigado pela assistência com cadeira de rodas pro meu pai em {airport}, nota 10
    """),
    ("complaint/neutral/-", """
Só avisando: a tomada da fileira 20 do {flight} não funciona
Detalhe: o site diz que o despacho fecha 45 min antes e no balcão falaram 60
    """),
    ("urgent/negative/booking", """
A página de remarcação trava e o último voo pra {city} sai em 50 minutos. Socorro
O nome da minha esposa está errado na reserva {code} e estamos na segurança. Voo em 45 min
    """),
    ("crisis/negative/safety/safety", """
A fileira 14 inteira passou mal depois do frango do {flight}. Vômito pra todo lado
As máscaras de oxigênio caíram no {flight}. Estamos descendo muito rápido
    """),
    ("crisis/negative/customer_service/violence", """
O funcionário do portão empurrou meu pai quando ele fez uma pergunta. Tem vídeo
    """),
    ("general/neutral/-/-/any", """
Engraçado a {b} estar nos assuntos do momento hoje
A {b} me mandou uma pesquisa, respondendo agora
    """),
    ("general/neutral/-", """
Acabei de comprar com a {b} pro feriado
Avião da {b} com pintura nova em {airport} hoje
    """),
    ("spam/neutral/-/-/any", """
{h} Trabalhe de casa e ganhe {amount} por dia! Sem experiência {spamlink}
{h} Perca 10 quilos em 10 dias com esse truque {spamlink}
Relógios e bolsas réplica com 80% off {spamlink}
    """),
    ("noise/neutral/-/-/none", """
Meu animal espiritual é um gato dormindo
Aula de física: função delta de Dirac, socorro
Minha vizinha Esperança faz o melhor bolo de fubá
Clássico do Frontera ontem, que jogo
    """),
    ("noise/positive/-/-/none", """
Que felicidade, minha sobrinha nasceu hoje!
Amo essa música, tá no repeat
    """),
    ("noise/negative/-/-/none", """
Odeio segunda-feira com todas as forças
Quebrei a tela do celular, que dia
    """),
    ("noise/neutral/-/-/any", """
{h} quem cuida dessa conta? muito engraçado
{h} nada não, só passando pra dar oi
    """),
    ("crisis/negative/safety/safety", """
Cheiro de queimado na cabine do {flight}, tripulação correndo com extintores
O {flight} voltou pra {airport} depois de um estouro no motor
No pouso em {airport} os freios soltaram fumaça, bombeiros na pista
Uma mala caiu do bagageiro na cabeça de uma criança, está sangrando
A saída de emergência estava presa com fita adesiva. Foto: {link}
    """),
    ("crisis/negative/customer_service/discrimination", """
Falaram pra minha mãe na cadeira de rodas "a senhora atrasa todo mundo". Isso é discriminação
Só a gente foi pra revista extra, por causa da cor da pele. Terceira vez
    """),
    ("crisis/negative/lost_luggage/legal_threat", """
Vocês perderam equipamento no valor de {amount}. Meu advogado está preparando o processo
    """),
    ("crisis/neutral/safety/press", """
Aqui é d{outlet}: vocês confirmam que tripulantes ficaram feridos no {flight}?
    """),
    ("urgent/negative/customer_service", """
Meu pai com Alzheimer se perdeu na conexão em {airport}, ele está sem celular
    """),
    ("urgent/negative/accessibility", """
Pousamos em {airport}, não tem cadeira de rodas e meu pai não anda. 30 minutos esperando
    """),
    ("praise/positive/customer_service", """
Obrigada à equipe de {airport} pela paciência com a minha mãe na conexão
    """),
    ("complaint/negative/customer_service/sarcasm", """
Que atendimento maravilhoso, desligaram na terceira ligação. Parabéns {b}
Adoro quando o chatbot me manda pro FAQ. Super útil
    """),
    ("complaint/negative/cancelled_flight/sarcasm", """
Obrigado por cancelar à meia-noite, dormir é superestimado
Ótimo {b}, cancelado de novo. Já virou tradição
    """),
    ("spam/neutral/-", """
{h} Seu reembolso de {amount} está pronto. Confirme seu cartão em {spamlink}
{user} oi, aqui é da equipe {b}. Mande seu localizador e CPF no privado pra {fake}
    """),
    ("spam/neutral/-/-/any", """
{h} 🔞 conteúdo exclusivo só pra maiores, entra aí {spamlink}
🚀 {coin} vai subir 100x, entra antes de todo mundo {spamlink}
    """),
]
