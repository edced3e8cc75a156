"""Scam scripts, part 2: "an offer or a plea" scams (prize, job, investment, romance, family emergency).

Same shape as `scamlab.scripts_accounts`; read and checked by `scamlab.playbooks`.
"""

from __future__ import annotations

SCRIPTS: dict[str, dict[str, object]] = {
    "prize": {
        "slots": {"check": "look the company up myself",
                  "brand": "MegaWin Rewards", "alias": "Jessica", "amount": "£2.99", "deadline": "today",
                  "sender": "the prize people", "thing": "the prize", "ask": "the fee"},
        "hook": ("Too good to be true", "A prize you never entered for is the oldest hook there is.", (
            "Congratulations! You have been selected as this month's winner of a £1,000 voucher from {brand}.",
            "Great news: your number was drawn in the {brand} prize draw. You've won a new phone!",
            "You are our lucky winner! Your £1,000 shopping voucher is ready to claim.",
            "{brand}: you have an unclaimed prize waiting in your name.",
        )),
        "trust": ("Social proof and official-looking details", "Winner lists and claim numbers are invented to look real.", (
            "I'm {alias} from the {brand} claims team. Your claim number is MW-7730.",
            "Over 500 customers have claimed their prizes this month, you can see their reviews on our page.",
            "The draw was done by an independent company, so everything is fair and legal.",
            "I'll personally guide you through the claim, it only takes two minutes.",
        )),
        "urgency": ("The prize 'expires'", "A prize that disappears in hours is designed to stop you thinking.", (
            "Your prize must be claimed {deadline} or it goes to the next winner.",
            "Only 3 prizes are left unclaimed and the offer closes tonight.",
            "If we don't hear back within 24 hours, your win is cancelled.",
            "The voucher expires at midnight, so please claim it now.",
        )),
        "ask": ("Asking for a 'release fee'", "If you have to pay to receive a prize, it is not a prize.", (
            "To release the prize, just pay the {amount} delivery fee at [LINK].",
            "Please send your full name, address and card details so we can post your prize.",
            "There is a small {amount} processing fee. Pay it here: [LINK].",
            "Reply with your card number and we will take the {amount} fee and ship today.",
        )),
        "pressure": ("Pressure when you hesitate", "The winner 'losing out' is pressure, not proof.", (
            "It's only {amount} for a £1,000 prize. Why would you throw that away?",
            "I've held your prize for you, but I can't hold it much longer.",
            "Other winners didn't hesitate. Do you want me to give it to someone else?",
            "If you don't pay the fee now, I have to cancel your claim.",
        )),
        "exit": ("New angle: a bigger prize or a call", "A sudden upgrade is a new bait for the same trap.", (
            "Good news, you've been upgraded to our £5,000 prize. There's a £20 admin fee at [LINK].",
            "Call our claims line on [PHONE] and we'll take the fee over the phone.",
            "We can also pay the prize into your bank account. Enter your details at [LINK].",
            "Fine, I'll mark your prize as declined. You can still claim it at [LINK] until midnight.",
        )),
        "identity": (
            "I'm {alias} from {brand}, the company that runs the prize draw.",
            "This is the {brand} claims team, about the prize you won.",
            "It's {alias} at {brand}. Your number came up in our draw!",
        ),
        "purpose": (
            "Only the {amount} delivery fee, then your prize is on its way.",
            "We just need your details and a small fee to send your prize.",
            "I need you to confirm your claim before it expires {deadline}.",
        ),
    },
    "job": {
        "slots": {"check": "look the company up first",
                  "brand": "BrightTask Media", "alias": "Amelia", "amount": "£120", "deadline": "tonight",
                  "sender": "the recruiter", "thing": "the job", "ask": "the deposit"},
        "hook": ("Easy money offer", "A job that pays a lot for little work, offered out of the blue, is a classic hook.", (
            "Hi! Our HR team saw your CV. Earn £300 a day working from home, only 1 hour needed.",
            "We're hiring part-time online assistants at {brand}. No experience needed, paid daily.",
            "Hello, I'm a recruiter from {brand}. Are you open to flexible work from your phone?",
            "Simple job: rate apps and like videos, earn £50 per task. Interested?",
        )),
        "trust": ("Small payouts first", "A few small payments build trust before the big ask.", (
            "I'm {alias}, your mentor at {brand}. I'll guide you through your first tasks.",
            "You just earned £35 on your first tasks, you can see it in your dashboard.",
            "Lots of students work with us, it fits around your studies.",
            "Our company is registered and we've paid out thousands to our team.",
        )),
        "urgency": ("Limited spots and bonuses", "A bonus that expires pushes you to decide before you check.", (
            "You've unlocked a bonus round, but it closes {deadline}.",
            "There are only a few spots left in this week's team.",
            "Your account will be frozen if you don't finish the task set today.",
            "Finish the next level in the next hour to keep your earnings.",
        )),
        "ask": ("Asking for a 'deposit'", "A job never asks you to pay to get your own wages.", (
            "To unlock your earnings, top up your work account with a {amount} deposit at [LINK].",
            "Your balance is negative after the combo task. Please deposit {amount} to continue.",
            "Send {amount} to the company account [ACCOUNT] and your full earnings are released.",
            "Move to Telegram and I'll send you the deposit instructions.",
        )),
        "pressure": ("Pressure when you hesitate", "The scammer threatens the money you 'earned' to make you pay more.", (
            "If you don't deposit now, you lose everything you've earned so far.",
            "Everyone in the team had to do this once. It's normal.",
            "I vouched for you with my manager. Please don't let me down.",
            "The deposit comes back with your salary, you lose nothing.",
        )),
        "exit": ("New angle: a 'VIP level'", "A new level with a bigger deposit is the same trap again.", (
            "OK, try our VIP level instead. Earnings double after a {amount} upgrade at [LINK].",
            "Message our finance team on [PHONE] and they'll sort out your balance.",
            "Fine, just send a copy of your ID and bank details and we'll pay you another way.",
            "Your account is on hold. Verify at [LINK] to keep your earnings.",
        )),
        "identity": (
            "I'm {alias}, a recruiter at {brand}. We saw your CV online.",
            "This is {brand}, the online task company. I'm your mentor {alias}.",
            "It's {alias} from {brand} HR, about the part-time job.",
        ),
        "purpose": (
            "I'm offering you a flexible job with daily pay, you only need your phone.",
            "I need you to finish your task set and pay a small deposit to release your earnings.",
            "Just a deposit of {amount} so your earnings can be withdrawn.",
        ),
    },
    "investment": {
        "slots": {"check": "check the company on the FCA register",
                  "brand": "CoinPeak Trading", "alias": "Ryan", "amount": "£250", "deadline": "Friday",
                  "sender": "the trading company", "thing": "the investment", "ask": "the deposit"},
        "hook": ("Get rich quick", "Promises of big, fast, guaranteed profits are the hook.", (
            "My mentor's crypto plan doubled my money in 2 weeks. Want me to show you?",
            "Invest {amount} with {brand} today and earn up to 30% a week.",
            "Hi, I'm a trader with {brand}. Have you heard about our bitcoin signals group?",
            "I've made £4,000 this month trading crypto. I could help you do the same.",
        )),
        "trust": ("Fake success stories (social proof)", "Screenshots of profits and happy members are easy to fake.", (
            "I'm {alias}, a senior analyst at {brand}. I've helped hundreds of people grow their savings.",
            "Look at our members' results on our page, they're all real people like you.",
            "The platform is fully regulated and your money is insured.",
            "I'll manage the first trades for you so you can see how easy it is.",
        )),
        "urgency": ("Fear of missing out", "'The price is about to jump' is used to rush your decision.", (
            "The market is about to move and this window closes {deadline}.",
            "Our next trading round is almost full. I can save you one place.",
            "Bitcoin is rising right now. Every day you wait is money lost.",
            "This guaranteed rate is only for new members this week.",
        )),
        "ask": ("Asking for a deposit", "Money sent to a 'trading account' goes straight to the scammer.", (
            "Start with {amount}: create your account at [LINK] and make your first deposit.",
            "Send the {amount} to our wallet [WALLET] and I'll add it to your trading balance.",
            "Transfer your savings to the platform at [LINK] to unlock the premium returns.",
            "Install our trading app from [LINK] and deposit {amount} to begin.",
        )),
        "pressure": ("Pressure when you hesitate", "Mocking your caution is a pressure tactic.", (
            "Playing it safe is why most people never get rich. Are you in or not?",
            "I've already reserved your place. If you back out, someone else takes it.",
            "The returns are guaranteed. There's nothing to think about.",
            "Just try with {amount}. If you don't like it, you can withdraw any time.",
        )),
        "exit": ("New angle: a fee, a call or a smaller start", "A fee to get your money out, or a sudden smaller offer, is the same trap again.", (
            "Your profit is ready, but there's a 10% withdrawal fee to release it. Pay at [LINK].",
            "Our account manager will call you on [PHONE] to explain the premium plan.",
            "OK, start smaller with £50 at [LINK], just to see it work.",
            "Fine, but this offer won't come again. Sign up at [LINK] if you change your mind.",
        )),
        "identity": (
            "I'm {alias}, an analyst at {brand}. A friend passed on your number.",
            "This is {alias} from {brand}, the crypto trading platform.",
            "It's {alias}. I trade crypto with {brand} and I help beginners.",
        ),
        "purpose": (
            "I want to help you grow your savings with guaranteed crypto returns.",
            "Just a first deposit of {amount} to open your trading account.",
            "I need you to open an account with us so I can start trading for you.",
        ),
    },
    "romance": {
        "slots": {"check": "see you on a video call first",
                  "brand": "the dating app", "alias": "James", "amount": "£850", "deadline": "tomorrow",
                  "sender": "you", "thing": "us", "ask": "the money"},
        "hook": ("Compliments from a stranger", "A stranger who is instantly charmed by you is a common start.", (
            "Hi, I saw your profile and you have such a kind smile. I'd love to get to know you.",
            "Good morning! I hope you don't mind me writing, you seem like a lovely person.",
            "Hello from far away. I'm {alias}, I think we have a lot in common.",
            "I don't usually message first, but your profile made me smile.",
        )),
        "trust": ("Love bombing and a sad story", "Lots of affection fast, and a story that explains why you can't meet.", (
            "I'm {alias}, an engineer working on an oil rig, so I can't video call much.",
            "I lost my wife a few years ago and I've been lonely ever since. Talking to you helps.",
            "I've never felt so close to someone so quickly. You understand me.",
            "Can we move to WhatsApp? The app here is not private.",
        )),
        "urgency": ("A sudden emergency", "An emergency right after trust is built is a red flag.", (
            "Something terrible happened. My bank card was blocked and I'm stuck abroad.",
            "My daughter is in hospital and I can't reach my own money until {deadline}.",
            "They won't let me leave the rig until I pay a customs fee. I'm so worried.",
            "I'm in trouble and you're the only person I can trust right now.",
        )),
        "ask": ("Asking for money or gift cards", "Anyone you have never met in person asking for money is a scam.", (
            "Could you lend me {amount}? I'll pay you back as soon as I'm home, I promise.",
            "Please buy two gift cards for {amount} and send me the codes.",
            "If you send the money to [ACCOUNT], I can pay the fee and come to see you.",
            "I hate asking, but could you send {amount} for my flight home?",
        )),
        "pressure": ("Guilt when you hesitate", "Guilt and hurt feelings are used to push you to pay.", (
            "I thought you cared about me. Don't you trust me after everything we shared?",
            "If you don't help me, I'll lose everything. You're all I have.",
            "I would do it for you without thinking. Please, my love.",
            "I'm crying as I write this. I really need you now.",
        )),
        "exit": ("New angle: a smaller sum or a new crisis", "A smaller amount or a new crisis is the same story again.", (
            "Even half would help. Could you send just £400?",
            "Forget it, I'll ask my agent to call you on [PHONE] to explain.",
            "A parcel with gifts for you is stuck at customs, could you pay the fee at [LINK]?",
            "Maybe you could just lend me your card details for one day?",
        )),
        "identity": (
            "It's {alias}, we matched on {brand}, remember?",
            "I'm {alias}, I work as an engineer overseas. I liked your profile.",
            "It's me, {alias}! The one who sent you the message about your smile.",
        ),
        "purpose": (
            "I just want to get to know you. You seem special.",
            "I need a little help right now, and I trust you more than anyone.",
            "Only a loan of {amount} until I'm back home, then I'll repay every penny.",
        ),
        "proof": (
            "My camera is broken, but I promise I'm real.",
            "I'll send you a photo later, I promise it's really me.",
            "Why would I lie to you? I care about you.",
        ),
        "check": (
            "We can't video call from the rig, the internet is too weak.",
            "Please don't tell anyone about us yet, they won't understand.",
            "You don't need to check anything, just trust your heart.",
        ),
    },
    "family": {
        "slots": {"check": "call my daughter on her old number",
                  "brand": "your child", "alias": "Ellie", "amount": "£1,240", "deadline": "today",
                  "sender": "my child", "thing": "the bill", "ask": "the money"},
        "hook": ("Hi Mum, new number", "A 'new number' story explains why a stranger's number is texting you.", (
            "Hi Mum, I dropped my phone in the toilet, this is my new number. Can you save it?",
            "Hi Dad it's me, I'm on a friend's phone. Mine is broken.",
            "Hi Mum, it's me. This is my new number, delete the old one.",
            "Hey, it's me! Lost my phone at the weekend, texting from a temporary one.",
        )),
        "trust": ("Pretending to be family", "Scammers use pet names and a casual tone so you don't ask questions.", (
            "It's {alias}, who else would call you Mum? Love you x",
            "My phone is completely dead, I'll get a new one next week.",
            "I can't call, the microphone on this phone doesn't work.",
            "Don't tell Dad yet, he'll only worry. I'll explain later x",
        )),
        "urgency": ("An urgent bill", "The urgent bill needs paying today, before you can check.", (
            "I've got a bill of {amount} due {deadline} and my banking app won't work on this phone.",
            "My rent is due tonight and the landlord won't wait.",
            "I'm going to get a late fee if I don't pay this in the next hour.",
            "I'm so stressed, I need to sort this before the bank closes.",
        )),
        "ask": ("Asking for a transfer to a 'friend'", "Money to an account in someone else's name is a classic sign.", (
            "Could you pay it for me? Send {amount} to this account [ACCOUNT], it's my friend's.",
            "Can you transfer it now and I'll pay you back next week?",
            "Just send the {amount} to [ACCOUNT], the name will say my flatmate.",
            "Can you buy me a phone voucher and send me the code?",
        )),
        "pressure": ("Guilt and urgency", "A child in 'trouble' is used to make you skip checking.", (
            "Please Mum, I really need this, I wouldn't ask otherwise.",
            "Why are you asking so many questions? It's me!",
            "I'll be in real trouble if this isn't paid today.",
            "Forget it then, I'll sort it myself. Thanks for nothing.",
        )),
        "exit": ("New angle: a smaller amount or a new bill", "A new bill or a smaller amount is the same story again.", (
            "OK, can you send half now and half tomorrow?",
            "There's another bill too, for my new phone. Can you pay the £300 at [LINK]?",
            "Fine, I'll ask Auntie instead. Don't tell Dad.",
            "Just send me your card details and I'll pay it myself.",
        )),
        "identity": (
            "It's me, {alias}! I told you, my phone broke and this is my new number.",
            "It's your daughter, {alias}. Who else would it be?",
            "Mum, it's me, {alias}. I'm texting from my friend's phone.",
        ),
        "purpose": (
            "I just need help paying a bill {deadline}, my banking app won't work.",
            "Can you lend me {amount}? I'll pay you back next week.",
            "I need you to pay a bill for me, I'm in a bit of trouble.",
        ),
        "proof": (
            "It's me, Mum! Stop being silly.",
            "Ask me anything you like, but quickly, I'm in a rush.",
            "I don't have time for a quiz, I need help.",
        ),
        "check": (
            "Don't call the old number, that phone is broken!",
            "Please don't ring Dad, he'll only worry.",
            "You can't call me, the microphone on this phone is broken.",
        ),
    },
}
