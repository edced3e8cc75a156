"""The "spot the turn" drill: the student's pick against the meter's, and the red flag that gave it away."""

from __future__ import annotations

import pytest

from scamlab.drill import spot_the_turn

PARCEL = [
    {"role": "them", "content": "Hello, this is the delivery team. We missed you today."},
    {"role": "me", "content": "Oh, which parcel?"},
    {"role": "them", "content": "Your online order. Pay the £2.99 redelivery fee at [LINK] today."},
    {"role": "me", "content": "Can't you just leave it?"},
    {"role": "them", "content": "Send the code we texted you to confirm."},
]


@pytest.mark.parametrize("spotted, meter, verdict", [
    (1, 3, "You spotted it 2 messages before the meter (message 1 vs 3)."),
    (5, 3, "The meter spotted it 2 messages before you (message 3 vs 5)."),
    (3, 3, "You and the meter both spotted it at message 3."),
    (None, 3, "You never became suspicious; the meter crossed its line at message 3."),
    (4, None, "You became suspicious at message 4; the meter never crossed its line."),
    (None, None, "You and the meter agree: this conversation never turned into a scam."),
])
def test_the_verdict_says_who_spotted_it_first(spotted, meter, verdict):
    assert spot_the_turn(PARCEL, {"first_flag_turn": meter}, spotted).verdict == verdict


def test_the_giveaway_is_their_first_flagged_message_up_to_the_later_pick():
    outcome = spot_the_turn(PARCEL, {"first_flag_turn": 5}, 2)
    assert outcome.giveaway == 3 and "Link to click" in outcome.giveaway_flags
    early = spot_the_turn(PARCEL, {"first_flag_turn": None}, 1)
    assert early.giveaway is None and early.giveaway_flags == ()  # nothing flagged in message 1


def test_your_own_messages_never_give_it_away():
    mine = [{"role": "me", "content": "Send the code we texted you."}, {"role": "them", "content": "Thanks, all done."}]
    assert spot_the_turn(mine, {"first_flag_turn": None}, 2).giveaway is None


@pytest.mark.parametrize("spotted", [0, 6, -1])
def test_a_pick_outside_the_conversation_is_refused(spotted):
    with pytest.raises(ValueError, match="between 1 and 5"):
        spot_the_turn(PARCEL, {"first_flag_turn": 3}, spotted)
