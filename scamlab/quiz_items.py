"""Quiz items for "scam or not?": single messages and short conversations, about half scams and half genuine.

The genuine ones are chosen to look like scams at first glance (urgency, a prize, a new number, a bank), so a
student who cries wolf at every alarming word loses points for false alarms. Each item carries the right
answer, the tactic (or the scam look-alike it resembles) and one sentence on what gave it away or why it is fine.
Contact points are placeholders (`[LINK]`, `[PHONE]`), as everywhere in scamlab. Content only, no logic.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class QuizItem:
    """One thing to judge: who it seems to come from, its lines (speaker, text), and the answer with the why."""

    id: str
    source: str  # how it arrived, e.g. "Text message from an unknown number"
    lines: tuple[tuple[str, str], ...]  # (speaker, text); one line with speaker "" for a single message
    is_scam: bool
    tactic: str
    why: str

    @property
    def is_conversation(self) -> bool:
        """A short exchange rather than one message."""
        return len(self.lines) > 1

    @property
    def text(self) -> str:
        """The whole item as plain text: the message, or `Speaker: line` per line (what the classifier reads)."""
        return "\n".join(f"{speaker}: {line}" if speaker else line for speaker, line in self.lines)

    @property
    def answer(self) -> str:
        """The right answer as the student chooses it: "scam" or "genuine"."""
        return "scam" if self.is_scam else "genuine"


def _message(item_id: str, source: str, text: str, is_scam: bool, tactic: str, why: str) -> QuizItem:
    return QuizItem(item_id, source, (("", text),), is_scam, tactic, why)


def _conversation(item_id: str, source: str, lines: tuple[tuple[str, str], ...], is_scam: bool, tactic: str,
                  why: str) -> QuizItem:
    return QuizItem(item_id, source, lines, is_scam, tactic, why)


QUIZ_ITEMS: tuple[QuizItem, ...] = (
    # --- scams ---------------------------------------------------------------------------------------------
    _message("parcel-fee", "Text message from an unknown number",
             "Royal Mail: your parcel is held at our depot due to an unpaid £1.45 shipping fee. "
             "Pay within 24 hours or it will be returned to sender: [LINK]",
             True, "Small fee, fake payment page",
             "A tiny fee, a deadline and a payment link in a text: the page exists to collect your card details."),
    _conversation("bank-code", "Phone call from a number that shows your bank's name", (
        ("Caller", "Hello, this is the fraud team at your bank. We've just blocked a payment of £840 to an online shop."),
        ("You", "What? I didn't buy anything!"),
        ("Caller", "Don't worry, we can cancel it. Please read me the 6-digit code we've just sent you to confirm it's you."),
    ), True, "Fraud-team impersonation, asks for a one-time code",
        "No bank ever asks you to read out a one-time code: whoever has it can approve payments from your account."),
    _message("hi-mum", "WhatsApp message from a new number",
             "Hi Mum, I dropped my phone down the toilet, this is my new number. Can you help me pay a bill today? "
             "It's urgent, I'll pay you back tomorrow. Don't tell Dad x",
             True, "\"Hi Mum\": family member in trouble",
             "A new number, an urgent money request and \"don't tell\" together: call the old number to check."),
    _message("job-likes", "Text message from an unknown number",
             "Hello! We found your CV online. Earn £300 a day from home just by liking videos. "
             "Message our manager on WhatsApp to start today, places are limited!",
             True, "Job too good to be true",
             "Nobody pays £300 a day for likes; these \"jobs\" end with you paying a fee to withdraw your earnings."),
    _conversation("crypto-friend", "Instagram direct messages from a stranger", (
        ("Mia", "Hi! Sorry to message out of the blue, I love your photos. I made £4,000 last week with a crypto coach."),
        ("You", "Really? How?"),
        ("Mia", "He guarantees 30% a week. Send him £250 in Bitcoin to start, but keep it between us, the spots are secret."),
    ), True, "Investment bait from a friendly stranger",
        "Guaranteed profits, payment in crypto and secrecy: real investments never promise returns like that."),
    _message("tax-refund", "Text message",
             "HMRC: You are owed a tax refund of £326.20. To receive it, confirm your bank details before midnight: [LINK]",
             True, "Government impersonation, refund bait",
             "Tax offices do not text refund links; a deadline plus \"confirm your bank details\" is phishing."),
    _message("tech-support", "Pop-up in the web browser",
             "MICROSOFT SECURITY ALERT: Your computer is infected with 3 viruses! Do not turn off your computer. "
             "Call Microsoft Support now on [PHONE] to avoid losing your files.",
             True, "Fake tech support",
             "Microsoft never puts a phone number in a pop-up; the \"support\" will ask for remote access and payment."),
    _message("boss-gift-cards", "E-mail from the head teacher's name, at a free e-mail address",
             "Hi, it's Sarah. I'm stuck in a meeting and need 5 Amazon gift cards of £50 for staff prizes. "
             "Can you buy them now and send me the codes? I'll pay you back. Keep it quiet, it's a surprise.",
             True, "Boss impersonation, gift cards",
             "A boss who wants gift-card codes by e-mail, quickly and quietly, is a scammer: gift cards cannot be traced."),
    _conversation("marketplace-overpay", "Messages about a bike you are selling online", (
        ("Buyer", "I'll take the bike for £150. I've sent £350 by mistake, here is the screenshot."),
        ("You", "Oh, I haven't seen it in my account yet."),
        ("Buyer", "It can take a day. Please send back the £200 difference today by bank transfer, I need it for rent."),
    ), True, "Overpayment refund",
        "The \"payment\" is only a screenshot; the refund you send is real money, and it is gone."),
    _message("prize-postage", "Text message from an unknown number",
             "Congratulations! You have been selected to win the new iPhone 17. Just pay £2 postage to claim your prize: [LINK]",
             True, "Prize you never entered",
             "You cannot win a draw you never entered; the \"postage\" page takes your card details."),
    _message("toll-penalty", "Text message",
             "Unpaid toll notice: £6.99 outstanding for your vehicle. Pay today to avoid a £50 penalty: [LINK]",
             True, "Fine or penalty threat",
             "A threat of a bigger penalty and a payment link in a text; real toll operators send letters and use their own site."),
    _conversation("romance-flight", "Dating app, after three weeks of chatting", (
        ("Daniel", "I can't stop thinking about you. I'm finishing my contract on the oil rig next month."),
        ("You", "I can't wait to finally meet!"),
        ("Daniel", "Me neither, but my bank card is blocked out here. Could you send £600 for my flight home? Move to WhatsApp, the app reads our chats."),
    ), True, "Romance scam",
        "Someone you have never met asking for money, and to move to a private app, is the classic romance scam."),
    # --- genuine (but alarming at first glance) ---------------------------------------------------------------
    _message("bank-check-payment", "Text message from your bank's usual number",
             "Did you just try to pay £49.99 to STEAMGAMES? Reply Y if it was you or N if not. "
             "We will never ask you for a code, PIN or password.",
             False, "Looks like: bank alert",
             "It only asks yes or no, has no link, and reminds you never to share a code: a real fraud check."),
    _message("login-code", "Text message, right after you asked to log in",
             "Your verification code is 482913. Do not share this code with anyone, not even us.",
             False, "Looks like: one-time code request",
             "You asked for this code a moment ago, and the message tells you not to share it: that is how real codes arrive."),
    _message("parcel-slot", "Text message from the delivery company",
             "DPD: Your parcel will arrive tomorrow between 10:15 and 11:15. Track it in the DPD app.",
             False, "Looks like: parcel text",
             "No fee, no link, nothing to pay or type: it just tells you when the parcel comes."),
    _conversation("friend-new-number", "WhatsApp message from a new number", (
        ("Jamie", "Hey, it's Jamie! New number, my old phone died. Save this one."),
        ("You", "How do I know it's really you?"),
        ("Jamie", "Fair question! Call me now and you'll hear me. See you at football on Thursday."),
    ), False, "Looks like: \"new number\"",
        "Jamie asks for nothing and offers a call to prove it: a new number alone is not a scam, a money request would be."),
    _message("school-closed", "Text message from the school",
             "URGENT: School is closed today because of a burst water pipe. Please collect your child by 1pm. "
             "Updates on the school website.",
             False, "Looks like: urgent warning",
             "Urgent, but it asks for no money, code or click: it only tells you to do something you can check yourself."),
    _message("raffle-win", "Text message from the school office",
             "Great news: you won the hamper in the summer fair raffle! Collect it from the school office any day this week.",
             False, "Looks like: prize",
             "You bought a raffle ticket, and collecting the prize costs nothing: no fee, no details, no link."),
    _message("password-reset", "E-mail, just after you clicked \"forgot password\"",
             "You asked to reset your password. Open the app and enter the code from this e-mail. "
             "If this wasn't you, ignore this e-mail: your password stays the same.",
             False, "Looks like: account warning",
             "You asked for it, it sends you to the app you already use, and it tells you what to do if it was not you."),
    _message("doctor-reminder", "Text message from your GP surgery",
             "Reminder: appointment with Dr Patel on Tuesday at 09:40. Reply CANCEL if you cannot attend.",
             False, "Looks like: reply-to-this text",
             "A reminder of an appointment you booked, asking only for an optional reply: nothing to pay or share."),
    _conversation("dad-cinema", "Messages from Dad's usual number", (
        ("Dad", "Can you send me the £15 for your cinema ticket? I paid for both of us."),
        ("You", "Sure, which account?"),
        ("Dad", "Same as always, the one in my name. No rush, see you at dinner."),
    ), False, "Looks like: family asks for money",
        "His usual number, money you really owe for something you did together, and \"no rush\": no pressure, no new account."),
    _message("interview-invite", "E-mail from the bakery where you applied",
             "Hi, thanks for applying for the Saturday assistant job at Green's Bakery. Could you come for a 15-minute "
             "interview on Friday at 4pm? Reply to confirm.",
             False, "Looks like: job offer",
             "You applied for this job, and they invite you to an interview in person: nobody asks you to pay or sign up."),
    _message("card-frozen", "Text message from your bank's usual number",
             "We've paused your card after unusual activity. Please call us on the number on the back of your card.",
             False, "Looks like: account blocked",
             "It sends you to the number printed on your own card, not to a link or a number in the message."),
)

QUIZ_ITEMS_BY_ID: dict[str, QuizItem] = {item.id: item for item in QUIZ_ITEMS}
