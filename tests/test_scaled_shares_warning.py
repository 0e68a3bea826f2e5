"""Commands that run a menu whose intent (or language) shares do not sum to 1
say on stderr that they scale them, once, at the shares' place, and go on."""

from __future__ import annotations

import pytest
from conftest import ROOT, run_cli

BAD = ROOT / "menus" / "bad" / "intent-shares.yaml"  # intent shares 0.6 + 0.15 + 0.4
WARNING = f"{BAD}:21:5: warning: intent shares sum to 1.15; they are scaled to 1 for this run"
QUICK = ("--hours", "0.5", "--replications", "1", "--jobs", "1")


@pytest.mark.parametrize("command", [
    ("simulate", BAD, *QUICK),
    ("analyze", BAD),
    ("staff", BAD, "--target", "p_abandon<=0.5", "--no-confirm"),
], ids=lambda c: c[0])
def test_a_run_on_shares_that_miss_one_warns_once_and_goes_on(command):
    result = run_cli(*command)
    assert result.code == 0, result.err
    assert result.err.splitlines().count(WARNING) == 1, result.err


def test_a_sweep_warns_about_the_shares_of_its_menu(tmp_path):
    result = run_cli("sweep", BAD, "--vary", "queues.general.agents=5,6", *QUICK, "--out", tmp_path / "sw",
                     "--no-plots", "--quiet")
    assert result.code == 0, result.err
    assert result.err.splitlines().count(WARNING) == 1, result.err


def test_language_shares_get_the_same_warning(write):
    text = BAD.read_text(encoding="utf-8").replace("moving: {share: 0.15", "moving: {share: 0.0").replace(
        "  patience: 120\n", "  patience: 120\n  languages: {en: 0.5, lt: 0.3}\n")
    path = write("langs.yaml", text)
    line = text.splitlines().index("  languages: {en: 0.5, lt: 0.3}") + 1
    result = run_cli("analyze", path)
    assert result.code == 0 and result.err == (
        f"{path}:{line}:14: warning: language shares sum to 0.8; they are scaled to 1 for this run\n")


def test_shares_within_the_rules_tolerance_run_quietly(write):
    text = BAD.read_text(encoding="utf-8").replace("moving: {share: 0.15", "moving: {share: 0.0005")
    assert run_cli("analyze", write("nearly.yaml", text)).err == ""
