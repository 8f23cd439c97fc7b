"""English templates for the corpus (see build.py for the cell-key format and the slots).

Key: intent/sentiment/topic/tags/domain. topic "-" is none; domain air (airline brands,
the default), biz (retail, telecom, bank), any (either), none (no brand is added: chatter
where a brand-like word is used in another sense).
"""

FLIGHT_WORD = "flight"
MONEY = ("${}", "${}", "£{}", "€{}", "{} dollars", "${}.00")

FILLERS = {
    "dur": ("2 hours", "3 hours", "45 minutes", "90 mins", "4 hrs", "an hour", "6 hours", "two hours",
            "5+ hours", "40 min", "3.5 hours", "all night", "half the day", "7 hours"),
    "city": ("Denver", "Chicago", "Boston", "Lisbon", "Madrid", "Rome", "Paris", "Tokyo", "Dubai", "Toronto",
             "Mexico City", "Dublin", "Miami", "Seattle", "Atlanta", "Houston", "Berlin", "Vegas", "NYC", "London"),
    "day": ("yesterday", "today", "this morning", "last night", "on Monday", "on Friday", "last week",
            "two days ago", "on Sunday", "3 days ago", "over the weekend"),
    "staff": ("Maria", "Dev", "Sarah", "James", "Aisha", "Tom", "Keiko", "Luis", "Priya", "Mike", "Grace", "Omar"),
    "time": ("6am", "7:15", "9:40pm", "noon", "14:30", "5:50am", "11pm", "8:05", "10:20am", "midnight"),
    "gate": ("B12", "C7", "22", "A3", "D41", "9", "E15", "B38", "K4", "31"),
    "item": ("laptop", "meds", "insulin", "work clothes", "wedding dress", "kid's car seat", "camera",
             "passport", "glasses", "CPAP machine", "inhaler", "suit for the interview"),
    "tier": ("Gold", "Platinum", "Diamond", "1K", "Silver", "top-tier", "lifetime Gold", "Executive Platinum"),
    "miles": ("40k", "12,000", "85k", "250,000", "60k", "8,500", "110k"),
    "follow": ("200k", "1.2M", "450k", "80k", "2M", "350k", "900k"),
    "outlet": ("the Herald", "Channel 7 News", "the Daily Ledger", "City Radio", "TravelWire", "the Tribune",
               "Metro Weekly", "a national paper", "the BBC-style morning show", "the Post"),
    "kid": ("my 9 year old", "my daughter (11)", "my son, he's 10", "my 8yo", "our 12 year old", "my niece (7)"),
    "coin": ("BTC", "ETH", "$SKY", "$MOON", "USDT", "SOL", "$PEPE2"),
    "prize": ("iPhone 16", "$500 gift card", "PS5", "free flights for a year", "MacBook", "$1000 voucher",
              "2 round-trip tickets", "AirPods"),
}

OPENERS = {
    "complaint": ("Seriously?", "Unbelievable.", "ok so", "hey", "Day 3 of this.", "Wow.", "Honestly", "So",
                  "Hi,", "Not impressed.", "Once again", "Ugh.", "Really?", "um", "yo", "Hello?", "Come on.",
                  "I'm done.", "For the record,", "Update:", "PSA:", "Just so everyone knows,", "smh"),
    "question": ("Hi!", "Hey", "Quick question:", "Hello,", "Hi there,", "Question -", "hey guys", "Hi team,",
                 "Morning!", "Sorry to bother,", "Hi, wondering", "Good evening,", "Help pls:", ""),
    "praise": ("Wow!", "Just want to say", "Honestly", "Shoutout!", "OMG", "Okay", "Hats off.", "Huge thanks!",
               "Credit where it's due:", "Not often I say this but", "Gotta say", "Yay!"),
    "urgent": ("URGENT:", "Please help!", "HELP", "Need help NOW.", "Please!!", "SOS", "Asap please:", "Hi urgent -",
               "Please respond quickly.", "Time sensitive:"),
    "crisis": ("This is serious.", "Please read.", "Attention", "I need to report this.", "Everyone should know:",
               "Not okay.", "Urgent.", "I am shaking."),
    "general": ("", "Well", "So", "Ok", "Right,", "lol", "Update:", "Fun fact:", "Btw"),
}

CLOSERS = {
    "complaint": ("Do better.", "Never again.", "#fail", "smh", "Fix it.", "Anyone else?", "Ridiculous.",
                  "Thanks for nothing.", "wtf", "So tired of this.", "Unacceptable.", "😤", "Still waiting.",
                  "What a mess.", "Sort it out.", "This is a joke.", "Just awful.", "#neveragain",
                  "I expect a response.", "Why is this so hard?", "Not happy.", "Pathetic.", "ffs"),
    "complaint/neutral": ("fyi", "Just letting you know.", "Thanks.", "FYI.", "Might want to check."),
    "question": ("Thanks in advance!", "pls advise", "Thank you!", "Cheers", "thx", "Any idea?", "Thanks!",
                 "Appreciate it.", "TIA", "Can someone confirm?", "Ty!", "Please let me know."),
    "question/negative": ("Getting annoyed now.", "Still no answer.", "Second time asking.", "Anyone?",
                          "This is frustrating."),
    "praise": ("10/10", "Will fly again!", "#happycustomer", "Thank you!!", "You rock.", "Best.",
               "Made my day.", "Keep it up!", "Legends.", "So impressed.", "❤️", "Much appreciated.", "Thanks team!"),
    "urgent": ("Please hurry.", "Please respond!!", "Time is running out.", "Anyone??", "Help!", "PLEASE.",
               "Need an answer now.", "Please DM me.", "Thank you, urgent.", "Please please please."),
    "crisis": ("This needs attention now.", "Unacceptable.", "Someone needs to answer for this.",
               "I want an explanation.", "Please respond.", "Sharing this so people know."),
    "general": ("", "lol", "✈️", "haha", "we'll see", "#travel", "#wanderlust", "😅", "wish me luck"),
}

HASHTAGS = {
    "negative": ("#fail", "#neveragain", "#worstairline", "#delayed", "#customerservice", "#travelfail",
                 "#stranded", "#ripoff", "#badservice", "#awful"),
    "positive": ("#travel", "#happycustomer", "#grateful", "#wanderlust", "#greatservice", "#bestcrew", "#thankyou"),
    "neutral": ("#travel", "#question", "#help", "#flying", "#airtravel", "#avgeek"),
}

INSULTS = ("You absolute clowns.", "Your staff are morons.", "Bunch of useless idiots.", "Go to hell.",
           "Worthless scumbags.", "F*** you all.", "Incompetent morons, every one of you.",
           "Your agent is a brain-dead idiot.", "Pathetic losers.", "Screw you and your garbage airline.",
           "Idiots running a circus.", "Eat sh*t.", "You're all a pack of liars and thieves.")

# Mentions per template before duplicates are dropped.
WEIGHTS = {"crisis": 7, "urgent": 8, "complaint": 6, "question": 7, "praise": 7, "general": 8,
           "spam": 8, "noise": 8}

CELLS = [
    # ------------------------------------------------------------------ complaints, by topic
    ("complaint/negative/late_flight", """
{flight} delayed again. {dur} at the gate and zero updates
Sat on the tarmac for {dur} with no air con and no explanation
Why does every single {b} flight leave late?? This is the 4th time this month
delayed {dur} and the app still says on time. who runs this
{flight} from {airport} pushed back again. now {dur} late. missing my kid's recital
Delayed. Again. Of course.
{dur} delay and not even a bottle of water. Great way to treat people
The board says delayed, the app says on time, the gate agent says "soon". Which is it
we boarded, sat for {dur}, deplaned, and now they say another hour. amazing operation
Missed my meeting in {city} because {flight} left {dur} late
Flight delayed {dur} for "crew scheduling". That's your problem not mine
can someone explain why a 50 min flight is now a {dur} ordeal
Every time I fly {b} I lose half a day. delayed out of {airport} again
stuck at {airport} for {dur} on {flight}, no updates no staff no food
"Minor delay" they said. It's been {dur}.
Pilot says we're waiting on paperwork. Paperwork. For {dur}.
Delay after delay after delay on {flight}. I give up
our {time} departure is now showing 4pm, nobody at the desk can tell us why
You changed my flight time by {dur} and didn't even email me
Delayed {dur} and the connection in {city} is gone. Thanks a lot
The inbound plane hasn't even left {airport} yet and you still show on time for {flight}
I planned my whole day around {flight} and it's {dur} late with no reason given
Been at gate {gate} since {time}. Departure keeps sliding 30 min at a time
late again on {route}. at this point I should just drive
delays every week on the {time} out of {airport}, what is going on with {b}
    """),
    ("complaint/negative/cancelled_flight", """
You cancelled {flight} at 11pm and the next seat is in 2 days??
flight cancelled, no hotel, no voucher, no help. thanks {b}
Cancelled with 30 min notice and the rebooking line hangs up on me
Got a text at {time} that {flight} is cancelled. Nobody at the airport knows anything
My {route} flight got cancelled and you rebooked me through {city} with an 11 hour layover. No.
3rd cancellation this trip. I'm never booking {b} again
Cancelled flight, 300 people in one line, 2 agents. Disgraceful
you cancelled my honeymoon flight and offered a voucher. a voucher.
Flight cancelled "due to weather" while every other airline is flying out of {airport}
cancelled again!! how am I supposed to get to {city} for the funeral
We got bumped to tomorrow after you cancelled {flight}. Nobody offered a hotel
The app let me check in and then {flight} was cancelled at the gate. Absolute chaos
My flight was cancelled and now you want {amount} more for the only other option
cancelled {day}, rebooked, and the new one is cancelled too
{b} cancelled our family trip and the refund button doesn't exist
    """),
    ("complaint/negative/lost_luggage", """
My bag didn't arrive in {city}. File ref {code} and no one has called in 3 days
Landed {day}, bag is still "in transit". Where is it?
You lost my luggage AGAIN. Second trip in a row
Bag tracker says it's been sitting in {airport} since {day}. Just put it on a plane!
Still no bag. Day 4. Wearing the same clothes to my conference
My suitcase is gone and the baggage desk closed at 10pm
lost bag claim {code}, no update, no reply to emails, nothing
You lost my bag with my {item} in it and the hotline just loops
the airtag says my suitcase is in {city}. I am in {airport}. cool cool cool
Baggage claim has been spinning empty for {dur}. Where are the bags from {flight}?
Day 6 without my luggage. Your "we'll deliver it tomorrow" is worth nothing
They told me my bag would be on the next flight. That was 3 flights ago
lost my bag on {route} and the online form keeps erroring out
My kids' bags are missing and we're on vacation with nothing
i've filed 2 reports and called 5 times. where is my suitcase {b}
    """),
    ("complaint/negative/damaged_luggage", """
My suitcase came out of the carousel with the handle ripped off
Brand new bag, one trip with {b}, wheel snapped off
Opened my case in {city} and everything was soaked. It was crushed
Your handlers destroyed my guitar case. Photos attached {link}
The zipper on my bag was torn open and half my stuff is missing
Stroller came back bent and unusable. Now what
my suitcase looks like someone threw it off the plane. cracked right down the middle
Damaged bag claim refused because I "didn't report it in time". I reported it at the desk!
wheelchair came off the plane damaged, can't use it
box came out ripped and soaked on {flight}, the contents are ruined
    """),
    ("complaint/negative/refund", """
Still waiting on my refund from {day}. It's been 8 weeks
Refund request {code} says "approved" since March. Where's the money?
You cancelled my flight, so why am I getting a voucher instead of a refund?
{amount} refund promised, {amount} never arrived
Applied for a refund 3 times. Every time the form "times out"
I was told 7 days for a refund. It's been 60.
Your refund policy is a scam. Cancel the flight and keep the money
No refund, no reply, no shame
The refund went to a card that was closed and now nobody can help
Compensation claim rejected with a copy-paste email. Not even about my flight
Refund for {flight} still "processing". Processing what, exactly?
    """, ),
    ("complaint/negative/refund/-/biz", """
Returned the order 5 weeks ago, still no refund from {b}
You took the item back and kept my money. {amount}. Where is it
Refund says issued, bank says nothing arrived. Who do I believe
Cancelled my order within an hour and I'm still waiting for the refund
    """),
    ("complaint/negative/booking", """
Your website charged me and didn't issue a ticket
Tried to change my flight online, got "error 500" 6 times, then the fare went up {amount}
My seat assignment disappeared after I paid for it
Paid for seats together and now my 4 year old is in row 32 and I'm in row 8
Can't check in online, can't check in at the kiosk, line is 90 minutes
Booking {code} shows a different name than I entered. Now I can't fly?
You moved my seat from aisle to middle without telling me
I booked a direct flight and now it has a stop in {city}??
Name change fee of {amount} for one letter typo. Really?
The "manage booking" page just spins forever
booked 2 seats, got 1 confirmation. now you say flight is full
    """),
    ("complaint/negative/loyalty", """
My miles expired with no warning after 10 years of flying {b}
Where are my points from the {route} trip? Missing for 2 months
Status downgraded even though I flew more than last year. Explain
Tried to use my miles and every date shows "not available". What's the point
{miles} miles and I can't book a single seat to {city}. Loyalty program is a joke
Lounge denied even though I'm {tier}. Staff said "the system says no"
You devalued the points again overnight. Thanks for nothing
the upgrade I paid miles for went to someone else
    """),
    ("complaint/negative/app", """
App crashed at check-in, now the boarding pass is gone
Your app logged me out and won't accept my password
The app shows my flight as cancelled but the airport says it's boarding?!
Can't add my bags in the app. Error every time
Why does the app need 4 updates a week and still not work
App keeps saying "something went wrong". Helpful.
Mobile boarding pass won't load at security. Had to run back to the desk
Website is down again. Can't check in, can't call, can't do anything
2FA code never arrives so I'm locked out of my own account
new app update deleted my saved trips
    """),
    ("complaint/negative/app/-/biz", """
Your app has been down all morning and I can't pay anything
App crashes every time I open my statement
The login page just reloads forever. Can't get into my account
Updated the {b} app and now it won't open at all
Can't track my order, the tracking page has been broken for days
    """),
    ("complaint/negative/customer_service", """
On hold for {dur}. Then it hung up on me.
The agent at gate {gate} rolled her eyes and walked away. Professional
Nobody answers the phone, the chat bot is useless, email bounces. How do I reach a human
Your customer service is the worst I've ever dealt with
Asked a simple question at the desk and got yelled at
I've been transferred 5 times and now the line is dead
The staff at {airport} couldn't care less. Just shrugged at us
3 emails, 2 DMs, 1 complaint form. Zero replies.
Flight attendant was incredibly rude to my elderly mother
Got told "not my problem" by the gate agent. Great service
The "call back" you promised never came
I waited in line {dur} to be told to call the number. The number that doesn't answer
Why do your agents lie? Told one thing on the phone and another at the desk
Your chat closes at 5pm. Flights don't.
agent {staff} was so dismissive, made me feel like an idiot for asking
    """),
    ("complaint/negative/customer_service/-/biz", """
On hold with {b} for {dur}. Still no human
Your support chat keeps closing before anyone answers
The store staff had no idea and sent me to the website. The website sends me to the store
{b} support promised a callback {day}. Nothing
Third time explaining the same problem to a new agent
I've been a customer 12 years and this is how you treat me
    """),
    ("complaint/negative/billing/-/biz", """
You charged me twice this month. Fix it
My bill went up {amount} with no notice
Charged for a plan I cancelled in {day}
Why is there a {amount} "service fee" on my bill I never agreed to
Direct debit taken twice and the overdraft fees are on me?
My card was charged {amount} for something I never ordered
Roaming charges of {amount} after you said roaming was included
Third month in a row the bill is wrong. Who checks these
    """),
    ("complaint/negative/billing", """
Got charged twice for the same seat upgrade
Charged {amount} for a bag I never checked
Your site took the money twice for booking {code}
Wifi charged me {amount} and never connected
    """),
    ("complaint/negative/accessibility", """
Requested wheelchair assistance weeks ago and no one showed up at {airport}
My dad waited {dur} for the wheelchair he booked. He can't walk that far
Your crew refused to help my blind sister to her seat
No accessible toilet working on a 9 hour flight. Unacceptable
Booked assistance, got told "we don't have a record". I have the confirmation
My service dog paperwork was approved and they still tried to stop us boarding
They left my mum in a wheelchair by the gate for {dur} and forgot her
Deaf passenger here. Gate change was only announced by voice. Missed it
    """),
    ("complaint/negative/food_onboard", """
Paid for a meal and got a cold sandwich with a hair in it
Pre-ordered the vegetarian meal, got chicken. Again
Nothing to eat on a 6 hour flight except pretzels. And they ran out
The "hot meal" was frozen in the middle
Ran out of food before row 20. Again.
No water for {dur} on a hot plane. Come on
Coffee tasted like dishwater and cost {amount}
I ordered gluten free a month ago and there's nothing for me
    """),
    ("complaint/negative/-", """
Worst airline experience of my life
Never flying {b} again
This airline gets worse every year
Everything about this trip has been a disaster
I'm so done with you
You should be embarrassed
legroom is a joke, knees in my chest for 5 hours
seat won't recline, tv broken, wifi dead. great flight
Crying baby, broken seat, no water. Thanks {b}
Cabin was filthy. crumbs everywhere, sticky tray table
charging port dead, screen dead, and the toilet flooded
    """),
    ("complaint/negative/-/-/biz", """
Worst customer experience ever with {b}
Never buying from {b} again
no signal for 3 days and {b} keeps saying there's no outage
My internet has been down since Monday. Nobody can tell me when it's fixed
order arrived broken and half of it missing
    """),
    ("complaint/neutral/app", """
FYI the app shows the wrong gate for {flight}
The website's baggage page links to a 404
Heads up the check-in link in your email is broken
Your booking confirmation emails go straight to spam btw
The app's dark mode makes the boarding pass QR unreadable
    """),
    ("complaint/neutral/-", """
The departure board at {airport} still shows {flight} as boarding, it left an hour ago
Seat 14C doesn't recline, just so you know for the next person
Not the best flight, not the worst. Wifi didn't work though
    """),
    # -------------------------------------------------------------- abusive complaints
    ("complaint/negative/customer_service/abusive", """
your gate agent {staff} is a useless idiot and should be fired
whoever runs your social team is a complete moron
You people are brain dead. Answer my question
what a bunch of clowns running this airline
your staff are lazy, stupid and rude. every single one
STFU with your copy paste apologies you worthless bots
Your pilot is an idiot who can't land a plane
hey morons, where's my bag
The agent at {airport} is a disgusting pig. Fire her
bunch of thieving scumbags, give me my money back
You're pathetic. Your crew is pathetic. Go bankrupt already
f*** {b} and f*** your "sorry for the inconvenience"
Your CEO is a greedy parasite and your staff are idiots
absolute trash airline run by absolute trash people
shut up and fix it you incompetent fools
    """),
    ("complaint/negative/-/abusive/any", """
{b} you are garbage. Total garbage
eat sh*t {b}
Hey {b} your support team are useless morons
go to hell {b}
stupid stupid stupid company
you're scum. all of you
worthless company full of liars
I hope {b} goes bankrupt, you filthy crooks
dear {b}, you suck. sincerely, everyone
    """),
    # --------------------------------------------------------------------------- sarcasm
    ("complaint/negative/late_flight/sarcasm", """
great, another {dur} delay, thanks {h}
Love spending my birthday at gate {gate}. Thanks {b}!
Nothing says "premium airline" like a {dur} delay with no water
wow {b} really outdid themselves today. only {dur} late this time
Oh good, delayed again. My favourite hobby is sitting at {airport}
So glad I paid extra to sit on the tarmac for {dur}
thanks for the extra {dur} at {airport}, I was really hoping to see more of this terminal
Love that for us. {flight} delayed for the third time today
10/10 would be delayed again
Another on-time departure from {b}... said no one ever
Really appreciate you turning a 1 hour flight into a full day experience
Best part of flying {b}? The surprise delays. Keeps life exciting
so happy to be spending the night at {airport} instead of home. great job {b}
Peak airline experience: the plane is here, the crew is here, and we're still delayed {dur}
oh wonderful, {flight} delayed, what a shock
    """),
    ("complaint/negative/cancelled_flight/sarcasm", """
Thanks for cancelling my flight at midnight, really needed that sleep anyway
Oh cool, cancelled again. Love that for me
Super service {b}. Cancel the flight, close the desk, go home. Genius
Amazing how {b} can cancel a flight in 5 seconds but a refund takes 5 months
wow what a treat, cancelled with no rebooking. five stars
thanks for the surprise staycation at {airport}, {b}
    """),
    ("complaint/negative/lost_luggage/sarcasm", """
Thanks {b} for giving my suitcase a holiday in {city} while I'm in {airport}
My bag is having a better trip than me. Thanks {b}
Amazing service, you even lost my bag on a direct flight. Impressive
glad to know my luggage gets to see the world without me
Great job {b}, 3 days and my bag is still sightseeing
    """),
    ("complaint/negative/customer_service/sarcasm", """
{dur} on hold, really enjoying the music. Thanks {b}
wow, a copy-paste reply. I feel so heard
So helpful of your agent to hang up on me. Great training
Thanks for nothing {b}
Your customer service is truly something else. Truly.
Oh great, another "we understand your frustration". Very helpful
love how your chatbot answers every question with a link to the FAQ
    """),
    ("complaint/negative/refund/sarcasm", """
8 weeks for a refund. Must be coming by carrier pigeon
Love how fast you take my money and how slow you give it back
Oh thanks for the voucher, I'll use it on my next cancelled flight
    """),
    ("complaint/negative/-/sarcasm/any", """
yeah right, "valued customer"
what a joke. great job {b}
Oh wow {b}, you never disappoint. At disappointing.
Can't wait to give {b} more money for this amazing experience
Five stars for consistency. Consistently terrible
Absolutely love being treated like cargo
I'm so impressed, you managed to make it worse
    """),
    ("complaint/negative/app/sarcasm", """
Love that the app crashes right when I need the boarding pass. Great design
Oh nice, a new app update. Can't log in now. Progress!
wow, the website is down during a storm. who could have predicted
    """),
    # ----------------------------------------------------------------------- mixed posts
    ("complaint/negative/lost_luggage/mixed", """
crew was lovely but my bag is gone
Nice flight, friendly staff, and now no suitcase. So close
Pilot landed smoothly in the storm, respect. Shame you lost my bag though
Loved the new seats but my luggage didn't make it to {city}
The flight itself was fine. The bag situation is a nightmare
    """),
    ("complaint/negative/customer_service/mixed", """
Flight attendants were great, ground staff at {airport} were awful
Love the planes, hate the customer service
Flight was great but your phone line is a disaster
The pilot was funny and the crew was kind, but check-in was chaos
Great prices, terrible support. Pick one I guess
    """),
    ("complaint/negative/late_flight/mixed", """
Crew was amazing during the {dur} delay, but the delay itself was a mess
Staff did their best but nobody told us anything for {dur}
Lovely crew, comfy seats, {dur} late. Can't have it all
    """),
    ("praise/positive/lost_luggage/mixed", """
Bag didn't make my flight but it was delivered to my hotel by 9am. Impressed
Lost my bag but {staff} at the desk sorted it within the hour. Thank you!
Luggage was late but the team kept me updated the whole time. Appreciated
    """),
    ("praise/positive/late_flight/mixed", """
Delayed {dur} but the crew handed out snacks and kept us laughing. Thanks!
Not thrilled about the delay, but the rebooking was quick and painless. Well done
We were late but the pilot made up time and I still made my connection 🙏
    """),
    ("praise/positive/customer_service/mixed", """
Rough start at check-in, but {staff} turned the whole day around. Thank you
The app was useless but your agent on the phone was fantastic
    """),
    # -------------------------------------------------------------------------- praise
    ("praise/positive/customer_service", """
Huge thanks to {staff} at gate {gate} who went above and beyond today
Best crew I've ever flown with. Thank you {b}!
The flight attendant on {flight} noticed my anxiety and checked on me all flight. So kind
shoutout to the staff at {airport} who found my kid's teddy bear
Your agent {staff} fixed my booking in 5 minutes. Legend
So grateful to the crew who helped me with my baby on {flight}
Thanks for the quick reply and the help!
Honestly amazing service today. Thanks team
Was dreading this trip and you made it easy. Thank you
Fastest response I've ever had from an airline. Thank you!
The pilot came out to say hi to my son. He's been talking about it all day
{staff} you are a star. Thank you for getting us on the last flight home
Credit to the ground crew in {city} for working through the storm
Finally an airline that answers DMs. Thanks {b}
    """),
    ("praise/positive/-", """
Smooth flight, landed early, great coffee. Love {b}
Always a pleasure flying {b} ✈️
Best flight I've had in years
wow that was the smoothest landing ever, thank you captain
Love the new seats on {flight}, so much legroom
Landed 20 min early! Thank you {b}
That sunset over {city} from seat 12A. Thank you for the window seat ❤️
Happy to be home. Great flight as always
{b} never lets me down
Clean plane, friendly crew, on time. What more could you want
First time flying {b} and I'm a fan
On time, smooth, and the crew was hilarious. 10/10
    """),
    ("praise/positive/-/-/biz", """
Great service from {b} today, sorted my issue in minutes
Love my new phone plan, thanks {b}
{b} support is actually great, who knew
Order arrived a day early. Thanks {b}!
The {b} app update is so much better
    """),
    ("praise/positive/food_onboard", """
The pasta on {flight} was genuinely good? Airline food has come far
Thanks for the surprise birthday cake on board!! 🎂
Best airline coffee I've had. Seriously
Loved the vegan meal option, thank you
    """),
    ("praise/positive/loyalty", """
Surprise upgrade on {flight}! Thank you {b}, made my week
Finally hit {tier} status! Been a long road
Used my miles for the family trip to {city}. Easy and cheap. Love it
The lounge in {airport} is gorgeous
    """),
    ("praise/positive/app", """
New app is so much better. Rebooked in 2 taps
Love that the app tells me which carousel my bag is on
Mobile check-in took 30 seconds. Great job
    """),
    ("praise/positive/accessibility", """
Thank you for the amazing wheelchair assistance for my dad at {airport}
The crew was so patient with my autistic son. Thank you
Special assistance was waiting at the door when we landed. Perfect
    """),
    ("praise/positive/refund", """
Refund came through in 3 days. Didn't expect that, thank you
Got my compensation without a fight. Thanks {b}
    """),
    # ------------------------------------------------------------------------ questions
    ("question/neutral/booking", """
Can I change my flight online or do I need to call?
Is it possible to add a bag after booking?
how early does check-in open for {flight}?
Can I pick a seat for free or is it paid?
Do you allow pets in the cabin on {route}?
What's the carry-on size limit for economy?
Can I bring my guitar as a carry-on?
Is there a fee to change the name on booking {code}?
How do I add my known traveller number?
Can my booking {code} be split so one of us flies later?
when does online check in close for international flights
Do I need to print my boarding pass or is the app ok?
Can I travel with a car seat for my toddler?
Is the {time} flight to {city} usually full? Thinking of standby
How many bags are included in basic economy?
What's the cutoff for bag drop at {airport}?
Are there direct flights from {airport} to {city} in summer?
Can I book a one-way with a child under 2?
    """),
    ("question/neutral/refund", """
How long does a refund usually take?
If my flight is cancelled do I get cash or a voucher?
Where can I check the status of my refund request?
Is the refund sent to the original card?
Am I entitled to compensation for a {dur} delay?
    """),
    ("question/neutral/loyalty", """
How do I add missing miles from a partner flight?
Do miles expire if I don't fly for a year?
Can I transfer my points to my wife's account?
What do I need for {tier} status this year?
Can I use miles to pay for seat selection?
    """),
    ("question/neutral/app", """
Does the app work offline for boarding passes?
How do I reset my password? The link never arrives
Is there a way to add my boarding pass to Apple Wallet?
Is the website down right now or is it me?
Why can't I see my booking in the app?
    """),
    ("question/neutral/lost_luggage", """
How do I track a delayed bag?
My bag didn't arrive, where do I file a report?
Who do I call about a bag left at {airport}?
    """),
    ("question/neutral/accessibility", """
How do I request wheelchair assistance for my mum?
Can I bring my mobility scooter on board?
Do you offer assistance for passengers with hearing loss?
What do I need to fly with a service dog?
    """),
    ("question/neutral/food_onboard", """
Is there food on the {route} flight or should I bring my own?
Can I pre-order a halal meal?
Do you serve anything nut-free on board?
    """),
    ("question/neutral/late_flight", """
Any update on {flight}? Board says delayed
Is {flight} still expected to leave at {time}?
Will {flight} wait for passengers from the delayed {city} connection?
    """),
    ("question/neutral/cancelled_flight", """
If {flight} is cancelled tomorrow will you rebook me automatically?
Is there a waiver for the storm this weekend?
My flight was cancelled, do I need to do anything to get on the next one?
    """),
    ("question/neutral/billing/-/biz", """
Why is my bill higher this month?
How do I change my payment date?
Can I get a copy of last month's invoice?
When does the new price kick in?
    """),
    ("question/neutral/-/-/biz", """
Do you have stores open on Sunday?
Is there an outage in {city} right now?
How do I cancel my contract?
Does the 5G plan include roaming in Europe?
Can I return something without the receipt?
    """),
    ("question/neutral/-", """
Do you fly to {city} from {airport}?
When do summer flights go on sale?
Is wifi free on {b} flights?
Are you hiring flight attendants in {city}?
What's the best way to contact you, DM or phone?
    """),
    ("question/negative/refund", """
Why has my refund still not arrived? It's been 6 weeks
What's the point of the refund form if nobody reads it?
How many more times do I have to ask about my refund?
Is anyone actually processing refunds or should I just give up?
    """),
    ("question/negative/lost_luggage", """
Where is my bag? Day 3 and still nothing
Does anyone at {b} actually look for lost bags??
Why hasn't anyone called me about my luggage?
    """),
    ("question/negative/late_flight", """
Why is {flight} delayed AGAIN?
Why does nobody tell us anything about the delay?
How is it possible {flight} is late every single day?
    """),
    ("question/negative/customer_service", """
Why is it impossible to reach a human at {b}?
Does anyone read these messages?
Is there any way to talk to a real person or just bots?
    """),
    ("question/positive/booking", """
So excited for my first trip to {city}!! Can I choose a window seat now?
Honeymoon in {city} next month 😍 can we request seats together?
Flying with you for the first time, anything I should know?
Loved my last flight, can I book the same seat again?
    """),
    ("question/positive/loyalty", """
Just got {tier}! What perks do I get in the lounge?
Love the new miles program! How do I use them on partners?
    """),
    # -------------------------------------------------------------------------- urgent
    ("urgent/negative/late_flight", """
Connection leaves in 10 min and {flight} is still taxiing. Will they hold it??
My connecting flight in {city} boards in 15 minutes and we haven't landed. Help
Inbound delayed and my {time} connection is the last one tonight. What do I do
Landed late, connection at gate {gate} closes in 8 minutes, can someone call the gate?
    """),
    ("urgent/negative/booking", """
Stuck at the gate, agent says my ticket isn't valid and boarding closes in 5 min
Boarding pass won't scan and the gate closes in 10. Please help
They won't let me board, booking {code}, flight leaves in 20 minutes
Check-in closed 2 min before I got there, please I have to get to {city} tonight
My name is misspelled on booking {code} and I'm at security now. Help
I was offloaded from {flight} at the door. Need an answer NOW
    """),
    ("urgent/negative/lost_luggage", """
My mom's heart medication is in the lost bag. She needs it by tonight. File {code}
Insulin was in my checked bag which you lost. I need it today
lost bag has my son's seizure meds, please someone call me
My bag with my passport in it went to {city} and I fly home tomorrow
    """),
    ("urgent/negative/accessibility", """
Landing at {airport} in 20 min, booked a wheelchair and the app says cancelled. Please fix
My dad can't walk and there's no wheelchair at the gate. Been waiting 40 min. Help
Need wheelchair assistance at arrival on {flight}, request was lost. Please!
Blind passenger stuck at {airport} with no assistance and a 30 min connection
    """),
    ("urgent/negative/customer_service", """
My {kid} is flying alone on {flight} and the plane diverted. Nobody will tell me where she is
Unaccompanied minor on {flight}, I'm at arrivals and nobody can find my son
Stranded at {airport}, phone at 5%, no staff anywhere. What do I do
My elderly father is alone at {airport}, missed his connection, doesn't speak English. Please help
Locked out of the lounge, flight boards in 10 and my pass is in there
    """),
    ("urgent/neutral/accessibility", """
Hi, need a wheelchair at arrival in {airport} on {flight} in about an hour. Booking {code}
Landing in 30 min, could someone meet my grandmother with a wheelchair at the gate? {code}
Please note passenger needs assistance deplaning on {flight} tonight, booking {code}
    """),
    ("urgent/neutral/booking", """
Running late for {flight}, 15 min out. Can you let the gate know?
Need to add my infant to booking {code} before check-in closes in 30 min
Can someone confirm my seat on {flight}? Boarding starts in 20 minutes
My passport expired yesterday and I fly at {time}. What are my options right now?
    """),
    ("urgent/neutral/-", """
Left my phone on {flight}, seat 23A, plane is still at the gate. Can someone grab it?
Left my kid's inhaler in the seat pocket on {flight}, just landed, please check
    """),
    # --------------------------------------------------------------------------- crisis
    ("crisis/negative/safety/safety", """
Smoke in the cabin on {flight}, we're making an emergency landing in {city}
There's a burning smell on {flight} and the crew looks scared. What is going on
Emergency landing at {airport}. People are crying. Please tell us what happened
Just evacuated {flight} on the slides. My wife hurt her ankle. Nobody is telling us anything
Engine made a huge bang on takeoff and we turned back. Terrifying
The oxygen masks dropped on {flight}. We're descending fast
Severe turbulence on {flight}, a flight attendant was thrown into the ceiling and is bleeding
Passenger collapsed on {flight}, crew asked for a doctor, no defibrillator found
my son got food poisoning from the chicken meal on {flight}, we're in the ER now
Had a severe allergic reaction after the meal on {flight}. Crew had no epipen. I could have died
I told the crew about my nut allergy and they served nuts anyway. Ended up in hospital
Part of the overhead bin fell on a kid on {flight}. Ambulance at the gate
We sat in a plane that smelled of fuel for an hour and they still took off
the emergency exit on row 14 was held shut with tape. Photo: {link}
Fire trucks met us on the runway at {airport}. Brakes were smoking
Pilot aborted takeoff at full speed, people hit the seats in front, several injured
Cabin filled with smoke on landing and crew yelled to get out. Is everyone ok?
Half our flight got sick after the meal on {flight}. Vomiting everywhere
Flight attendant burned by hot water in turbulence on {flight}, no one helped her
Window cracked mid-flight on {flight}. We diverted to {city}
    """),
    ("crisis/neutral/safety/safety", """
Can {b} confirm whether {flight} made an emergency landing in {city} this afternoon?
Reports of smoke aboard {flight} at {airport}. Is everyone safe?
Heard {flight} diverted after a medical emergency. Any statement?
    """),
    ("complaint/negative/safety/safety", """
The seatbelt on 17B doesn't latch. Reported it, crew shrugged
Overhead bin kept popping open during the whole flight on {flight}. That's not safe
The crew skipped the safety demo entirely. Is that allowed?
Kids running in the aisle during turbulence and nobody stopped them
Saw a mechanic tape something on the wing before takeoff. Very reassuring 😬
Emergency exit row passenger was asleep and drunk. Crew didn't care
Life vest under my seat was missing
    """),
    ("crisis/negative/safety/safety,violence", """
A drunk passenger attacked a flight attendant on {flight}. Crew had to restrain him
Man punched a gate agent at {airport} and security took 20 minutes to come
Fight broke out on {flight}, someone pulled a knife. We're diverting
A passenger threatened to open the door mid-flight and was tackled by the crew
Someone assaulted my daughter in her seat on {flight} and the crew did nothing
    """),
    ("crisis/negative/customer_service/violence,abusive", """
If my bag isn't back by tomorrow I'll come to your office and smash every window
I swear I'll punch the next gate agent who tells me to "be patient"
Keep ignoring me and see what happens when I show up at {airport}
Your agent {staff} better watch her back after today
Someone should burn your headquarters down
I know where your {city} office is. Remember that
I'm going to find that pilot and break his face
next time I see that check-in guy I'll wreck him
one more cancellation and I'm bringing a bat to your counter
    """),
    ("crisis/negative/-/violence,abusive/any", """
I'll kill whoever is running {b}'s social media
I hope someone bombs your offices
Watch your back {b}, I'm coming for you
somebody should shoot every executive at {b}
    """),
    ("crisis/negative/customer_service/discrimination", """
The gate agent told my friend to remove her hijab "for security". No one else was asked
We were the only Black family pulled out of line for a "random check". Three times
Your crew refused to seat my husband next to me because we're a gay couple
The agent mocked my accent and refused to help me. This is racism
Flight attendant called my son's autism "bad parenting" and had us moved
They asked a Sikh man to remove his turban at the gate in front of everyone
My friend was denied boarding for "looking suspicious". He's Arab. That's it.
Agent said "people like you" always cause problems. I'm Mexican. Say it again
Crew moved two Muslim passengers off the plane because someone "felt uncomfortable"
Your staff refused to serve my trans friend and called her "sir" all flight
    """),
    ("crisis/negative/accessibility/discrimination", """
Denied boarding because I use a wheelchair. "We can't accommodate you". Illegal
Pilot refused to fly with my service dog on board. I'm blind
The crew told my deaf brother to "stop making noises" and threatened to remove him
They made a plus-size woman buy a second seat at the gate in front of everyone and laughed
    """),
    ("crisis/negative/refund/legal_threat", """
My lawyer will be in touch about the {amount} you refuse to refund
Filing in small claims court next week unless I get my refund
I'm taking legal action over booking {code}. See you in court
Reporting {b} to the consumer protection agency and my attorney today
Joining the class action. You've stolen enough refunds
You have 7 days to refund me or I file a lawsuit. This is your final notice
    """),
    ("crisis/negative/lost_luggage/legal_threat", """
You lost {amount} worth of equipment. My attorney is drafting the claim
I'll be suing for the contents of my bag. Receipts ready
Lawsuit incoming if my bag isn't found by Friday
    """),
    ("crisis/negative/customer_service/legal_threat", """
I recorded the whole thing and I'm talking to a lawyer
My lawyer has the footage of your agent shoving my mother
We will be pursuing this legally. Expect a letter
Consulting an attorney about how your crew treated my daughter
    """),
    ("crisis/negative/-/legal_threat/biz", """
{b} you'll hear from my lawyer about these fake charges
Filing a complaint with the regulator and my solicitor about {b}
Class action against {b} is coming, sign up if you were overcharged
    """),
    ("crisis/neutral/safety/press", """
I'm a reporter with {outlet} looking for comment on the emergency landing of {flight}
Journalist here, can {b} confirm the reports about an injured crew member on {flight}?
Press enquiry: does {b} have a statement on today's evacuation at {airport}?
Writing a story for {outlet} on the turbulence injuries. Who should I contact?
    """),
    ("crisis/neutral/customer_service/press", """
Hi, I'm with {outlet}. We've received several complaints about {b} staff. Can we talk?
Producer at {outlet}: we're covering the family removed from your flight. Please DM a contact
Press inquiry re: the passenger removed from {flight}. Deadline 5pm
    """),
    ("crisis/neutral/lost_luggage/press", """
Reporter at {outlet} here: we're looking into a surge in lost bag claims with {b}. Can your press office call me?
Hi {b}, {outlet} is preparing a report on mishandled baggage at {airport}. Any comment before 6pm?
    """),
    ("crisis/neutral/accessibility/press", """
Journalist with {outlet}: a reader says her wheelchair was broken on {flight}. Does {b} have a statement?
{outlet} is covering accessibility failures at {airport}. Could {b}'s media team reach out?
    """),
    ("crisis/negative/safety/press", """
I'm writing for {outlet} about the smoke incident on {flight}. Passengers say nobody explained anything. Comment?
Aviation reporter here. Three sources tell me {flight} flew with a known fault. Will {b} comment on the record?
    """),
    ("crisis/neutral/refund/press", """
Consumer desk at {outlet}: dozens of readers say {b} refunds take months. Can we get a statement?
    """),
    ("crisis/negative/cancelled_flight/press", """
{outlet} is running a piece on {b}'s mass cancellations tonight. Still no comment from you?
I'm a journalist and I was on one of the cancelled flights. Your silence will be in my article
    """),
    ("crisis/negative/-/press,vip", """
I have {follow} followers and they're all about to hear how you treated my family
My video about your crew is at 2M views. Maybe respond now?
This thread is going viral. {b}, you might want to answer
Doing a full YouTube video on this disaster for my {follow} subscribers
    """),
    # -------------------------------------------------------------------------- vip
    ("complaint/negative/loyalty/vip", """
{tier} member for 12 years and this is how you treat me?
I fly 100+ segments a year with {b}. Today might be the last
As a {tier}, I expected at least a phone call about the downgrade
Lifetime {tier} and I got stuck in the last row next to the toilet. Done
{miles} miles flown this year and your agent didn't even look up
    """),
    ("complaint/negative/customer_service/vip", """
Blue tick, {follow} followers, and I still can't get a reply. Imagine everyone else
I'm a travel blogger with {follow} readers. My review of today's flight will not be kind
Your CEO and I have mutual friends. He'll hear about this
    """),
    ("praise/positive/loyalty/vip", """
{tier} for 10 years and you still make me feel special. Thank you
Made {tier} again! Thank you {b} for the upgrade to {city}
Travel creator here ({follow} followers): {b} is my new favourite airline
    """),
    ("urgent/negative/booking/vip", """
{tier} member stranded at {airport}, flight leaves in 30 min and the app dropped my seat
I'm {tier} and I've been on hold {dur} while boarding closes. Help now
    """),
    ("question/neutral/loyalty/vip", """
As a {tier} member do I get free lounge access at {airport}?
{tier} here, can I bring a guest into the lounge on {flight}?
    """),
    # ----------------------------------------------------------------------- emoji only
    ("complaint/negative/-/emoji_only", """
{h} 😡😡😡
{h} 🤬
{h} 👎👎
{h} 😤😤😤😤
{h} 💩
{h} 😭😭
😡 {h}
{h} 🙄🙄
{h} ⏰😡✈️
{h} 🧳❓😭
    """),
    ("praise/positive/-/emoji_only", """
{h} ❤️✈️
{h} 😍😍
{h} 🙏❤️
{h} 👏👏👏
✈️❤️ {h}
{h} 🥰
{h} 💙💙💙
{h} 🙌✨
{h} 🔥🔥
    """),
    ("general/neutral/-/emoji_only", """
{h} ✈️
{h} 👀
{h} 🤔
{h} 🛫
{h} 🧳✈️🌴
    """),
    ("noise/neutral/-/emoji_only/any", """
{h} 😂
{h} 😂😂😂
{h} 💀
{h} 🤣
    """),
    # ------------------------------------------------------------------------- general
    ("general/neutral/-", """
Boarding {flight} to {city}. See you on the other side
On my way to {city} with {b}
Heading home on {flight}
First time flying {b}, let's see how this goes
Taking the {time} out of {airport} tomorrow
Anyone else on {flight} tonight?
At the gate. {flight} to {city}
{b} just announced new routes to {city}
Saw a {b} plane with the new livery at {airport} today
My dad used to fly for {b} back in the 80s
Booked {b} for the trip next month
Weird how {b} and everyone else now charge for seats
Flying {b} for work again
Watching planes at {airport} with the kids. {b} A321 just took off
Reading about the {b} and Atlas merger rumours
so {b} has a new CEO apparently
Window seat on {flight}
Gate changed to {gate} for {flight}
Sitting at gate {gate} people watching
{b} is sponsoring the marathon this year
    """),
    ("general/positive/-", """
Off to {city} for the holidays with {b}! ✈️
Can't wait for my trip to {city} next week
Finally going home to see my mum
Honeymoon time! {city} here we come
Vacation mode on. {flight} let's goooo
Best part of the trip is the window seat
Love watching the sunrise from 35,000 feet
    """),
    ("general/negative/-", """
Not looking forward to a 12 hour flight on {b} tomorrow
Dreading the red-eye tonight
Hate flying. Here we go again
Airports make me so anxious
Monday morning flights should be illegal
Missing home already
Another work trip, another airport
    """),
    ("general/neutral/-/-/biz", """
Switched to {b} this month
{b} opening a new store downtown
Just paid my {b} bill
Anyone else with {b} in {city}?
    """),
    # ---------------------------------------------------------------------------- spam
    ("spam/positive/-", """
{h} WIN a FREE {prize}!!! click {spamlink} 🎁🎁
🎉 {h} fans: we're giving away {prize} to 100 people! Enter here {spamlink}
Congrats! You've been selected for a {prize}. Claim now {spamlink}
{h} Want {prize}? RT + follow + click {spamlink} #giveaway #win #free
FREE FLIGHTS for {b} customers! Limited time only!! {spamlink}
🔥 {b} anniversary giveaway 🔥 claim your {prize} before midnight {spamlink}
You won! {b} voucher worth {amount} waiting for you {spamlink}
    """),
    ("spam/neutral/-", """
{h} Dear customer, your account will be suspended. Verify your details here {spamlink}
{h} Your miles will expire today. Log in to keep them: {spamlink}
Security alert: unusual sign-in on your {b} account. Confirm at {spamlink}
{user} sorry to hear that! Please DM us your booking code and card number at {fake}
{user} We can help with your refund! Contact our support team on WhatsApp +1 555 0{nn}0 {fake}
{user} hi, this is {b} support, send your full name, booking {code} and phone to {fake}
{user} For fast compensation please reach out to {fake} with your payment details
Hello {user}, {b} here. Your claim is approved, fill the form at {spamlink} to receive {amount}
Your parcel is held at customs. Pay {amount} fee at {spamlink}
Final notice: update your payment info at {spamlink} to avoid service interruption
    """),
    ("spam/neutral/-/-/any", """
{h} Buy 10k real followers for $9.99!! {spamlink}
{h} Get 5000 followers in 24h, no password needed {spamlink}
Need more likes? We grow your account fast. DM us {spamlink}
{h} I made {amount} in one day with {coin} trading, DM me to learn how 💰💰
🚀 {coin} is about to 100x. Get in now {spamlink} {h}
{h} Invest {amount} and receive 5x in 48h. Guaranteed profit. {spamlink}
Crypto airdrop for {b} users!! Connect your wallet {spamlink}
{h} hot singles in {city} want to meet you 😘 {spamlink}
{h} 18+ only 🔞 see my private pics {spamlink}
{h} lonely? chat with girls near you now {spamlink}
{h} Work from home and earn {amount}/day! No experience {spamlink}
#travel #flights #cheap #deals #{coin} #giveaway #free #win #follow #like #rt #viral #fyp {spamlink}
#win #free #giveaway #iphone #travel #airline #deal #promo #sale #follow4follow {h}
Cheap flights cheap flights cheap flights {spamlink} #cheapflights #travel #deals #airline #vacation #sale
{h} check my profile for the best deals 🔥🔥🔥 {spamlink}
{h} {h} {h} follow back pls!! #f4f #followforfollow #teamfollowback
Best replica watches and bags, 80% off {spamlink}
{h} Lose 10kg in 10 days with this one trick {spamlink}
    """),
    # ---------------------------------------------------------------------------- noise
    ("noise/neutral/-/-/any", """
{h} lol
{h} haha
{h} same
{h} this is so random
{h} ok
{h} wait what
{h} 😂 who wrote this
{h} first
{h} bro
{h} tagging you for no reason
    """),
    ("noise/neutral/-/-/none", """
Watching the delta variant news again
spirit week at school, tomorrow is pajama day
The Mississippi delta is gorgeous this time of year
the river delta flooded again this spring
Virgin olive oil vs extra virgin, is there a difference?
United we stand, divided we fall
Manchester United lost again lol
Spirit of the law vs letter of the law, discuss
Frontier math is too hard for 8am
The final frontier. Star Trek marathon tonight
Joy Division on vinyl sounds so good
Best pizza in town? Asking for a friend
Free time finally! Gonna read all weekend
Love Island is back tonight
Happy hour at 5, who's in
good morning everyone
Hope everyone has a nice weekend
smile more, worry less
Wow, that sunset tonight
Delta Force was a great movie
my cat has more spirit than my whole team
just learned what a delta function is in class
Kappa Delta formal this Saturday
Got my team spirit shirt for the game
we're united in our love for tacos
Frontier days festival starts tomorrow
The United Nations meets next week
What's the delta between the two estimates?
Class spirit award goes to room 12!
Free shipping on everything at the farmers market stand lol
Happy birthday to my best friend!
Best. Day. Ever.
I love lasagna way too much
Virgin mojito please
Smile, it's Friday
Joy to the world
Hope is a good thing, maybe the best of things
a skylark was singing outside my window this morning
Going on a virgin voyage with my new kayak
Our wifi is called Pretty Fly for a Wi-Fi
    """),
    ("noise/positive/-/-/none", """
Happy Friday everyone!
So much joy at my sister's wedding today
Best concert of my life last night
Free coffee at work today, love it
Love my new puppy so much
Good vibes only this weekend
My kid's school spirit day was adorable
Delta Goodrem's new song is a bop
Finally free from exams!!
    """),
    ("noise/negative/-/-/none", """
This queue at the DMV is killing me
Ugh, the delta of my grades this term is not great
Spirit of Christmas is dead this year, everyone's grumpy
Manchester United are a disgrace today
Lost my keys again. Hate Mondays
My phone screen cracked. Worst day
This exam is going to murder me
Traffic is killing me this morning
Bored out of my mind at work
no hope left for my fantasy team
    """),
    ("noise/neutral/-/-/any", """
{h} do you guys ever just look at clouds
{h} what's your favourite city? mine is {city}
{h} tell your social media person they're funny
{h} who's watching the game tonight
{h} random but your logo looks like a bird lol
I dreamed I was a pilot for {b} last night lol
{h} happy new year!
{h} can we talk about how the moon looks tonight
{h} my 5 year old wants to be a plane when she grows up
    """),
    ("noise/positive/-/-/any", """
{h} you guys are funny on here lol
{h} love the memes
{h} happy holidays to the social team!
{h} best tweet of the day 😂
    """),
]
