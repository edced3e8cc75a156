"""Figures on labelled sets: ROC AUC, calibration, and the breakdown by a `source` column."""

from __future__ import annotations

import io

import pytest

from scamlab.engine.evaluation import (
    LabelledMessage,
    evaluation_report,
    expected_calibration_error,
    read_labelled_csv,
    reliability_bins,
    roc_auc,
)


def test_roc_auc_counts_pairs_and_ties_half():
    assert roc_auc([True, False], [0.9, 0.1]) == 1.0
    assert roc_auc([True, False], [0.1, 0.9]) == 0.0
    assert roc_auc([True, False, True, False], [0.5, 0.5, 0.5, 0.5]) == 0.5
    assert roc_auc([True, False, True, False], [0.9, 0.1, 0.4, 0.5]) == 0.75
    assert roc_auc([True, True], [0.9, 0.8]) is None


def test_calibration_error_is_zero_when_probabilities_match_frequencies_and_large_when_not():
    truth = [True] * 7 + [False] * 3 + [True] * 2 + [False] * 8
    calibrated = [0.7] * 10 + [0.2] * 10
    assert expected_calibration_error(truth, calibrated) == pytest.approx(0.0, abs=1e-9)
    assert expected_calibration_error(truth, [0.99] * 10 + [0.01] * 10) == pytest.approx(0.24, abs=1e-3)
    bins = reliability_bins(truth, calibrated)
    assert [(row["n"], row["spam_share"]) for row in bins] == [(10, 0.2), (10, 0.7)]


def test_the_report_breaks_figures_down_by_source():
    messages = [LabelledMessage("a", True, "smishing"), LabelledMessage("b", False, "smishing"),
                LabelledMessage("c", True, "comments"), LabelledMessage("d", False, "comments")]
    report = evaluation_report(messages, [0.9, 0.2, 0.3, 0.1])
    assert report["n"] == 4 and report["roc_auc"] == 1.0 and "ece" in report
    assert report["by_source"]["smishing"]["recall"] == 1.0
    assert report["by_source"]["comments"]["recall"] == 0.0 and report["by_source"]["comments"]["roc_auc"] == 1.0


def test_a_csv_source_column_is_read_and_optional():
    with_source = read_labelled_csv(io.StringIO("label,text,source\nspam,Win now,sms-2023\nham,hi,\n"))
    assert [(m.is_spam, m.source) for m in with_source] == [(True, "sms-2023"), (False, "")]
    without = read_labelled_csv(io.StringIO("text,label\nhello,ham\n"))
    assert without == [LabelledMessage("hello", False)]
    assert "by_source" not in evaluation_report(without, [0.1])
