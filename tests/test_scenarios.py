"""Tests for scamlab.scenarios: every scenario is complete and classroom-safe."""

import pytest

from scamlab.safety import CONTACT_PLACEHOLDERS, contains_contact_point
from scamlab.scenarios import DEFAULT_SCENARIO_ID, SCENARIOS, Scenario, get_scenario

REQUIRED_IDS = [
    "bank",
    "parcel",
    "prize",
    "tech_support",
    "romance",
    "job",
    "investment",
    "government",
    "family",
]
ALL_SCENARIOS = list(SCENARIOS.values())


def _messages(scenario: Scenario) -> list[str]:
    return list(scenario.openers)


def test_required_scenarios_exist_in_display_order() -> None:
    ids = list(SCENARIOS)
    assert ids[: len(REQUIRED_IDS)] == REQUIRED_IDS
    assert len(ids) >= 9
    assert ids[0] == DEFAULT_SCENARIO_ID == "bank"


@pytest.mark.parametrize("scenario", ALL_SCENARIOS, ids=lambda scenario: scenario.id)
def test_scenario_is_complete(scenario: Scenario) -> None:
    assert SCENARIOS[scenario.id] is scenario
    one_liners = (
        scenario.title,
        scenario.description,
        scenario.scammer_goal,
        scenario.victim_profile,
    )
    for one_liner in one_liners:
        assert one_liner.strip() and "\n" not in one_liner
    assert 2 <= len(scenario.openers) <= 3
    assert all(opener.strip() for opener in scenario.openers)


@pytest.mark.parametrize("scenario", ALL_SCENARIOS, ids=lambda scenario: scenario.id)
def test_messages_are_short(scenario: Scenario) -> None:
    for message in _messages(scenario):
        assert len(message) <= 160, message


@pytest.mark.parametrize("scenario", ALL_SCENARIOS, ids=lambda scenario: scenario.id)
def test_messages_have_no_real_contact_point(scenario: Scenario) -> None:
    for message in _messages(scenario):
        assert not contains_contact_point(message), message


def test_some_openers_use_placeholders() -> None:
    openers = [opener for scenario in ALL_SCENARIOS for opener in scenario.openers]
    assert any(placeholder in opener for opener in openers for placeholder in CONTACT_PLACEHOLDERS)


@pytest.mark.parametrize("scenario_id", list(SCENARIOS))
def test_get_scenario_returns_scenario(scenario_id: str) -> None:
    assert get_scenario(scenario_id).id == scenario_id


@pytest.mark.parametrize("bad_id", ["", "Bank", "crypto", "unknown"])
def test_get_scenario_rejects_unknown_id(bad_id: str) -> None:
    with pytest.raises(ValueError) as error:
        get_scenario(bad_id)
    message = str(error.value)
    assert repr(bad_id) in message
    assert all(scenario_id in message for scenario_id in SCENARIOS)
