"""Genuine phone calls and chats, written for the same pretexts as the scams: the table
`scamlab/data/dialogue_genuine.json`, typed and filled by `scamlab.dialogues`.

Written for this project; nothing is copied from a public dataset. Same shape as `scamlab.dialogue_scams`.
Genuine callers verify politely (name, date of birth, postcode, the last digits of a card), never ask for a
code, a PIN, a password or a payment by gift card, and send you back to the number you already know.
"""

from __future__ import annotations

from scamlab.data import read_json

GENUINE_SCRIPTS: dict[str, dict] = read_json("dialogue_genuine.json")
