"""Message templates for the generator (`scamlab.corpus`), scam and genuine, grouped by family and channel.

Written for this project. `{slot}` is filled from `scamlab.corpus_tables` (see `corpus.SLOT_FILLERS`);
`{a|b|c}` picks one option; braces nest (`{Hi {name}|Dear customer}`). Whole templates are held out for
validation, so each family has several unlike templates.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class TemplateGroup:
    """Templates of one family: scam or genuine, the channel they are written for, the brands they name."""

    family: str
    is_spam: bool
    channel: str
    brand_kinds: tuple[str, ...]
    templates: tuple[str, ...]


SCAM_GROUPS: tuple[TemplateGroup, ...] = (
    TemplateGroup("parcel_fee", True, "sms", ("parcel",), (
        "{brand}: your {item} could not be delivered {due to|because of} an unpaid {shipping|customs|redelivery} fee of {amount}. {Pay|Settle it} {now|here|today}: {link}",
        "{We attempted|We tried} to deliver your {item} {today|this morning} but {no one was home|the address was incomplete}. Reschedule {at|via} {link}",
        "Your {item} is on hold at our {depot|warehouse|sorting centre}. {Confirm your address|Update your details} within {hours} hours or it will be returned: {link}",
        "{brand} NOTICE: {item} {ref} awaiting payment of {amount}. {link}",
        "{Final|Last} attempt: {brand} {item} {ref} will be {returned to sender|destroyed} {today|tomorrow}. {Book redelivery|Release it}: {link}",
        "Hi, your {brand} order is {stuck|held} in customs. A {small|} duty of {amount} is required before release {link}",
        "{brand}: The address on your {item} is {invalid|incomplete}, please {update|correct} it {at|on} {link} to avoid return. Thank you",
        "USPS: The package arrived at the warehouse but cannot be delivered due to incomplete address information. Please confirm your address in the link within 12 hours {link}",
        "Dear customer, {a|one} {item} {addressed|sent} to you {needs|requires} {a delivery|a handling} fee {amount} {link} {brand}",
    )),
    TemplateGroup("account_alert", True, "sms", ("bank", "payment", "tech", "social", "streaming", "telecom"), (
        "{brand}: Your account has been {disabled|suspended|limited|locked} for security reasons. Visit {link} to {reactivate|restore access}",
        "{brand} ALERT: {unusual|suspicious} {sign-in|login|activity} detected from {a new device|iPhone 14|Lagos, NG|Moscow}. If this wasn't you, {secure|verify} your account {now|}: {link}",
        "We {noticed|detected} a problem with your {brand} account. {Verify|Confirm} your {identity|details} {within {hours} hours|today} to avoid {suspension|permanent closure}: {link}",
        "Your {brand} {ID|account} {was|has been} used to sign in {on|to} {a new|an unknown} device. Not you? {link}",
        "{brand}: a payment of {amount} to {name} {was|has been} {blocked|flagged}. If you did not {authorise|make} this, {call|contact} us on {phone} {immediately|now}",
        "Dear {brand} {user|customer|member}, your {online banking|account} access will expire {today|soon}. {Update|Renew} {here|now} {link} to continue",
        "{brand}: NEW PAYEE {name} added {on|at} {time}. If {this wasn't you|you did not do this}, {cancel it|reply NO} at {link}",
        "{brand} Security: Your card ending {digits4} has been {temporarily|} {restricted|frozen}. {Unlock|Reactivate} {at|via} {link}",
        "{brand} {Notice|Alert}: {We could not verify your billing information|Your payment method was declined}. {Please|Kindly} update {within {hours}h|today} {link}",
        "Your {brand} account {is|has been} {on hold|suspended}. Log in {at|via} {link} to {unlock|keep using} {it|your account}.",
        "Attention: your {brand} {account|card} {will be|has been} {blocked|deactivated} {due to|for} {incomplete KYC|missing verification}. {Update|Complete} {now|it} {link}",
    )),
    TemplateGroup("subscription", True, "sms", ("streaming", "tech", "telecom", "retail"), (
        "{brand}: your {subscription|membership|plan} {payment failed|could not be renewed}. {Update your card|Update billing} {to keep watching|to avoid interruption}: {link}",
        "Your {brand} {subscription|plan} has expired! {Renew|Reactivate} {today|now} for only {amount} {link}",
        "{brand}: We're having trouble with your current billing information. {link}",
        "{brand} {membership|account} {suspended|paused}: {last payment declined|billing issue}. Restore access {here|now} {link}",
        "{Hi|Hello}, {brand} here. Your {amount} {monthly|annual} payment {was|has been} declined. {Fix it|Update details} {to continue|today}: {link}",
    )),
    TemplateGroup("gift_after_bill", True, "sms", ("telecom", "utility", "retail", "streaming"), (
        "{brand}: {Dear customer,|} your bill {for {month}|} {is|has been} paid, thank you. {Here's|Please accept} a {little|small|} gift from us: {link}",
        "Thanks for being a loyal {brand} customer! {You've|You have} been {selected|chosen} for a {free|complimentary} {gift|reward|iPhone 15|Dyson}. Claim {before|by} {day}: {link}",
        "{Congrats|Congratulations}! Your {brand} {points|rewards} ({digits4} pts) expire {today|tonight}. Redeem {them|} for {a gift|cash} {link}",
        "{brand}: {you have|you've} {overpaid|been overcharged} {amount}. {A refund is ready|Claim your refund}: {link}",
        "Your {month} {bill|payment} is {settled|complete}. As a thank you, {brand} has a {surprise|gift} waiting: {link}",
    )),
    TemplateGroup("toll_fine", True, "sms", ("toll", "gov"), (
        "{brand}: {You have|There is} an {unpaid|outstanding} toll {balance|charge} of {amount}. {Pay|Settle} {by {day}|within {hours}h} to avoid a {late fee|penalty} of {big}: {link}",
        "{Final|Last} {notice|reminder}: {your vehicle|your plate} {has|shows} an unpaid {parking|toll|congestion} {fine|charge}. {Pay now|Pay online} {link}",
        "{brand} {Notice|Alert}: our records show your vehicle {has|owes} {amount} in unpaid tolls. {Pay|View invoice} {link} {Reply Y then reopen the link if it does not open|}",
        "DVLA: your vehicle tax {payment|direct debit} {failed|was unsuccessful}. {Update your details|Pay now} to avoid a fine: {link}",
        "{Traffic|Speeding} {violation|ticket} {recorded|issued} on {day}. Fine: {amount}. {Pay|Review} {at|via} {link} {within {hours} hours|}",
    )),
    TemplateGroup("gov_refund", True, "sms", ("gov",), (
        "{brand}: {You are|You're} {eligible|due} {for|to receive} a tax refund of {big}. {Claim|Submit} {here|now}: {link}",
        "{brand}: your {tax return|benefit claim} {needs|requires} verification. {Complete|Verify} {within {hours} hours|today} {link}",
        "{brand}: {we owe you|you are owed} {big} {from|for} the {cost of living|energy} {rebate|payment}. {Apply|Claim} {link}",
        "{brand} {NOTICE|Alert}: a {warrant|case} {has been|was} {issued|filed} {in your name|against you}. Call {phone} {immediately|now} to {resolve it|avoid arrest}",
        "{brand}: Your {Medicare|NHS|health} card {needs updating|is expiring}. {Order|Request} a replacement {at|via} {link}",
    )),
    TemplateGroup("prize", True, "sms", ("retail", "telecom", "ride", "travel"), (
        "{CONGRATULATIONS|Congrats|Good news}! {You|Your number} {have|has} {won|been selected for} {a|our} {big} {cash prize|gift card|voucher}. {Claim|Collect} {at|via} {link}",
        "{You're|You are} our {lucky|1000th|selected} {winner|visitor} {today|this week}! {Spin|Tap} to {claim|get} your {free|} {iPhone 15|PS5|AirPods|gift}: {link}",
        "{brand} {survey|giveaway}: {answer|complete} {3|5} {questions|quick questions} and {get|receive} a {big} {reward|voucher}. {link}",
        "Your {mobile|phone} number {won|was drawn} in the {{brand}|international} {lottery|draw}! To claim {big} {call|text} {phone}",
        "{Free|FREE} {entry|gift} {for you|waiting}! {Reply YES|Click} {to claim|now} {link} {optout|}",
    )),
    TemplateGroup("promotion", True, "sms", ("retail",), (
        "{Get|Claim} {200|100|300}% bonus + {50|100} free spins {on your first deposit|today only}! {link} {optout}",
        "{Exclusive|Special|VIP} offer {just for you|for selected members}: {70|80|90}% off {Ray-Ban|designer|branded} {sunglasses|watches|bags} {today only|this week}. {Shop|Buy} {now|} {link} {optout}",
        "{Need|Want} {cash|a loan} {fast|today}? {Get|Borrow} up to {big} {with no credit check|approved in minutes}. {Apply|Click} {link} {optout}",
        "{Lose|Burn} {10|15|20}kg in {30 days|a month} {without dieting|with this one trick}! {Order|Try it} {now|today} {link} {optout}",
        "{Hot|Lonely} {singles|women} in your area {want to meet|are waiting}. {Chat now|See profiles} {link} {optout}",
        "{Your|You have a} {pre-approved|guaranteed} {loan|credit line} of {big} is {ready|waiting}. {Reply YES|Click} {to accept|here} {link}",
        "{Cheap|Discount} {meds|pills|Viagra} {without prescription|delivered discreetly}. {Order|Buy} {at|:} {link} {optout}",
        "{BIG|MEGA} SALE {{emoji}|}: {everything|all items} {at|for} {amount}! {Limited stock|Ends tonight}! {link} {optout}",
    )),
    TemplateGroup("tech_support", True, "sms", ("tech",), (
        "SYSTEM {FAILURE|ALERT|WARNING}: {malicious files|a virus|{3|5|12} trojans} {detected|found} on your {device|phone}. {Clean|Fix} {it|} {now|immediately}: {link}",
        "{brand} {Defender|Security}: your {device|computer} {is infected|has been compromised}. Call {support|our technicians} {on|at} {phone} {immediately|now}",
        "{brand}: your {subscription|protection} {auto-renews|renewed} {today|} for {big}. {To cancel|If you did not authorise this} call {phone}",
        "Your {iCloud|cloud} storage is full! {Photos|Your files} will be deleted {in {hours} hours|today}. {Upgrade|Get 50GB} {free|for {amount}} {link}",
        "{Warning|Alert}: your phone {battery|memory} {is damaged|is {97|88}% full} {by|because of} {viruses|malware}. {Remove|Clean} {now|here} {link}",
    )),
    TemplateGroup("crypto_invest", True, "sms", ("crypto",), (
        "{brand}: {a withdrawal|a transfer} of {amount} BTC {was requested|is pending}. {Not you|If not you}? {Cancel|Stop it} {at|via} {link}",
        "{Earn|Make} {big} {a week|per day|daily} {from home|trading crypto} {with|using} our {AI|automated} {bot|system}. {Join|Start} {now|today}: {link}",
        "{Hi|Hello}, I'm {name}, {an investment|a trading} {advisor|mentor}. {My|Our} {students|clients} {doubled|made {200|300}% on} their money {last month|this week}. {Interested|Want in}? {link}",
        "Your {brand} wallet {is|has been} {locked|frozen}. {Verify|Sync} your {wallet|seed phrase} {to unlock|now} {link}",
        "{Guaranteed|Risk-free} {returns|profit} of {20|30|40}% {a week|monthly}. {Min|Minimum} deposit {amount}. {WhatsApp|Text} {phone}",
    )),
    TemplateGroup("job_task", True, "dm", (), (
        "{Hi|Hello}{ {name}|}, {I'm|this is} {name} from {a recruitment agency|HR}. {We|Our company} {saw your CV|are hiring} {for|}  {part-time|remote} {work|roles}, {big} per {day|week}. {Interested|Reply YES}?",
        "{Work from home|Remote job}: {like|rate} {videos|products|hotels} and earn {amount}-{big} {daily|per day}. {Add|Contact} {us|me} on WhatsApp {phone}",
        "{Hello|Hi}, we {received|got} your {resume|application}. {The|This} {position|job} pays {big} {a day|weekly}, {only|just} {30|60} minutes {a day|daily}. {Click|Apply} {link}",
        "{Hey|Hi}! Are you {looking for|interested in} {extra|side} income? {Simple|Easy} {online|phone} tasks, {paid daily|instant pay}. {Details|More info}: {link}",
    )),
    TemplateGroup("wrong_number", True, "dm", (), (
        "{Hi|Hello} {name}, {is this|are you} still {coming|free} {for|to} {dinner|golf|the meeting} {on {day}|tomorrow}?",
        "{Hello|Hi}, {sorry|apologies}, {did I get the wrong number|is this {name}}? {My|Our} {assistant|friend} gave me this {number|contact}.",
        "{Hey|Hi} {it's|this is} {name}, {we met|we talked} at {the conference|the gym|a party} {last week|recently}. {Do you remember me|Still have my number}? 😊",
        "{Excuse me|Hi}, {are you|is this} {the|} {Dr.|Mr.|Ms.} {name}? {I found your number|Someone gave me your number} {in my contacts|at work}.",
    )),
    TemplateGroup("hi_parent", True, "dm", (), (
        "{Hi Mum|Hi mum|Hey Dad|Hi Mom}, {this is|it's} my new number, {my|} {old phone|phone} {broke|is broken|fell in the toilet}. {Save this one|Text me here} {please|} x",
        "{Mum|Dad|Mom} {can you|could you} {help me|do me a favour}? {I need to|Have to} pay a bill {today|urgently} but my {banking app|card} {is locked|isn't working}. {I'll pay you back|Will pay back} {tomorrow|asap}",
        "{Hi|Hello} {mum|dad}, {lost|dropped} my phone, {using|on} a {friend's|new} number {for now|}. Can you {WhatsApp|message} me {here|on this}? {Something|It's} urgent",
    )),
    TemplateGroup("code_theft", True, "sms", ("social", "bank", "payment"), (
        "{Hi|Hey}, {sorry|oops}, I {sent|texted} you a {6-digit|6 digit|verification} code by mistake. {Can you|Could you please} {send|forward} it {back|to me}?",
        "{brand}: {To cancel|To stop} the {transaction|payment} of {amount}, {reply with|share} the code {we just sent|you received}. {Our agent|An agent} will call you.",
        "{This is|} {brand} {fraud team|security}. {We need|Please read out} the {code|OTP} {we sent|sent to your phone} {to verify|to secure} your account.",
    )),
    TemplateGroup("invoice_email", True, "email", ("tech", "payment", "retail", "tech"), (
        "Subject: {Your|Re:} invoice {#{ref}|{ref}} {is ready|overdue}\n{Hello|Dear customer},\nYour {order|renewal} of {big} {has been processed|was charged}. {If you did not authorise this|To dispute}, {call|contact} {phone}.",
        "Subject: {Action required|Important}: {verify your account|{brand} account locked}\n{Dear user|Hi},\nWe {detected|noticed} {unusual activity|a login attempt}. {Confirm your details|Sign in} {within {hours} hours|now} {at|here:} {link}\n{brand} Security Team",
        "Subject: {You've received|New} {a document|a voicemail|a shared file}\n{name} {shared|sent} {a file|\"Invoice_{ref}.pdf\"} with you. {View|Open} {document|it}: {link}",
        "Subject: {Mailbox|Email} {storage|quota} {full|exceeded}\nYour mailbox {is|has reached} {99|98}% {full|capacity}. {Incoming|New} {mail|messages} will be {rejected|lost}. {Upgrade|Validate} {now|here} {link}",
    )),
    TemplateGroup("comment_spam", True, "comment", (), (
        "{check out|Check out|pls check out|Please check out} my {channel|new video|cover of this song}{ guys|}!! {I|we} {make|upload} {music|videos|covers} {every week|daily} {{emoji}|}",
        "{Subscribe|Sub} to my channel {and|&} I'll {subscribe|sub} back {{emoji}|}! {Help me reach|Road to} {1k|1000|10k} {subs|subscribers} {link}",
        "{I'm|Im} a {16|17|19} year old {rapper|singer|producer} {trying to make it|from {place}}. {Please|Pls} {give my|check out my} {new|} {song|track} a listen {link}",
        "{I make|I earn} {big} a {week|month} {from home|online} {working|in my spare time}. {Here's how|See how|Check it}: {link}",
        "{Free|FREE} {Robux|V-Bucks|gift cards|iTunes codes} {here|at} {link} {it actually works|no survey|legit}!!",
        "{Please|Pls} {like|thumbs up} this comment so {{artist}|everyone} {can see|sees} my {channel|music} {{emoji}|}",
        "{Hey|Yo} {guys|everyone}, {go|visit} {to|} {link} {for|to get} {free|cheap} {followers|likes|views} {{emoji}|}",
        "{Who|Anyone} {wants|want} {to earn|to make} {money|cash} {online|from their phone}? {Message|DM} me or {visit|go to} {link}",
    )),
    TemplateGroup("voicemail_scam", True, "voicemail", ("gov", "bank", "tech", "retail"), (
        "{Hello|Hi}, this is {an automated|an important} {call|message} from {brand}. {Your|Your social security|Your tax} {account|number} {has been|was} {suspended|flagged} {for suspicious activity|due to fraud}. Press 1 {to speak to an officer|now} or call {phone}.",
        "{This is|Hello, this is} {name} from {brand} {fraud department|security}. {An order|A charge} of {big} {was placed|is pending} on your account. {If you did not make this|To cancel}, press 1 {or call|} {phone}",
        "{Final|Last} {notice|warning}: {we have been trying to reach you|this is your final call} about your {car's extended warranty|outstanding tax balance}. {Press 1|Call back} {now|today} {at {phone}|}",
    )),
)

GENUINE_GROUPS: tuple[TemplateGroup, ...] = (
    TemplateGroup("otp", False, "sms", ("bank", "payment", "tech", "social", "ride", "retail", "crypto", "telecom"), (
        "{code} is your {brand} {verification|security|login} code. {Don't|Do not|Never} share it with anyone.",
        "{brand}: Your {one-time|verification} code is {code}. It expires in {5|10|15} minutes. {We will never call you to ask for it.|Don't share this code.}",
        "Use {code} to {sign in|log in|verify your number} {to|on} {brand}. {If you didn't request this, ignore this message.|Never share this code, not even with {brand} staff.}",
        "<#> {brand} code: {code}. {Do not|Don't} give this code to anyone, even if they say they are from {brand}. {tok11}",
        "{brand} {OTP|code} for {txn|transaction|payment} of {amount} {at|to} {Amazon|Tesco|Uber|Swiggy} is {code}. {Valid for|Expires in} {5|10} mins. {Do not|Never} share {with anyone|OTP}.",
        "{Your|Ur} {brand} {PIN reset|password reset} code is {code}. {If this wasn't you|Not you?}, {you can ignore this|change your password in the app}.",
    )),
    TemplateGroup("delivery", False, "sms", ("parcel", "retail", "ride"), (
        "{brand}: your {item} {from {Amazon|ASOS|Next|Zara}|} {is out for delivery|will arrive} {today|on {day}} between {time} and {time}. Track: {link}",
        "{brand}: {Good news!|} {Your {item} {was|has been} delivered|We delivered your {item}} {to your {porch|safe place|neighbour at no. {digits2}}|} at {time}. {Photo|Details}: {link}",
        "Your {brand} driver {name} is {10 minutes|2 stops|nearby} away with your {item}. {No need to reply.|Track live at {link}}",
        "{brand}: we {missed you|couldn't deliver} today. {Your {item} is at|Collect it from} {the local Post Office|a nearby pickup point} from {day} after {time}. {No charge.|Nothing to pay.} {link}",
        "Your {brand} order {of {product}|#{ref}} has {shipped|been dispatched}. {Estimated|Expected} delivery: {day}. {Track it|View order} {at|:} {link}",
        "{Hi|Hello} it's your {brand} courier, I'm outside {now|}, {can you come down|shall I leave it in the porch}?",
    )),
    TemplateGroup("appointment", False, "sms", ("health", "gov"), (
        "{Reminder|Hi {name}}: your appointment at {place} is on {day} at {time}. {Reply C to cancel|To rearrange call {phone}}.",
        "{Riverside Surgery|Your GP practice|{brand}}: {you are due|it's time} for your {flu jab|annual review|blood test}. Book {online|in the app} at {link} or call {phone}.",
        "{Dentist|Hygienist|Optician} reminder: {name}, {day} {time} at {place}. {Please arrive 10 mins early.|Reply Y to confirm.}",
        "{brand}: your {prescription|order} is ready to collect from {place} {from {time}|}. {Bring your ID|Show this message}.",
        "{Hi|Hello} {name}, {this is|} {place} confirming your {haircut|MOT|boiler service} {on|for} {day} at {time}. {See you then!|Thanks.}",
    )),
    TemplateGroup("bank_alert", False, "sms", ("bank", "payment"), (
        "{brand}: {A payment|A card payment|A transaction} of {amount} to {Tesco|Amazon|Uber|Shell} was made on your card ending {digits4}. {If you don't recognise it|Not you?}, call the number on the back of your card. We will never ask for your PIN.",
        "{brand}: {your balance is|available balance} {big} {as of|at} {time}. {Manage alerts in the app.|Log in to the app to see more.}",
        "{brand}: {Your salary|A payment} of {big} {has been|was} credited to your account. {Thanks for banking with us.|}",
        "{brand} will never ask you to {move money to a safe account|share a one-time code|give us your PIN}. {If someone does, it's a scam.|Hang up and call the number on your card.}",
        "{brand}: your {new card|replacement card} {has been dispatched|is on its way} and should arrive {in 3-5 days|by {day}}. {Activate it in the app.|}",
        "{brand}: Your direct debit to {British Gas|EE|Netflix|the council} for {amount} {will be taken|is due} on {day}. {No action needed.|}",
    )),
    TemplateGroup("login_alert", False, "sms", ("tech", "social", "streaming", "bank"), (
        "{brand}: {a new sign-in|a new login} {to your account|} {from|on} {Chrome on Windows|iPhone|Safari on Mac} {at {time}|}. If this was you, {no action is needed|you can ignore this}. {If not, change your password in the app.|}",
        "{brand}: Is it you trying to sign in? {Open the app|Tap Yes on your phone} to approve. {Don't approve if it's not you.|}",
        "{brand}: your password was changed {on {day}|at {time}}. {If you did this, ignore this message.|Not you? Go to {link}}",
    )),
    TemplateGroup("receipt_bill", False, "sms", ("utility", "telecom", "streaming", "retail", "ride"), (
        "{brand}: {Thanks|Thank you}{ {name}|}! {We received your payment of|Payment received:} {amount}. {Receipt|View}: {link}",
        "{brand}: your {month} bill of {amount} is {ready|now available}. {It'll be taken by direct debit on {day}.|View it {at|in} {link}}",
        "{brand}: your {subscription|membership} {renews|will renew} on {day} for {amount}. {Manage it in your account settings.|Manage: {link}}",
        "{Thanks for your order|Order confirmed}! {brand} order #{ref}: {product}, {amount}. {We'll text when it ships.|Details: {link}}",
        "{brand}: your trip with {name} {cost|came to} {amount}. {Rate your driver in the app.|Receipt: {link}}",
    )),
    TemplateGroup("service_notice", False, "sms", ("utility", "telecom", "travel", "gov"), (
        "{brand}: {planned maintenance|an outage} {in your area|on your street} {on {day}|tonight} {from {time}|}. {We're sorry for any disruption.|Updates: {link}}",
        "{brand}: your {flight|train|booking} {ref} {is on time|has changed}. {Gate|Platform} {digits2}, {departs|boarding} {time}. {link}",
        "{brand}: {check-in is open|your check-in opens} for your {trip|stay} on {day}. {Manage your booking|Details} {at|:} {link}",
        "{Weather|Flood} warning for {your area|the area}: {heavy rain|strong winds} {expected|forecast} {on {day}|tonight}. {Check updates at|See} {link}",
    )),
    TemplateGroup("school", False, "sms", (), (
        "{Oakwood Primary|St Mary's School|Hillside Academy}: {reminder|please note} {that|} {school closes|we close} {early|at 1:30pm} on {day} for {staff training|parents' evening}. {Thank you.|}",
        "{Dear parents|Hi all}, {the trip|sports day} {is|has been} {moved|postponed} to {day}. {Consent forms|Details} {on|via} {the app|{link}}",
        "{Hi|Hello} {name}, {it's|this is} {Coach|Mrs} {name}, {training|practice} {is on|is cancelled} {tonight|{day}} {at {time}|due to the rain}.",
        "{School|Club} photos are {ready|online}. {View and order|Order} {at|:} {link} {using code {code}|}",
    )),
    TemplateGroup("friends_family", False, "dm", (), (
        "{haha|lol} {look at this|you have to see this|this is so you} {link}",
        "{Hey|Hi} {name}! {Are we still on for|Still good for} {lunch|coffee|the cinema} {on {day}|tomorrow}? {{emoji}|}",
        "{Found|Here's} the {place|flat|recipe|video} I {told you about|mentioned}: {link}",
        "{Running|I'm running} {10 mins|a bit} late, {sorry|soz}! {See you at|Meet you at} {place} {{emoji}|}",
        "{Can you|Could you} {pick up|grab} {milk|bread|the kids} {on your way home|after work}? {Thanks {emoji}|ta}",
        "{Mum|Dad}, {got|I got} {the job|my results|the grades}!! {{emoji}|} {Call you later|Tell you tonight}",
        "{Happy birthday|Congrats} {name}!! {Hope you have a great day|So proud of you} {{emoji}|}",
        "{did you|Did u} {see|watch} {the match|the game|that show} {last night|yesterday}? {unreal|mad} {{emoji}|}",
        "{Hi|Hey}, {it's|this is} {name}, {I got a new phone|new number}, {same old me|save this one}. {See you {day}!|}",
        "{Sent|I've sent} you {the money|{amount}|my half} for {dinner|the tickets|the bills}. {Thanks again!|Cheers}",
        "{ok|okay|k|sure|yes|no worries|sounds good|on my way|home now|thanks|love you}",
    )),
    TemplateGroup("work", False, "email", (), (
        "Subject: {Notes from|Agenda for} {Monday's|today's|the} {meeting|standup}\n{Hi all|Hi team},\n{Attached are the notes|Here's the agenda}. {Doc|Slides}: {link}\n{Thanks|Cheers}, {name}",
        "Subject: {Your order|Order} #{ref} {is confirmed|has shipped}\n{Hi {name}|Hello},\n{Thanks for shopping with {brand}.|} {Your order of {product}|Your {item}} {will arrive|is due} {day}. {Track it|View order}: {link}",
        "Subject: {Invitation|Reminder}: {{name}'s leaving drinks|team lunch|quarterly review} {on|-} {day}\n{Hi|Hello} {everyone|all}, {please join us|see you} at {time} {in|at} {place}. {Zoom|Calendar}: {link}",
        "Subject: {Your|} {brand} {statement|newsletter} for {month}\n{Hi {name}|Hello},\n{Your statement is ready to view in your account.|Here's what's new this month.} {Read more|Log in}: {link}\n{Unsubscribe|Manage preferences} at any time.",
    )),
    TemplateGroup("comment_ham", False, "comment", (), (
        "{This song|This} {never gets old|still slaps|is a masterpiece} {{emoji}|}",
        "{Who's|Who is|Anyone} still {listening|watching} {in 2024|in 2023|this year}? {{emoji}|}",
        "{{artist}|She|He} {really|honestly} {outdid|outdone} {herself|himself|themselves} {with|on} this {one|song}",
        "{The|That} {drop|beat|chorus} at {1:12|2:05|3:40} {is|hits} {insane|different|so hard} {{emoji}|}",
        "{Love|Greetings} from {Brazil|India|Kenya|Mexico|the UK|Poland} {{emoji}|}",
        "{I remember|Remember} {listening to|hearing} this {in {high school|the car}|as a kid} {{emoji}|}",
        "{The|This} video {is|looks} {so|really} {beautiful|well made}, {the|} {dancers|colours|camera work} {are|is} {amazing|on point}",
        "{{artist}|This} {is|was} {the best|my favourite} {part of {2019|my childhood}|song of the year}",
        "{lol|haha} {the|that} {part|bit} {where|when} {the dog|he} {falls|dances} {at 0:45|} {{emoji}|}",
    )),
    TemplateGroup("voicemail_ham", False, "voicemail", ("health", "parcel", "bank"), (
        "{Hi|Hello} {name}, {it's|this is} {name} from {place}, just {calling to confirm|a reminder about} your appointment {on|for} {day} at {time}. {No need to call back.|If you need to change it, call us on {phone}.}",
        "{Hey|Hi} {it's|this is} {name}, {call me back when you can|just checking in}, {nothing urgent|no rush}. {Speak soon|Bye}.",
        "{Hello|Hi}, this is {brand}. {We tried to deliver your {item} today|Your card has been dispatched}. {You can rebook online for free|No action is needed}. {Thank you|Thanks}.",
    )),
)
