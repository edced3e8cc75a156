"""Scam scripts, part 1: "something is wrong with your account" scams (bank, parcel, toll, tax, tech support).

Plain data read by `scamlab.playbooks`, which checks and types it. Per scenario: `slots` (names, amounts and
deadlines the lines are filled with), one entry per stage (tactic, one-line explanation for students, example
lines in a plain voice: the style's voice is added by `playbooks.STYLE_VOICES`), and the scammer's answers
when asked "who is this?" (`identity`) or "what do you need?" (`purpose`). Contact points are placeholders.
"""

from __future__ import annotations

SCRIPTS: dict[str, dict[str, object]] = {
    "bank": {
        "slots": {"check": "call the number on the back of my card",
                  "brand": "Northbridge Bank", "alias": "Daniel", "amount": "£749.00", "deadline": "30 minutes",
                  "sender": "the bank", "thing": "my account", "ask": "the code"},
        "hook": ("Fake fraud alert", "A made-up problem with your account makes you react before you think.", (
            "{brand}: a payment of {amount} to a new payee was just attempted from your account. Was this you?",
            "Security alert from {brand}: we have paused a suspicious transfer of {amount}. Reply to confirm it wasn't you.",
            "Hello, this is the {brand} fraud team. We've spotted unusual activity on your account tonight.",
            "{brand}: your card was just used for {amount} at an online shop. Reply NO if you did not make this payment.",
        )),
        "trust": ("Pretending to be the fraud team (authority)", "Scammers borrow a trusted name and an official tone so you lower your guard.", (
            "My name is {alias} and I work in fraud prevention at {brand}. I'm here to protect your money.",
            "You've done the right thing by replying. Our team deals with cases like this every day.",
            "For your safety I won't read out your full account number. We only want to secure it.",
            "I'm {alias}, the case officer for your account. This conversation is recorded for your protection.",
        )),
        "urgency": ("Deadline and fear (urgency)", "A short deadline stops you from checking with anyone else.", (
            "The transfer of {amount} will go through in {deadline} unless we stop it together now.",
            "If we don't secure your account in the next {deadline}, the money may be gone for good.",
            "Two more payments are queued on your account. We need to act right now.",
            "The fraudsters are still logged in to your account as we speak. Every minute counts.",
        )),
        "ask": ("Asking for the one-time code", "No real bank ever asks for a one-time code: whoever has it can move your money.", (
            "I've just sent you a 6-digit security code. Please read it back to me so I can cancel the payment.",
            "To block the transfer I need the one-time code that just arrived by text. What does it say?",
            "Please confirm your identity by sharing the code we texted you a moment ago.",
            "Open the secure page at [LINK] and enter the code there so we can lock your account.",
        )),
        "pressure": ("Pressure when you hesitate", "When you hesitate, a scammer adds threats or guilt instead of proof.", (
            "Without the code I can't stop the {amount} payment, and the bank won't refund it later.",
            "Hesitating is exactly what the fraudsters are hoping for. Please just read me the code.",
            "I'm trying to help you. If you stop now, your account stays open to the criminals.",
            "My supervisor says this is the last chance to stop the transfer. I need the code now.",
        )),
        "exit": ("New angle: a 'safe account', a call or an app", "Blocked, the scammer switches story: a sign the first story was false.", (
            "Fine. Then move your savings to a safe account we've set up for you: [ACCOUNT]. I'll wait.",
            "OK, we'll do it another way. Call our secure line on [PHONE] and quote case number 4471.",
            "Forget the code. Install our security app from [LINK] and we'll protect the account remotely.",
            "I'll close this case, but your account stays frozen until you verify at [LINK].",
        )),
        "identity": (
            "It's {alias} from the fraud team at {brand}. We messaged you about a suspicious payment.",
            "This is {brand} fraud prevention, I'm {alias}. Your account was flagged a few minutes ago.",
            "I'm {alias} from the {brand} security department. I'm handling the alert on your account.",
        ),
        "purpose": (
            "I need to stop a payment of {amount} that someone is trying to take from your account.",
            "I just need to verify that you are the account holder so we can block the transfer.",
            "One quick check from you and we can secure your account.",
        ),
        "check": (
            "The number on your card won't have this case on file yet, it was opened minutes ago.",
            "If you hang up now, the case closes and I can't stop the payment.",
            "There's no time to call anyone, the transfer is about to go through.",
        ),
    },
    "parcel": {
        "slots": {"check": "check the tracking on the official Royal Mail website",
                  "brand": "Royal Mail", "alias": "Sam", "amount": "£1.45", "deadline": "midnight tonight",
                  "sender": "the courier", "thing": "my parcel", "ask": "the fee"},
        "hook": ("Fake delivery problem", "Most people expect a parcel, so a delivery problem feels normal.", (
            "{brand}: we tried to deliver your parcel today but nobody was home. A redelivery fee of {amount} is due.",
            "Your parcel is waiting at our depot because of an incomplete address. Please update it to get it delivered.",
            "{brand}: your package could not be delivered due to unpaid postage of {amount}.",
            "Hello, your parcel with tracking number RM-20418 is on hold at the sorting office.",
        )),
        "trust": ("Looking official (brand, tracking number)", "A real brand name and a tracking number make a fake message look official.", (
            "This is {brand} customer service, my name is {alias}. I can see your parcel on our system.",
            "Your tracking number RM-20418 shows the parcel arrived at the depot yesterday.",
            "We deliver millions of parcels a week and this is our normal procedure for unpaid postage.",
            "I'm {alias} from the {brand} delivery team. I'll make sure it reaches you tomorrow.",
        )),
        "urgency": ("Deadline: the parcel goes back", "A deadline makes a small fee feel like the quick, safe choice.", (
            "If the {amount} fee isn't paid by {deadline}, the parcel goes back to the sender.",
            "Parcels are only kept for 48 hours. After that we can't deliver it at all.",
            "Your parcel is scheduled for return this evening unless the fee is settled.",
            "There's a storage charge on top from tomorrow, so it's best to sort it now.",
        )),
        "ask": ("Asking for card details on a fake page", "The tiny fee is bait: the page is there to steal your card details.", (
            "Please pay the {amount} redelivery fee at [LINK] and choose a new delivery day.",
            "Just enter your card details on our secure page [LINK]; it takes one minute.",
            "To release the parcel, confirm your address and card number at [LINK].",
            "You can pay the {amount} by card here: [LINK]. The driver will come tomorrow.",
        )),
        "pressure": ("Pressure when you hesitate", "Calling it 'only a small fee' is meant to make you feel silly for checking.", (
            "It's only {amount}. Is it really worth losing your parcel over that?",
            "The driver is already loading the van for tomorrow. I can only add your parcel if you pay now.",
            "If you don't pay, the parcel will be destroyed after the return period.",
            "Other customers pay this every day without any problem. Please don't lose your delivery.",
        )),
        "exit": ("New angle: a 'refund', a call or your details", "A sudden new story, like a refund, is a second attempt at the same trick.", (
            "No problem, we'll refund the postage instead. Just enter your bank details at [LINK].",
            "You can also call our delivery line on [PHONE] and pay over the phone.",
            "OK. Reply with your full name and address and we'll sort it out for you.",
            "Your parcel will now be returned. To stop this, verify your details at [LINK].",
        )),
        "identity": (
            "This is {brand} parcel services, {alias} speaking. We have a parcel waiting for you.",
            "It's the {brand} delivery team. Your parcel is stuck at our depot.",
            "I'm {alias} from {brand} customer service, about your parcel on hold.",
        ),
        "purpose": (
            "We just need the {amount} redelivery fee so the driver can bring your parcel.",
            "I need you to confirm your address and pay a small fee to release the parcel.",
            "Only the unpaid postage of {amount}, then it's delivered tomorrow.",
        ),
    },
    "toll": {
        "slots": {"check": "look the charge up on the official toll website",
                  "brand": "National Road Tolls", "alias": "Chris", "amount": "£5.20", "deadline": "today",
                  "sender": "the toll company", "thing": "the toll charge", "ask": "the payment"},
        "hook": ("Fake unpaid bill", "A small unpaid bill you can't quite remember makes you want to clear it.", (
            "{brand}: you have an unpaid toll charge of {amount} from your last journey.",
            "Our records show a toll crossing on your vehicle that was never paid.",
            "Reminder from {brand}: your toll balance of {amount} is overdue.",
            "Your vehicle passed a toll point last week and the {amount} charge is still outstanding.",
        )),
        "trust": ("Sounding official", "Reference numbers and formal words make a fake bill look real.", (
            "This is {brand} enforcement, case reference TL-5521. I'm {alias}, handling your account.",
            "Your number plate was recorded by our cameras on the date shown in your account.",
            "We contact all drivers this way before a charge becomes a fine.",
            "I'm {alias} from the {brand} billing team. This is a routine reminder.",
        )),
        "urgency": ("Threat of a big fine", "Threatening a large fine for a small bill rushes you into paying.", (
            "If the {amount} isn't paid {deadline}, it becomes a £100 penalty notice.",
            "After today the charge goes to our enforcement team and your vehicle may be flagged.",
            "The penalty is added automatically at midnight, so please settle it now.",
            "Unpaid charges can affect your vehicle registration. This is the final reminder.",
        )),
        "ask": ("Asking for card details", "The link leads to a fake payment page built to copy your card details.", (
            "Please pay the {amount} at [LINK] to close the case.",
            "You can settle it by card here: [LINK]. It takes less than a minute.",
            "Enter your card number and vehicle registration at [LINK] to clear the balance.",
            "To avoid the penalty, confirm your card details at [LINK] today.",
        )),
        "pressure": ("Pressure when you hesitate", "More threats instead of proof is a sign of a scam.", (
            "I can't stop the £100 penalty unless the charge is paid in the next hour.",
            "Ignoring this notice can lead to court action. It's only {amount}.",
            "Many drivers forget a crossing. It's easier to pay now than argue later.",
            "This is your last reminder before enforcement. Please pay today.",
        )),
        "exit": ("New angle: another way to pay", "When one way fails, the scammer offers another way to take your money.", (
            "If the link doesn't work for you, call our payment line on [PHONE].",
            "OK, I can take the payment another way. Reply with your card number and expiry date.",
            "We can also refund your overpaid tolls. Enter your bank details at [LINK] to receive it.",
            "Your case is now marked as disputed. Verify your identity at [LINK] to pause the penalty.",
        )),
        "identity": (
            "This is {brand}, billing team. I'm {alias}. It's about your unpaid toll charge.",
            "It's {alias} from {brand} enforcement, case reference TL-5521.",
            "We're {brand}, the company that runs the toll roads you used.",
        ),
        "purpose": (
            "Only the unpaid toll of {amount}, before it turns into a fine.",
            "We just need the {amount} charge paid to close your case.",
            "I need you to settle the outstanding balance {deadline}.",
        ),
    },
    "government": {
        "slots": {"check": "call HMRC on the number on their website",
                  "brand": "HMRC", "alias": "Officer Clarke", "amount": "£1,870", "deadline": "5pm today",
                  "sender": "the tax office", "thing": "my tax", "ask": "the payment"},
        "hook": ("Fake tax letter", "A message about tax, a refund or a debt gets attention because it sounds official.", (
            "{brand}: our records show unpaid tax of {amount} on your account.",
            "{brand}: you are due a tax refund of £326.50. Please confirm your details to receive it.",
            "This is a final notice from {brand} about an error in your last tax return.",
            "{brand}: a legal case has been opened against your tax record.",
        )),
        "trust": ("Pretending to be the government (authority)", "Government names and badge numbers are used to scare and impress.", (
            "I am {alias}, badge number 2281, from the {brand} compliance department.",
            "This case was opened after a routine audit of your records.",
            "Everything we discuss is confidential and recorded under government rules.",
            "We have tried to reach you by letter several times without reply.",
        )),
        "urgency": ("Threat of arrest", "Real tax offices write letters and give time; they never threaten arrest by text.", (
            "If the {amount} isn't paid by {deadline}, a warrant will be issued for your arrest.",
            "Local police have been informed and are waiting for our decision.",
            "Your bank account will be frozen today unless this is settled.",
            "This is the last working day before the case goes to court.",
        )),
        "ask": ("Asking for payment in gift cards or bank details", "No tax office takes gift cards or asks for bank details by text.", (
            "You can clear the debt today with {amount} in gift cards. Read me the card codes when you have them.",
            "Please transfer {amount} to our settlement account [ACCOUNT] to stop the case.",
            "To receive your refund, enter your bank details at [LINK].",
            "Confirm your National Insurance number and date of birth so I can close the case.",
        )),
        "pressure": ("Pressure when you hesitate", "Fear is used to stop you from calling the real office yourself.", (
            "If you end this conversation, the arrest warrant goes ahead automatically.",
            "Don't discuss this with anyone, it will make your case worse.",
            "I'm giving you a chance to settle quietly. Not many people get that.",
            "Officers can be at your address within the hour. Do you want that?",
        )),
        "exit": ("New angle: a smaller payment or a refund", "Dropping the price or switching to a refund shows the story was invented.", (
            "Fine, pay a first instalment of £200 today and the warrant is paused.",
            "Let's call it a refund instead. Enter your card details at [LINK] to receive it.",
            "Call our legal department on [PHONE] before 5pm to avoid court.",
            "I'll note that you refused. Verify your identity at [LINK] if you want to appeal.",
        )),
        "identity": (
            "This is {alias} from {brand}, compliance department, about your tax record.",
            "I'm {alias}, a {brand} officer handling your case.",
            "It's {brand}. We have written to you several times about this debt.",
        ),
        "purpose": (
            "You owe {amount} in unpaid tax and it must be settled by {deadline}.",
            "I need you to settle your tax debt today to stop legal action.",
            "We need to confirm your identity and close this case before it goes to court.",
        ),
    },
    "tech_support": {
        "slots": {"check": "ask my nephew, he fixes computers",
                  "brand": "Microsoft", "alias": "Kevin", "amount": "£199", "deadline": "the next hour",
                  "sender": "tech support", "thing": "my computer", "ask": "remote access"},
        "hook": ("Fake virus alert", "A scary warning about your computer makes you want help straight away.", (
            "{brand} Alert: your computer has a virus and your personal data is at risk.",
            "This is {brand} technical support. Your laptop is sending us error messages.",
            "Warning: we detected hackers trying to access your computer from abroad.",
            "Your {brand} licence has expired and your files are no longer protected.",
        )),
        "trust": ("Pretending to be a big company (authority)", "Big companies never contact you first about a virus on your computer.", (
            "I'm {alias}, a certified {brand} engineer. Our servers picked up the problem on your machine.",
            "I can see your computer ID in our system, so I know this alert is real.",
            "We help thousands of customers every day, you're in safe hands.",
            "I'll stay with you until your computer is completely safe again.",
        )),
        "urgency": ("Fear for your files (urgency)", "Panic about your photos and bank details is used to rush you.", (
            "The hackers could empty your bank account through this computer within {deadline}.",
            "Every minute the virus is copying more of your files and passwords.",
            "If you restart the computer now, you may lose all your photos.",
            "Your computer will be blocked from the internet today unless we fix it.",
        )),
        "ask": ("Asking for remote access", "Remote access lets a scammer see and control everything on your computer.", (
            "Please download our support tool from [LINK] so I can connect and remove the virus.",
            "Install the app at [LINK] and read me the 9-digit access code it shows.",
            "The repair and three years of protection cost {amount}. You can pay by card at [LINK].",
            "Open your browser and go to [LINK] so I can see your screen.",
        )),
        "pressure": ("Pressure when you hesitate", "Guilt, fear and impatience replace any real proof.", (
            "If you don't let me in now, I can't be responsible for what the hackers do.",
            "I'm trying to protect you. Please don't turn the computer off.",
            "Other customers who waited lost everything. Let me help you now.",
            "This is your last chance before your computer is disconnected.",
        )),
        "exit": ("New angle: a refund, a gift card or a call", "A sudden new story, such as a 'refund', is a second try at the same trick.", (
            "OK. Then I'll give you a refund for your old protection. Log in to online banking at [LINK].",
            "Call our senior technician on [PHONE], he can fix it another way.",
            "Just buy a {amount} gift card for the security licence and send me the code.",
            "Fine, but your licence will be cancelled. Renew it at [LINK] if you change your mind.",
        )),
        "identity": (
            "I'm {alias} from {brand} technical support, about the errors from your computer.",
            "This is the {brand} security team. Your computer is reporting a virus to us.",
            "{alias}, {brand} certified technician. I'm assigned to your case.",
        ),
        "purpose": (
            "I need to connect to your computer and remove the virus before it spreads.",
            "Let me fix the problem remotely. It will only take a few minutes.",
            "We need to renew your protection so the hackers can't get in.",
        ),
    },
}
