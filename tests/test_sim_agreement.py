"""The simulation agrees with the exact analysis where the analysis is exact
(exponential talk and patience), within its confidence intervals.

The default suite runs moderate lengths; `make test-slow` runs long ones
with tighter intervals.
"""

from __future__ import annotations

import pytest
from conftest import menu

from ivrlint.analysis import analyze_menu
from ivrlint.sim import run_simulation

ERLANG_A = """
ivr: erlang-a
start: agent
nodes:
  agent: {type: queue, queue: general}
queues:
  general: {agents: 13, handle_time: {mean: 3m, distribution: exponential}}
traffic:
  calls_per_hour: 200
  patience: {mean: 5m, distribution: exponential}
  intents: {any: {share: 1, goal: agent}}
"""

#: A menu with most of what callers meet: a branch, messages in two
#: languages, a six-option menu with repeat and a no-input handler, back and
#: top keys, nested menus, input with retries, self-service that fails over
#: to people, a transfer, a voicemail, three pools.
MULTI_LEVEL = """
ivr: multi
start: hours
defaults: {timeout: 4, retries: 2}
nodes:
  hours:
    type: branch
    branches: [{goto: welcome, share: 0.85}, {goto: closed}]
  closed:
    type: menu
    prompt: We are closed. To leave a message, press 1. For your balance, press 2.
    options: {1: vm, 2: balance}
  vm: {type: voicemail, prompt: Leave a message after the tone.}
  welcome:
    type: message
    prompt: {en: Welcome to Multi. Calls are recorded., lt: Sveiki. Pokalbiai įrašomi.}
    next: main
  main:
    type: menu
    prompt:
      en: For billing, press 1. For support, press 2. For your balance, press 3. For sales, press 4. To speak with someone, press 0. To hear this again, press 9.
      lt: Dėl sąskaitų spauskite 1. Pagalbai spauskite 2. Balansui spauskite 3. Pardavimams spauskite 4. Konsultantui spauskite 0. Kartoti spauskite 9.
    options: {1: billing, 2: support, 3: account, 4: sales, 0: agent, 9: {action: repeat}}
    on_no_input: help
    on_failure: agent
  help: {type: message, prompt: You can press 0 at any time to speak with someone., next: main}
  billing:
    type: menu
    prompt: To pay, press 1. For a billing question, press 2. To go back, press star. To start again, press hash.
    options: {1: pay, 2: billing_team, "*": {action: back}, "#": {action: top}}
  pay: {type: self_service, prompt: Enter your card number., duration: {mean: 60, distribution: exponential}, success: 0.7, next: bye, on_failure: billing_team}
  support:
    type: menu
    prompt: For internet, press 1. For phone, press 2. To go back, press star.
    options: {1: internet, 2: support_team, "*": {action: back}}
    on_failure: support_team
  internet:
    type: menu
    prompt: To restart your router, press 1. For an engineer, press 2. To go back, press star.
    options: {1: reset, 2: support_team, "*": {action: back}}
    on_failure: support_team
  reset: {type: self_service, duration: 45, success: 0.5, next: bye, on_failure: support_team}
  account:
    type: input
    prompt: Please enter your account number.
    digits: 6
    duration: {mean: 12, distribution: fixed}
    success: 0.8
    retries: 1
    next: balance
    on_failure: agent
  balance: {type: self_service, duration: 20, success: 0.95, next: bye}
  sales: {type: transfer, destination: "+1555000"}
  billing_team: {type: queue, queue: billing}
  support_team: {type: queue, queue: support}
  agent: {type: queue, queue: general}
  bye: {type: hangup, prompt: Goodbye.}
queues:
  general: {agents: 6, handle_time: {mean: 200, distribution: exponential}}
  billing: {agents: 4, handle_time: {mean: 240, distribution: exponential}}
  support: {agents: 8, handle_time: {mean: 300, distribution: exponential}}
traffic:
  calls_per_hour: 200
  patience: {mean: 2m, distribution: exponential}
  languages: {en: 0.7, lt: 0.3}
  behaviour: {zero_out: 0.08, silence: 0.05}
  intents:
    pay: {share: 0.3, goal: pay}
    bill_q: {share: 0.1, goal: billing_team}
    internet: {share: 0.2, goal: [reset, support_team]}
    phone: {share: 0.1, goal: support_team}
    balance: {share: 0.15, goal: balance}
    sales: {share: 0.05, goal: sales}
    other: {share: 0.1, goal: agent}
"""

MENU_FIGURES = ("ivr_seconds", "keypresses", "menus_heard", "retries", "p_goal", "containment", "p_person",
                "p_abandon", "p_hung_up", "p_misrouted", "p_voicemail")


def disagreements(simulated: dict, exact: dict, names, slack: float = 0.002, widen: float = 1.5) -> list[str]:
    """Figures whose exact value lies outside the simulated CI, widened by
    `widen` and by `slack` (for shares near 0, where t-intervals are poor)."""
    out = []
    for name in names:
        s, x = simulated.get(name), exact.get(name)
        if s is None or x is None or s["mean"] is None:
            continue
        low, high = s["ci95"]
        half = (high - low) / 2 * widen + slack * (1 if name.startswith("p_") or name in ("containment", "share") else 0)
        if abs(s["mean"] - x) > half:
            out.append(f"{name}: exact {x:.4f}, simulated {s['mean']:.4f} ±{(high - low) / 2:.4f}")
    return out


def check_erlang_a(hours: float, replications: int, widen: float) -> None:
    model = menu(ERLANG_A)
    sim = run_simulation(model, hours=hours, replications=replications, seed=11, jobs=2, warmup=0.5).metrics["queues"]["general"]
    exact = analyze_menu(model)["queues"]["general"]
    assert exact["p_wait"] == pytest.approx(0.2258, abs=5e-5)
    for metric in ("p_wait", "p_abandon", "mean_wait", "service_level", "occupancy"):
        low, high = sim[metric]["ci95"]
        half = (high - low) / 2 * widen
        assert abs(sim[metric]["mean"] - exact[metric]) <= half, (metric, sim[metric], exact[metric])


def test_simulated_erlang_a_queue_agrees_with_the_formula():
    check_erlang_a(hours=40, replications=10, widen=1.5)


@pytest.mark.slow
def test_simulated_erlang_a_queue_agrees_with_the_formula_on_long_runs():
    check_erlang_a(hours=240, replications=20, widen=1.0)  # under the 1,000,000-call cap of one run


def check_multi_level(hours: float, replications: int, widen: float) -> None:
    model = menu(MULTI_LEVEL)
    sim = run_simulation(model, hours=hours, replications=replications, seed=5, jobs=2, warmup=0.5).metrics
    exact = analyze_menu(model)
    off = disagreements(sim["overall"], exact["overall"], MENU_FIGURES + ("mean_wait",), widen=widen)
    for intent in exact["intents"]:
        off += [f"{intent} {o}" for o in disagreements(sim["intents"][intent], exact["intents"][intent], MENU_FIGURES, widen=widen)]
    for pool in exact["queues"]:
        off += [f"{pool} {o}" for o in disagreements(sim["queues"][pool], exact["queues"][pool],
                                                      ("p_wait", "p_abandon", "service_level", "occupancy"), widen=widen)]
    for path in list(exact["paths"])[:15]:
        off += [f"{path} {o}" for o in disagreements(sim["paths"][path], exact["paths"][path], ("share", "ivr_seconds"),
                                                      widen=widen)]
    assert not off, "\n".join(off)


def test_simulated_multi_level_menu_agrees_with_the_exact_chain():
    check_multi_level(hours=20, replications=10, widen=2.0)


@pytest.mark.slow
def test_simulated_multi_level_menu_agrees_with_the_exact_chain_on_long_runs():
    check_multi_level(hours=240, replications=20, widen=1.5)  # under the 1,000,000-call cap of one run
