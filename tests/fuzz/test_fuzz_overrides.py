"""`--set PATH=VALUE` and `--vary PATH=VALUES` in the fuzz net.

Paths are built from a real menu's structure (its nodes, pools, intents and
their fields) or from tokens; values are numbers from the extreme ones,
durations with units, YAML flow text, and mutations of each. `--set` runs
through `analyze` (it reads the values exactly as `simulate`, `staff` and
`sweep` do); `--vary` runs through everything `sweep` does before its first
simulation: parsing the values and ranges, making the scenarios, and
applying every varied value to the menu (SweepPlan.check_overrides).
"""

from __future__ import annotations

import pytest
from fuzzing import assert_clean, fuzz_settings, run_bounded, run_cli
from hypothesis import given
from hypothesis import strategies as st
from mutations import mutated, numbers, tokens
from seeds import ROOT

from ivrlint.menu.loader import BRANCH_KEYS, COMMON_NODE_KEYS, DEFAULT_KEYS, INTENT_KEYS, NODE_KEYS, OPTION_KEYS, QUEUE_KEYS, load_menu

pytestmark = pytest.mark.fuzz

MENU_PATH = str(ROOT / "menus" / "bank.yaml")
MENU = load_menu(MENU_PATH)
FIELDS = sorted({*COMMON_NODE_KEYS, *(k for keys in NODE_KEYS.values() for k in keys)})
WORDS = sorted({*FIELDS, *DEFAULT_KEYS, *QUEUE_KEYS, *INTENT_KEYS, *OPTION_KEYS, *BRANCH_KEYS, "mean", "distribution",
                "cv", "exponential", "lognormal", "fixed", "repeat", "back", "unlimited", *MENU.nodes, *MENU.queues})


@st.composite
def paths(draw) -> str:
    """A menu path: mostly one the menu has, sometimes one it does not."""
    traffic = MENU.traffic
    assert traffic is not None
    choices = [
        st.builds(lambda n, f: f"nodes.{n}.{f}", st.sampled_from(sorted(MENU.nodes)), st.sampled_from(FIELDS)),
        st.builds(lambda n, k: f"nodes.{n}.options.{k}", st.sampled_from(sorted(MENU.nodes)), st.sampled_from(["1", "0", "9", "*", "x"])),
        st.builds(lambda n, i, f: f"nodes.{n}.branches.{i}.{f}", st.sampled_from(sorted(MENU.nodes)),
                  st.sampled_from(["0", "1", "9" * 30]), st.sampled_from(BRANCH_KEYS)),
        st.builds(lambda q, f: f"queues.{q}.{f}", st.sampled_from(sorted(MENU.queues)), st.sampled_from([*QUEUE_KEYS, "handle_time.mean", "handle_time.cv"])),
        st.builds(lambda f: f"traffic.{f}", st.sampled_from(["calls_per_hour", "patience", "patience.mean", "patience.cv",
                                                             "behaviour.wrong_key", "behaviour.silence", "languages.en"])),
        st.builds(lambda i, f: f"traffic.intents.{i}.{f}", st.sampled_from(sorted(traffic.intents)), st.sampled_from(INTENT_KEYS)),
        st.builds(lambda f: f"defaults.{f}", st.sampled_from(DEFAULT_KEYS)),
        st.sampled_from(["ivr", "start", "language"]),
        tokens(WORDS),
    ]
    path = draw(st.one_of(choices))
    return draw(mutated(path, WORDS, most=1)) if draw(st.integers(0, 9)) == 0 else path


def values() -> st.SearchStrategy[str]:
    unit = st.sampled_from(["", "s", "m", "h", "ms", " min"])
    return st.one_of(numbers(), st.builds(str.__add__, numbers(), unit), tokens(WORDS),
                     st.builds(lambda a, b: "{" + f"goto: {a}, label: {b}" + "}", st.sampled_from(WORDS), tokens()),
                     st.builds(lambda a, b: f"[{a}, {b}]", numbers(), numbers()),
                     st.lists(numbers(), min_size=24, max_size=24).map(",".join))


@fuzz_settings
@given(st.lists(st.builds(lambda p, v: f"{p}={v}", paths(), values()), min_size=1, max_size=3))
def test_set_values(assignments):
    args = ["analyze", MENU_PATH]
    for assignment in assignments:
        args += ["--set", assignment]
    assert_clean(run_cli("set", args), f"ivrlint {' '.join(args)}")


def _vary_values() -> st.SearchStrategy[str]:
    rng = st.builds(lambda a, b, c: f"{a}:{b}" + (f":{c}" if c else ""), numbers(), numbers(),
                    st.one_of(st.just(""), numbers()))
    return st.lists(st.one_of(values(), rng), min_size=1, max_size=4).map(",".join)


def sweep_reading(varies: list[str], sets: list[str]):
    """What `sweep` reads before its first simulation, as a target for run_bounded: (status, '', error)."""
    def target():
        from ivrlint.errors import InputError, UsageError
        from ivrlint.menu.overrides import apply_overrides
        from ivrlint.whatif.scenarios import parse_vary
        from ivrlint.whatif.sweep import SweepPlan

        try:
            plan = SweepPlan(apply_overrides(MENU, sets), "0" * 64, [parse_vary(text) for text in varies], 1.0, 1, 1, 0.0,
                             fixed=sets)
            plan.check_overrides()
        except UsageError as exc:
            return [2, "", f"ivrlint: error: {exc}"]
        except InputError as exc:
            return [2, "", str(exc)]
        return [0, "", ""]
    return target


@fuzz_settings
@given(st.lists(st.builds(lambda p, v: f"{p}={v}", paths(), _vary_values()), min_size=1, max_size=2),
       st.lists(st.builds(lambda p, v: f"{p}={v}", paths(), values()), max_size=1))
def test_vary_values(varies, sets):
    run = run_bounded(sweep_reading(varies, sets))
    if isinstance(run.value, list):
        run.status, run.out, run.err = run.value
    from fuzzing import STATS, ReaderStats

    STATS.setdefault("vary", ReaderStats()).add(run)
    assert_clean(run, f"--vary {varies} --set {sets}")
