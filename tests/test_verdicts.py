"""Tests for scamlab.verdicts: probability bands and scam-type tags."""

import math

import pytest

from scamlab.verdicts import (
    SCAM_TAGS,
    VERDICT_BANDS,
    scam_tags,
    verdict_bands_markdown,
    verdict_for,
)


@pytest.mark.parametrize(
    ("probability", "verdict"),
    [
        (0.0, "Most Certainly Safe"),
        (0.0999, "Most Certainly Safe"),
        (0.1, "Safe"),
        (0.3999, "Safe"),
        (0.4, "Unknown"),
        (0.5999, "Unknown"),
        (0.6, "Scam"),
        (0.8999, "Scam"),
        (0.9, "Most Certainly Scam"),
        (1.0, "Most Certainly Scam"),
    ],
)
def test_verdict_band_edges(probability: float, verdict: str) -> None:
    assert verdict_for(probability) == verdict


@pytest.mark.parametrize("probability", [-0.01, 1.01, -1.0, 2.0, math.nan, math.inf])
def test_out_of_range_probability_is_rejected(probability: float) -> None:
    with pytest.raises(ValueError):
        verdict_for(probability)


def test_bands_are_ordered_and_cover_zero() -> None:
    bounds = [band.lower_bound for band in VERDICT_BANDS]
    assert bounds == sorted(bounds, reverse=True)
    assert bounds[-1] == 0.0
    assert len({band.label for band in VERDICT_BANDS}) == len(VERDICT_BANDS) == 5


def test_bands_markdown_documents_every_band() -> None:
    lines = verdict_bands_markdown().splitlines()
    assert len(lines) == 2 + len(VERDICT_BANDS)
    assert lines[2] == f"| 0.90 to 1.00 | Most Certainly Scam | {VERDICT_BANDS[0].meaning} |"
    assert lines[-1].startswith("| 0.00 to under 0.10 | Most Certainly Safe |")


@pytest.mark.parametrize(
    ("message", "expected_tags"),
    [
        ("Never share your password or one-time code.", ["Credentials / phishing"]),
        ("Your bank has blocked a new payee.", ["Banking"]),
        ("Your parcel is waiting, pay the redelivery fee.", ["Delivery"]),
        ("Congratulations, you've won the lottery!", ["Prize / lottery"]),
        ("Guaranteed returns if you invest in bitcoin.", ["Investment / crypto"]),
        ("Good morning darling, I miss you.", ["Romance"]),
        ("Microsoft found a virus on your computer.", ["Tech support"]),
        ("Part-time job: earn £300 per day.", ["Job / task"]),
        ("HMRC says you owe tax.", ["Government / tax"]),
        ("Hi Mum, I lost my phone.", ["Family emergency"]),
        ("You have an unpaid toll, pay to avoid a penalty.", ["Toll / fines"]),
        (
            "Verify your account at your bank to claim your prize.",
            ["Credentials / phishing", "Banking", "Prize / lottery"],
        ),
        ("See you at football practice at 5.", []),
        ("I'm fine, thanks for asking.", []),
        ("", []),
    ],
)
def test_scam_tags_for_sample_messages(message: str, expected_tags: list[str]) -> None:
    assert scam_tags(message) == expected_tags


def test_tag_ids_and_labels_are_unique() -> None:
    assert len(SCAM_TAGS) == 11
    assert len({tag.id for tag in SCAM_TAGS}) == len({tag.label for tag in SCAM_TAGS}) == 11
