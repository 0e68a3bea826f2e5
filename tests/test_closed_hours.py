"""Closed hours, one truth (issue 12, part 1).

A flat ``calls_per_hour`` holds around the clock, so a pool that keeps
``hours`` gets callers while it is shut, in the flat and in the hourly form
alike; ``analyze`` and a whole-day ``simulate`` agree on how many find it
shut (``p_closed``) and are disconnected; ``simulate`` runs that whole day
unless told otherwise; and ``closed-pool`` (T307) says so before anyone
simulates.
"""

from __future__ import annotations

import doctest
import json

import pytest
from conftest import findings, menu, run_cli

import ivrlint.analysis.traffic as traffic_module
from ivrlint.analysis import analyze_menu
from ivrlint.lint.rules.closed_pool import handles_hours
from ivrlint.menu.model import Branch, Node
from ivrlint.sim import run_simulation
from ivrlint.sim.runner import default_hours, default_start_hour

#: Calls around the clock; a service pool open 08:00-18:00 behind 0, the
#: balance task's failure and the menu's own failure.
LINE = """
ivr: closed-line
start: main
nodes:
  main:
    type: menu
    prompt: For your balance, press 1. To speak with someone, press 0. To hear these options again, press 9.
    options: {1: balance, 0: agent, 9: {action: repeat}}
    on_failure: agent
  balance: {type: self_service, duration: 40, success: 0.8, next: bye, on_failure: agent}
  agent: {type: queue, queue: service}
  bye: {type: hangup}
queues:
  service: {agents: 4, handle_time: {mean: 4m, distribution: exponential}, hours: "08:00-18:00"}
traffic:
  calls_per_hour: RATE
  patience: {mean: 2m, distribution: exponential}
  intents:
    balance: {share: 0.7, goal: balance}
    talk: {share: 0.3, goal: agent}
"""

#: 24 hourly rates, midnight first: quiet nights, a busy open day, an evening after closing.
HOURLY = [5] * 8 + [60] * 10 + [20] * 6
HOURLY_CLOSED = (5 * 8 + 20 * 6) / (5 * 8 + 60 * 10 + 20 * 6)


def line(rate="40", hours='"08:00-18:00"') -> str:
    text = LINE.replace("RATE", rate)
    return text.replace('"08:00-18:00"', hours) if hours else text.replace(', hours: "08:00-18:00"', "")


def hourly(rates=HOURLY) -> str:
    return line("[" + ", ".join(map(str, rates)) + "]")


def closed_pool(text: str):
    return findings(text, "closed-pool")


# -- the figures: a flat rate holds around the clock ----------------------------------------------------------


def test_a_flat_rate_sends_a_pool_open_ten_hours_the_callers_of_the_other_fourteen():
    figures = analyze_menu(menu(line()), paths=False)
    pool = figures["queues"]["service"]
    assert pool["p_closed"] == pytest.approx(14 / 24)
    reach = sum(figures["visits"][name]["agent"] * share for name, share in (("balance", 0.7), ("talk", 0.3)))
    assert figures["overall"]["p_closed"] == pytest.approx(reach * 14 / 24)
    # the callers who find it shut are disconnected by the menu, as in the simulation
    unshut = analyze_menu(menu(line(hours=None)), paths=False)["overall"]
    assert figures["overall"]["p_disconnected"] == pytest.approx(unshut["p_disconnected"] + reach * 14 / 24)


def test_a_pool_open_all_day_finds_no_caller_at_a_closed_door():
    for text in (line(hours=None), line(hours='"00:00-24:00"')):
        figures = analyze_menu(menu(text), paths=False)
        assert figures["queues"]["service"]["p_closed"] == 0.0
        assert figures["overall"]["p_closed"] == 0.0


def test_the_hourly_form_gives_the_share_of_the_day_s_calls_that_arrive_while_it_is_shut():
    pool = analyze_menu(menu(hourly()), paths=False)["queues"]["service"]
    assert pool["p_closed"] == pytest.approx(HOURLY_CLOSED)
    flat_day = analyze_menu(menu(hourly([40] * 24)), paths=False)["queues"]["service"]
    assert flat_day["p_closed"] == pytest.approx(analyze_menu(menu(line()), paths=False)["queues"]["service"]["p_closed"])


def test_while_open_a_pool_s_figures_are_those_of_its_rate_and_are_no_longer_called_exact():
    shut = analyze_menu(menu(line()), paths=False)["queues"]["service"]
    always = analyze_menu(menu(line(hours=None)), paths=False)["queues"]["service"]
    for metric in ("p_wait", "p_abandon", "mean_wait", "service_level", "occupancy", "offered_load", "open_calls_per_hour"):
        assert shut[metric] == pytest.approx(always[metric]), metric
    assert always["exact"] is True  # exponential times, one rate, never shut: Erlang A's steady state
    assert shut["exact"] is False  # it opens empty every morning


def test_open_hours_doctest():
    assert doctest.testmod(traffic_module).failed == 0


# -- the simulation agrees ------------------------------------------------------------------------------------


def check_simulation_agrees(text: str, replications: int) -> None:
    model = menu(text)
    result = run_simulation(model, replications=replications, seed=5, jobs=1)
    assert result.params["hours"] == 24.0 and result.params["start_hour"] == 0.0
    exact = analyze_menu(model, paths=False)
    simulated = result.metrics
    pairs = [(simulated["queues"]["service"]["p_closed"], exact["queues"]["service"]["p_closed"]),
             (simulated["overall"]["p_closed"], exact["overall"]["p_closed"]),
             (simulated["overall"]["p_disconnected"], exact["overall"]["p_disconnected"])]
    for figure, expected in pairs:
        low, high = figure["ci95"]
        assert low <= expected <= high, (figure, expected)
        assert high - low < 0.03  # tight enough that reading the flat rate as open hours only (0%) is far outside


def test_a_day_simulated_agrees_with_the_analysis_on_calls_at_a_closed_pool_flat_rate():
    check_simulation_agrees(line("40"), replications=30)


def test_a_day_simulated_agrees_with_the_analysis_on_calls_at_a_closed_pool_hourly_rates():
    check_simulation_agrees(hourly(), replications=30)


@pytest.mark.slow
@pytest.mark.parametrize("form", ["flat", "hourly"])
def test_many_days_simulated_agree_with_the_analysis_on_calls_at_a_closed_pool(form):
    check_simulation_agrees(line("40") if form == "flat" else hourly(), replications=150)


def test_the_simulation_counts_callers_at_a_closed_pool_apart_among_the_disconnected():
    overall = run_simulation(menu(line("40")), replications=2, seed=2, jobs=1).metrics["overall"]
    assert 0 < overall["p_closed"]["mean"] <= overall["p_disconnected"]["mean"]
    never = run_simulation(menu(line("40", hours=None)), hours=4, replications=2, seed=2, jobs=1).metrics["overall"]
    assert never["p_closed"]["mean"] == 0.0


# -- simulate's default run covers the day analyze covers -----------------------------------------------------


def test_the_default_run_is_a_day_when_a_pool_shuts_or_the_rate_varies_by_hour():
    assert default_hours(menu(line())) == 24.0
    assert default_hours(menu(hourly([40] * 24).replace(', hours: "08:00-18:00"', ""))) == 24.0
    assert default_hours(menu(line(hours=None))) == 8.0
    assert default_hours(menu(line(hours='"00:00-24:00"'))) == 8.0  # open all day: nothing to miss


def test_a_day_starts_at_midnight_and_a_shorter_run_of_a_flat_rate_when_the_pools_open():
    model = menu(line())
    assert default_start_hour(model, 24.0) == 0.0
    assert default_start_hour(model, 8.0) == 8.0
    assert default_start_hour(menu(hourly()), 8.0) == 0.0  # hourly rates follow the clock from midnight


def test_simulate_without_hours_runs_the_day_and_with_hours_runs_what_it_is_told(write):
    path = write("line.yaml", line("4"))
    day = run_cli("simulate", path, "--replications", "1", "--jobs", "1", "--quiet", "--format", "json")
    assert day.code == 0, day.err
    assert json.loads(day.out)["params"]["hours"] == 24.0
    short = run_cli("simulate", path, "--hours", "2", "--replications", "1", "--jobs", "1", "--quiet")
    assert short.code == 0, short.err
    assert short.out.splitlines()[0].startswith(f"{path}: simulated 2 h from 08:00, 1 replication")
    plain = run_cli("simulate", write("open.yaml", line("4", hours=None)), "--replications", "1", "--jobs", "1", "--quiet",
                    "--format", "json")
    assert json.loads(plain.out)["params"]["hours"] == 8.0


def test_simulate_help_says_when_the_default_run_is_a_day():
    text = " ".join(run_cli("simulate", "--help").out.split())
    assert "default: 24 when a pool keeps hours that shut it for part of the day or calls_per_hour lists 24" in text


def test_the_text_tables_show_the_callers_at_a_closed_pool_under_the_disconnected(write):
    out = run_cli("analyze", write("line.yaml", line())).out.splitlines()
    row = next(i for i, text in enumerate(out) if text.strip().startswith("disconnected by the menu"))
    assert out[row + 1].strip().startswith("...at a closed pool")
    assert out[row + 1].split()[-1] == "27.2%"


def test_the_report_s_overall_cards_show_disconnected_and_closed():
    from ivrlint.report.page import render_page

    result = run_simulation(menu(line("20")), replications=2, seed=1, jobs=1)
    page = render_page(menu=menu(line("20")), findings=[], metrics=result.metrics, analysis=None, params=result.params,
                       overrides=[], command="ivrlint simulate line.yaml", figures=[])
    overall = page.split("<h2>Overall</h2>")[1].split("</div></div>")[0]
    for metric, label in (("p_disconnected", "disconnected by the menu"), ("p_closed", "disconnected at a closed pool")):
        shown = f'{result.metrics["overall"][metric]["mean"] * 100:.1f}%'
        assert f'<div class="card"><abbr title="{metric}">{label}</abbr><b>{shown}</b>' in overall


# -- closed-pool (T307) ---------------------------------------------------------------------------------------


def test_closed_pool_names_the_pool_its_closed_hours_the_share_of_calls_then_and_what_to_add():
    (finding,) = closed_pool(line())
    assert (finding.node, finding.severity, finding.code) == ("agent", "warning", "T307")
    assert finding.line == 11  # the queue node callers reach
    message = finding.message
    assert message.startswith("pool 'service' is shut 18:00-08:00, when 58.3% of the day's calls arrive;")
    assert "callers who reach queue 'agent' then are disconnected (27.2% of all calls)" in message
    assert "add a branch on hours before 'agent' (`when: \"08:00-18:00\"`)" in message
    assert "a message, a voicemail or a callback" in message


def test_closed_pool_quotes_the_share_the_hourly_rates_give():
    (finding,) = closed_pool(hourly())
    assert f"when {100 * HOURLY_CLOSED:.1f}% of the day's calls arrive" in finding.message


@pytest.mark.parametrize("hours, shut", [('"9-24"', "00:00-09:00"), ('"00:00-17:30"', "17:30-24:00")])
def test_closed_pool_writes_the_closed_hours_as_a_clock_shows_them(hours, shut):
    (finding,) = closed_pool(line(hours=hours))
    assert f"is shut {shut}," in finding.message


@pytest.mark.parametrize("text", [line(hours=None), line(hours='"00:00-24:00"'), hourly([0] * 8 + [60] * 10 + [0] * 6)],
                         ids=["no hours", "open all day", "no calls while shut"])
def test_closed_pool_is_silent_when_no_caller_arrives_while_the_pool_is_shut(text):
    assert closed_pool(text) == []


def test_closed_pool_is_silent_without_traffic():
    text = line().split("traffic:")[0]
    assert closed_pool(text) == []


def guarded(first: str) -> str:
    """The line with `first` (YAML of a node 'gate') played before the menu."""
    return line().replace("start: main", "start: gate").replace("nodes:\n", "nodes:\n  gate: " + first + "\n", 1)


CLOSED_VOICEMAIL = "  closed: {type: voicemail, prompt: Leave a message and we will call you back.}\n"


@pytest.mark.parametrize("gate", [
    '{type: branch, branches: [{goto: main, share: 0.42, when: "08:00-18:00"}, {goto: closed, when: otherwise}]}',
    '{type: branch, label: Business hours, branches: [{goto: main, share: 0.42}, {goto: closed}]}',
    "{type: branch, label: in hours (Service)?, branches: [{goto: main, when: 'yes'}, {goto: closed, when: 'no'}]}",
    "{type: branch, branches: [{goto: main, when: 'time is 8:00-18:00,mon-fri,*,*'}, {goto: closed, when: otherwise}]}",
    "{type: message, prompt: Our lines are open from 8:00 to 18:00., next: main}",
    "{type: message, prompt: {en: We are open Monday to Friday., lt: Dirbame nuo 8 iki 18.}, next: main}",
    "{type: message, prompt: {en: Welcome., lt: Dirbame 8:00–18:00.}, next: main}",
], ids=["when with a clock", "a label on hours", "Amazon Connect's check", "Asterisk's GotoIfTime",
        "a message with the hours", "a message with the words", "a message with the hours in Lithuanian"])
def test_closed_pool_is_silent_when_every_way_to_the_pool_passes_what_handles_the_hours(gate):
    text = guarded(gate).replace("  agent: {type: queue", CLOSED_VOICEMAIL + "  agent: {type: queue", 1)
    assert closed_pool(text) == []


@pytest.mark.parametrize("gate", [
    "{type: branch, branches: [{goto: main, share: 0.9, when: VIP caller}, {goto: main, when: otherwise}]}",
    "{type: message, prompt: Welcome to the city parking line., next: main}",
], ids=["a branch on something else", "a welcome that tells no hours"])
def test_closed_pool_still_fires_when_what_comes_first_does_not_handle_the_hours(gate):
    assert len(closed_pool(guarded(gate))) == 1


def test_a_voicemail_on_the_way_guards_the_pool():
    text = line().replace("0: agent,", "0: leave,").replace(
        "  agent: {type: queue", "  leave: {type: voicemail, prompt: Leave a message., next: agent}\n  agent: {type: queue", 1)
    text = text.replace("on_failure: agent\n  balance", "on_failure: leave\n  balance").replace(
        "next: bye, on_failure: agent}", "next: bye, on_failure: leave}")
    assert closed_pool(text) == []


def test_closed_pool_fires_once_per_pool_at_the_ways_that_are_not_handled():
    text = """
    ivr: two-ways
    start: gate
    nodes:
      gate:
        type: branch
        branches: [{goto: main, share: 0.5, when: "08:00-18:00"}, {goto: night, when: otherwise}]
      main:
        type: menu
        prompt: To speak with someone, press 0. To hear this again, press 9.
        options: {0: day_desk, 9: {action: repeat}}
        on_failure: day_desk
      night:
        type: menu
        prompt: For an urgent matter, press 1. To speak with someone, press 0. To hear this again, press 9.
        options: {1: urgent, 0: night_desk, 9: {action: repeat}}
        on_failure: night_desk
      day_desk: {type: queue, queue: service}
      night_desk: {type: queue, queue: service}
      urgent: {type: queue, queue: service}
    queues:
      service: {agents: 3, handle_time: 240, hours: "08:00-18:00"}
    traffic:
      calls_per_hour: 20
      patience: 120
      intents: {talk: {share: 1, goal: day_desk}}
    """
    assert closed_pool(text) == []  # both ways pass the branch on hours
    unguarded = text.replace("start: gate", "start: main").replace("options: {0: day_desk,", "options: {1: night, 0: day_desk,")
    unguarded = unguarded.replace("To speak with someone, press 0. To hear this again", "For the night desk, press 1. To speak with someone, press 0. To hear this again", 1)
    (finding,) = closed_pool(unguarded)
    assert finding.node == "day_desk"
    assert "callers who reach queues 'day_desk', 'night_desk'" in finding.message  # one finding names every way in


def test_a_branch_is_on_hours_when_its_label_or_a_condition_names_the_time_of_day():
    def branch(label=None, *whens):
        return Node("b", "branch", label=label, branches=[Branch("x", when=w) for w in whens])

    assert handles_hours(branch(None, "Mon-Sat 08:00-20:00", "otherwise"))
    assert handles_hours(branch(None, "9-17"))
    assert handles_hours(branch(None, "after 6pm"))
    assert handles_hours(branch("Check hours of operation", "yes", "no"))
    assert not handles_hours(branch(None, "VIP caller", "otherwise"))
    assert not handles_hours(branch("Distribute by percentage", "50%"))
    assert not handles_hours(branch(None, "dials 1-800-555-0199"))


def test_a_message_tells_the_hours_by_a_clock_time_or_words_of_opening_hours():
    def message(text):
        return Node("m", "message", prompt={"en": text})

    assert handles_hours(message("Our office is open from 9 to 5."))
    assert handles_hours(message("Darbo laikas: 8:00–17:00."))
    assert not handles_hours(message("Thank you for your time. Calls are recorded."))
    assert not handles_hours(message("Welcome to Acme."))
    assert handles_hours(Node("v", "voicemail"))
    assert not handles_hours(Node("q", "queue", queue="service"))
