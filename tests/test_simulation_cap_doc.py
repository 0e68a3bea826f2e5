"""The cap on calls a simulation run may hold is documented with its number
and what to do instead, and the command stops at it before simulating."""

from __future__ import annotations

from conftest import ROOT, run_cli

from ivrlint.sim.runner import MAX_CALLS


def test_the_readme_states_the_cap_and_what_to_do_instead():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cap = readme.index(f"at most {MAX_CALLS:,} calls")
    said = readme[cap:cap + 900]
    assert "1.3 KB" in said and "fewer replications" in said and "sweep" in said


def test_a_run_over_the_cap_stops_before_simulating_with_exit_2():
    result = run_cli("simulate", ROOT / "menus" / "bank.yaml", "--hours", "24", "--replications", "120")
    assert result.code == 2 and result.out == ""
    assert f"(more than {MAX_CALLS:,})" in result.err
