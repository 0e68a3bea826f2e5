"""silent-wait (T308): a pool whose callers wait long with no announcement and no callback;
and the traffic rules that judge a pool staffed by the hour hour by hour."""

from __future__ import annotations

import re

import pytest
from conftest import findings

from ivrlint.analysis import analyze_menu
from ivrlint.lint.settings import Settings
from ivrlint.menu.loader import load_text

SHOP = """\
ivr: shop
start: agent
nodes:
  agent: {type: queue, queue: general}
queues:
  general:
    agents: AGENTS
    handle_time: HANDLE
EXTRA
traffic:
  calls_per_hour: RATE
  patience: 5m
  intents: {any: {share: 1, goal: agent}}
"""


def shop(agents="3", handle="360", rate="30", extra="") -> str:
    return (SHOP.replace("AGENTS", agents).replace("HANDLE", handle).replace("RATE", rate)
            .replace("EXTRA\n", extra + "\n" if extra else ""))


def silent(text: str, settings=None):
    return findings(text, "silent-wait", settings)


def wait_in(message: str) -> float:
    """The wait a silent-wait message quotes, in seconds."""
    match = re.search(r"wait ([\d.]+) (s|minutes) on average", message)
    assert match, message
    return float(match.group(1)) * (60 if match.group(2) == "minutes" else 1)


def test_a_long_silent_wait_is_reported_at_the_pool_with_what_to_add():
    text = shop()
    [finding] = silent(text)
    assert (finding.line, finding.column, finding.severity, finding.code) == (6, 3, "warning", "T308")
    assert "pool 'general'" in finding.message and "nothing tells them why or for how long" in finding.message
    assert "`announce: {every: 45s, wait_time: true}`" in finding.message and "`callback: {offer_after: 60s" in finding.message
    # the wait quoted is the analysis's mean wait of the pool's callers, as `analyze` has it
    pool = analyze_menu(load_text(text), paths=False)["queues"]["general"]
    assert wait_in(finding.message) == pytest.approx(pool["mean_wait"], abs=1)
    assert wait_in(finding.message) > 60


def test_a_small_pool_whose_few_waiters_wait_a_talk_time_is_not_silent():
    """Those who wait for one agent wait about a talk time however light the load; the expected
    wait of a caller to the pool is what counts (bank.yaml's fraud line: 10% wait, 65 s on average)."""
    text = shop(agents="1", handle="240", rate="1")
    pool = analyze_menu(load_text(text), paths=False)["queues"]["general"]
    assert pool["mean_wait"] / pool["p_wait"] > 60 > pool["mean_wait"]
    assert not silent(text)


@pytest.mark.parametrize("extra", [
    "    announce: {every: 45s}",
    "    announce: {every: 1m, wait_time: false, position: true}",
    "    callback: {offer_after: 90s, accept: 0.5}",
])
def test_a_pool_that_announces_the_wait_or_offers_a_callback_is_not_silent(extra):
    assert silent(shop()) and not silent(shop(extra=extra))


def test_a_short_wait_is_not_reported():
    text = shop(agents="3", handle="30")  # callers who wait, wait seconds
    assert not silent(text)
    pool = analyze_menu(load_text(text), paths=False)["queues"]["general"]
    assert 0 < pool["mean_wait"] < 60


def test_max_silent_wait_moves_the_threshold_both_ways():
    long, short = shop(), shop(handle="150")
    assert not silent(long, Settings(options={"silent-wait": {"max_silent_wait": 3600}}))
    assert silent(short, Settings(options={"silent-wait": {"max_silent_wait": 1}}))
    [finding] = silent(short, Settings(options={"silent-wait": {"max_silent_wait": 1}}))
    assert "`callback: {offer_after: 1s" in finding.message


def test_exact_figures_are_quoted_plainly_and_approximate_ones_say_so():
    exact = shop(handle="{mean: 360, distribution: exponential}")
    [plain] = silent(exact)
    assert "approximate" not in plain.message
    [approximate] = silent(shop())  # lognormal talk time: the queue figures are approximate
    assert "(approximate: talk time lognormal" in approximate.message


def test_a_pool_staffed_by_the_hour_is_judged_in_each_hour_and_the_worst_is_named():
    hourly = "[" + ", ".join(["10"] * 14 + ["1"] + ["10"] * 9) + "]"  # one agent from 14:00 to 15:00
    text = shop(agents=hourly, handle="{mean: 120, distribution: exponential}", rate="25")
    [finding] = silent(text)
    assert "at 14:00-15:00 (approximate: each hour taken as steady)" in finding.message
    assert "more of its hours" not in finding.message
    assert wait_in(finding.message) > 60
    assert not silent(text.replace(", 1, ", ", 10, "))  # ten agents every hour: nobody waits long


def test_hourly_calls_name_their_busiest_hour():
    rates = "[" + ", ".join(["2"] * 9 + ["40"] + ["2"] * 14) + "]"  # a rush from 09:00 to 10:00
    [finding] = silent(shop(rate=rates))
    assert "at 09:00-10:00" in finding.message


def test_several_long_hours_are_counted():
    hourly = "[" + ", ".join(["1"] * 6 + ["10"] * 18) + "]"  # one agent from midnight to 6
    [finding] = silent(shop(agents=hourly, rate="8"))
    assert "(and 5 more of its hours above 60 s)" in finding.message


def test_pools_without_agents_or_traffic_are_left_to_other_rules():
    assert not silent(shop(agents="0"))  # no-agents reports it
    assert not silent(shop().split("traffic:")[0])


def test_an_overflowing_pool_is_still_judged_by_its_own_figures():
    text = shop(extra="    overflow: {after: 60s, to: other}")
    text = text.replace("queues:\n", "queues:\n  other: {agents: 2, handle_time: 60}\n")
    assert silent(text)


# -- the other traffic rules, for a pool staffed by the hour -------------------------
def test_overloaded_queue_judges_a_pool_staffed_by_the_hour_hour_by_hour():
    hourly = "[" + ", ".join(["8"] * 9 + ["2"] + ["8"] * 14) + "]"  # two agents from 09:00 to 10:00
    text = shop(agents=hourly, rate="40", extra="    announce: {every: 45s}")
    [finding] = findings(text, "overloaded-queue")
    assert "pool 'general' with 2 agents on duty at 09:00-10:00 can expect (approximate: each hour taken as steady)" \
        in finding.message
    assert "ivrlint staff --by-hour" in finding.message
    assert not findings(text.replace(", 2, ", ", 8, "), "overloaded-queue")


def test_long_wait_no_callback_counts_a_callback_offer_as_a_callback():
    def patient(text: str) -> str:  # callers who hold for an hour: waits of more than ten minutes
        return text.replace("patience: 5m", "patience: 1h")

    assert findings(patient(shop(agents="3", rate="60")), "long-wait-no-callback")
    assert not findings(patient(shop(agents="3", rate="60", extra="    callback: {offer_after: 2m, accept: 0.5}")),
                        "long-wait-no-callback")


def test_no_agents_warns_of_the_hours_a_pool_staffed_by_the_hour_has_nobody_while_calls_come():
    night = "[" + ", ".join(["0"] * 6 + ["6"] * 16 + ["0"] * 2) + "]"  # nobody from 22:00 to 06:00
    [finding] = findings(shop(agents=night, extra="    announce: {every: 45s}"), "no-agents")
    assert finding.severity == "warning" and (finding.line, finding.column) == (7, 13)
    assert "pool 'general' has no agents at 00:00-06:00 and 22:00-24:00, when about 240 calls a day reach it" \
        in finding.message
    assert not findings(shop(agents="[" + ", ".join(["6"] * 24) + "]"), "no-agents")  # staffed every hour
    rates = "[" + ", ".join(["0"] * 6 + ["30"] * 16 + ["0"] * 2) + "]"  # and no calls while nobody is there
    assert not findings(shop(agents=night, rate=rates), "no-agents")
