"""The caps on calls a simulation run may hold are documented with their
numbers and what to do instead, and the command stops at them before simulating."""

from __future__ import annotations

from conftest import ROOT, run_cli

from ivrlint.sim.runner import MAX_CALLS, MAX_RECORDED_CALLS


def test_the_readme_states_the_caps_and_what_to_do_instead():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    cap = readme.index(f"at most {MAX_CALLS:,} calls")
    said = readme[cap - 100:cap + 1100]
    assert "One replication simulates" in said and "56 bytes a call" in said and "more replications" in said
    assert f"at most {MAX_RECORDED_CALLS:,} calls in all" in said and "--report" in said and "sweep" in said


def test_a_replication_over_the_cap_stops_before_simulating_with_exit_2():
    result = run_cli("simulate", ROOT / "menus" / "bank.yaml", "--hours", "30000", "--replications", "1")
    assert result.code == 2 and result.out == ""
    assert f"(more than {MAX_CALLS:,}); use fewer --hours and more --replications" in result.err


def test_a_run_keeping_every_record_for_a_report_stops_at_its_own_cap(tmp_path):
    result = run_cli("simulate", ROOT / "menus" / "bank.yaml", "--hours", "24", "--replications", "120",
                     "--report", tmp_path / "report")
    assert result.code == 2 and result.out == ""
    assert f"(more than {MAX_RECORDED_CALLS:,})" in result.err and "leave out --report" in result.err
