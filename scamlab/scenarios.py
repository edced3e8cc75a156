"""Modern scam scenarios for the role-play chat, stored as data.

Each `Scenario` gives the teacher a one-line description, gives the prompt
builder the scammer's goal and the target's profile, and carries the
scammer's opening messages (the chat's "AI opens"). Messages only ever use
placeholders such as ``[LINK]`` or ``[PHONE]``, never a real
contact point.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scenario:
    """One scam storyline the simulated scammer can play out."""

    id: str
    title: str
    description: str
    scammer_goal: str
    victim_profile: str
    openers: tuple[str, ...]


_SCENARIO_LIST: tuple[Scenario, ...] = (
    Scenario(
        id="bank",
        title="Bank account / one-time code",
        description=(
            "A fake bank fraud team says the account is at risk and asks for the code just "
            "texted."
        ),
        scammer_goal="Get the one-time security code so they can take over the bank account.",
        victim_profile="A busy adult who banks on their phone and worries about fraud.",
        openers=(
            (
                "Bank Security: a payment of £749.00 to a new payee was attempted. If this wasn't"
                " you, call [PHONE] now."
            ),
            (
                "Your account has been locked after unusual activity. Verify your identity at "
                "[LINK] within 24 hours."
            ),
            (
                "This is the fraud team at your bank. We need to confirm a code we just sent you "
                "to stop a transfer."
            ),
        ),
    ),
    Scenario(
        id="parcel",
        title="Parcel redelivery fee",
        description=(
            "A fake courier text says a parcel is held until a small redelivery fee is paid."
        ),
        scammer_goal=(
            "Get card details by asking for a tiny redelivery fee on a fake payment page."
        ),
        victim_profile="Someone who shops online and is often expecting a delivery.",
        openers=(
            (
                "Royal Mail: your parcel could not be delivered. Pay the £1.45 redelivery fee at "
                "[LINK]."
            ),
            (
                "Your package is on hold due to an incomplete address. Pay the £1.45 redelivery fee "
                "and update your details here: [LINK]"
            ),
        ),
    ),
    Scenario(
        id="prize",
        title="Prize or lottery win",
        description=(
            "A message says the target has won a prize but must pay a small fee to claim it."
        ),
        scammer_goal=(
            "Get a 'release fee' paid and collect personal details for a prize that does not "
            "exist."
        ),
        victim_profile="A hopeful person who enters online giveaways and competitions.",
        openers=(
            (
                "Congratulations! You have won a £1,000 voucher. Claim it today at [LINK] before "
                "it expires."
            ),
            (
                "You are our lucky winner! Reply YES to claim your £1,000 shopping voucher, just "
                "pay £2.99 delivery."
            ),
        ),
    ),
    Scenario(
        id="tech_support",
        title="Tech support",
        description=(
            "A fake Microsoft or Apple agent says the computer is infected and wants remote "
            "access."
        ),
        scammer_goal="Get remote access to the computer and charge for a fake repair.",
        victim_profile="An older person who is not confident with computers.",
        openers=(
            (
                "Microsoft Alert: your computer has a virus and your data is at risk. Call "
                "support on [PHONE] now."
            ),
            (
                "This is Windows technical support. Your laptop is sending us error messages. Can"
                " I fix it for you?"
            ),
        ),
    ),
    Scenario(
        id="romance",
        title="Romance",
        description=(
            "An online admirer builds trust over weeks, then needs money for an emergency."
        ),
        scammer_goal=(
            "Win the target's trust and affection, then ask for money for a made-up emergency."
        ),
        victim_profile="A lonely person using a dating app or social media.",
        openers=(
            "Hi, I saw your profile and you have such a kind smile. I'd love to get to know you.",
            (
                "Good morning beautiful, I have been thinking about you all night. Can we talk on"
                " WhatsApp?"
            ),
        ),
    ),
    Scenario(
        id="job",
        title="Job / task scam",
        description=(
            "An easy remote job pays small amounts at first, then asks for a deposit to unlock "
            "earnings."
        ),
        scammer_goal=(
            "Get the target to pay a 'deposit' to unlock earnings from a fake online task job."
        ),
        victim_profile="A student or job seeker looking for flexible part-time work.",
        openers=(
            (
                "Hi! Our HR team saw your CV. Earn £300 a day working from home, only 1 hour "
                "needed. Interested?"
            ),
            (
                "Part-time job: like videos and rate apps, earn £50 per task. Message me on "
                "Telegram to start."
            ),
        ),
    ),
    Scenario(
        id="investment",
        title="Investment / crypto",
        description=(
            "A friendly 'expert' promises guaranteed crypto profits on a fake trading site."
        ),
        scammer_goal=(
            "Get the target to move savings into a fake crypto trading account they control."
        ),
        victim_profile="Someone curious about crypto who wants to grow their savings fast.",
        openers=(
            (
                "My mentor's crypto plan doubled my money in 2 weeks. Guaranteed returns, want me"
                " to show you?"
            ),
            (
                "Invest £250 in our bitcoin trading platform today and earn up to 30% a week, "
                "risk free."
            ),
        ),
    ),
    Scenario(
        id="government",
        title="Government / tax",
        description=(
            "A fake tax office says the target owes tax or gets a refund and threatens arrest."
        ),
        scammer_goal=(
            "Scare the target into paying a fake tax debt, or steal bank details via a fake "
            "refund."
        ),
        victim_profile="A worker or pensioner who is nervous about official letters.",
        openers=(
            "HMRC: our records show £1,870 of unpaid tax on your account. Settle it today at [LINK].",
            (
                "Final notice: you owe unpaid tax. Pay today or a warrant will be issued for your"
                " arrest. Call [PHONE]."
            ),
        ),
    ),
    Scenario(
        id="family",
        title='Family emergency ("Hi Mum")',
        description=(
            "A message from a 'new number' claims to be the target's child needing money "
            "urgently."
        ),
        scammer_goal=(
            "Pretend to be the target's child and get an urgent bank transfer for a fake bill."
        ),
        victim_profile="A parent who would do anything to help their child.",
        openers=(
            (
                "Hi Mum, I dropped my phone in the toilet, this is my new number. Can you text me"
                " back?"
            ),
            (
                "Hi Mum it's me, I'm on a friend's phone. I need help paying a bill today, please"
                " don't tell Dad."
            ),
        ),
    ),
    Scenario(
        id="toll",
        title="Unpaid toll charge",
        description=(
            "A fake road-toll text says an unpaid charge will turn into a big fine unless paid "
            "today."
        ),
        scammer_goal="Get card details by asking the target to pay a small unpaid toll charge.",
        victim_profile="A driver who uses toll roads and may not remember every trip.",
        openers=(
            "You have an unpaid toll charge of £5.20. Pay now at [LINK] to avoid a £100 penalty.",
            (
                "Final reminder: your toll balance is overdue. Settle today or your vehicle may "
                "be flagged."
            ),
        ),
    ),
)

SCENARIOS: dict[str, Scenario] = {scenario.id: scenario for scenario in _SCENARIO_LIST}
DEFAULT_SCENARIO_ID = "bank"


def get_scenario(scenario_id: str) -> Scenario:
    """The scenario with this id; raises `ValueError` listing the valid ids."""
    try:
        return SCENARIOS[scenario_id]
    except KeyError:
        valid = ", ".join(SCENARIOS)
        raise ValueError(
            f"Unknown scenario id {scenario_id!r}; choose one of: {valid}"
        ) from None
