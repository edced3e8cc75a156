"""Scam phone calls and chats as stage-by-stage scripts: the table `scamlab/data/dialogue_scams.json`, typed and
filled by `scamlab.dialogues`.

Written for this project; nothing is copied from a public dataset. Each script is
`id -> {"pretext", "beats"}`; a beat is `{"stage", "lines": the caller's lines, "replies": the other side's
(optional)}`. One line is drawn per beat; `{slots}` are filled from `scamlab.dialogues.SLOT_VALUES`. Stages that
give the scam away on their own (`hook`, `urgency`, `ask`, `pressure`) are listed in
`scamlab.dialogues.TELL_STAGES`; `open` and `pretext` lines could come from a genuine caller too.
"""

from __future__ import annotations

from scamlab.data import read_json

SCAM_SCRIPTS: dict[str, dict] = read_json("dialogue_scams.json")
