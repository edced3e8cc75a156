"""Message templates for the generator (`scamlab.corpus`), scam and genuine, grouped by family and channel.

Written for this project. The templates are the table `scamlab/data/corpus_templates.json`. `{slot}` is filled
from `scamlab.corpus_tables` (see `corpus.SLOT_FILLERS`); `{a|b|c}` picks one option; braces nest
(`{Hi {name}|Dear customer}`). Whole templates are held out for validation, so each family has several unlike
templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from scamlab.data import read_json


@dataclass(frozen=True)
class TemplateGroup:
    """Templates of one family: scam or genuine, the channel they are written for, the brands they name."""

    family: str  # the kind of message, e.g. a parcel fee scam; names its templates ("family/3")
    is_spam: bool
    channel: str  # "sms", "email", "dm", "comment" or "voicemail"; an SMS may start with the brand's sender id
    brand_kinds: tuple[str, ...]  # which brands from the brands table may fill {brand}
    templates: tuple[str, ...]  # with "{a|b}" choices and {slots}; whole templates are held out for validation


def _groups(entries: Sequence[Mapping[str, object]], is_spam: bool) -> tuple[TemplateGroup, ...]:
    """The groups of one label from the data file's entries (`family`, `channel`, `brand_kinds`, `templates`)."""
    return tuple(TemplateGroup(entry["family"], is_spam, entry["channel"], tuple(entry["brand_kinds"]),
                               tuple(entry["templates"])) for entry in entries)


_TABLE = read_json("corpus_templates.json")
SCAM_GROUPS: tuple[TemplateGroup, ...] = _groups(_TABLE["scam"], True)
GENUINE_GROUPS: tuple[TemplateGroup, ...] = _groups(_TABLE["genuine"], False)
