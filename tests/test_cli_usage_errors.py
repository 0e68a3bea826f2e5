"""Command lines that cannot be carried out: one usage error, exit 2, nothing written."""

from __future__ import annotations

import pytest

from conftest import MENUS, run_cli

BANK = MENUS / "bank.yaml"


@pytest.mark.parametrize("command", [
    ["simulate", BANK],
    ["sweep", BANK, "--vary", "queues.general.agents=5,6"],
    ["staff", BANK, "--target", "service_level>=0.8"],
    ["compare", BANK, BANK, "--simulate"],
])
def test_a_negative_seed_is_a_usage_error_before_any_work(command, tmp_path):
    out = tmp_path / "sweep-out"
    extra = ["--out", out] if command[0] == "sweep" else []
    result = run_cli(*command, *extra, "--seed", "-5")
    assert result.code == 2
    assert "argument --seed: must be 0 or more, got -5" in result.err
    assert "Traceback" not in result.err and "ValueError" not in result.err
    assert not out.exists()  # sweep made no half-made output folder
