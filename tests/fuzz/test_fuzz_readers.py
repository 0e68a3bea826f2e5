"""Every file reader in the fuzz net: YAML menus and the five platform importers.

Each test draws a seed line (tests/fuzz/seeds.py), replaces one of its
files with a mutated or generated text, runs one command on it (`check`,
`analyze`, `import`, a short `simulate`), and asserts the property of
fuzzing.assert_clean. Run with IVRLINT_FUZZ=long (`make fuzz`) for the long
profile.
"""

from __future__ import annotations

import json

import pytest
import yaml
from fuzzing import assert_clean, fuzz_settings, run_cli
from hypothesis import given
from hypothesis import strategies as st
from mutations import (
    DIALPLAN_TOKENS,
    FLOW_TOKENS,
    FREESWITCH_TOKENS,
    Pairs,
    Raw,
    as_pairs,
    mutated,
    mutated_tree,
    numbers,
    to_json,
    to_yaml,
    tokens,
)
from seeds import Line, Scratch, platform_lines, yaml_menus

from ivrlint.menu.loader import (
    ANNOUNCE_KEYS,
    BRANCH_KEYS,
    CALLBACK_KEYS,
    COMMON_NODE_KEYS,
    DEFAULT_KEYS,
    INTENT_KEYS,
    NODE_KEYS,
    OPTION_KEYS,
    OVERFLOW_KEYS,
    QUEUE_KEYS,
    REDIAL_KEYS,
    TOP_KEYS,
    TRAFFIC_KEYS,
)
from ivrlint.menu.model import NODE_TYPES

pytestmark = pytest.mark.fuzz

MENU_WORDS = sorted({*TOP_KEYS, *DEFAULT_KEYS, *COMMON_NODE_KEYS, *QUEUE_KEYS, *TRAFFIC_KEYS, *INTENT_KEYS,
                     *OPTION_KEYS, *BRANCH_KEYS, *CALLBACK_KEYS, *ANNOUNCE_KEYS, *OVERFLOW_KEYS, *REDIAL_KEYS, *(k for keys in NODE_KEYS.values() for k in keys), *NODE_TYPES,
                     "mean", "distribution", "cv", "exponential", "lognormal", "gamma", "deterministic", "repeat",
                     "back", "top", "unlimited", "en", "lt", "main", "agent", "general", "billing", "bye"})
YAML_LINES = yaml_menus()
#: A short simulation: it reads the menu as `simulate` does and runs a few minutes of calls.
SIMULATE = ["simulate", "--hours", "0.02", "--replications", "1", "--jobs", "1", "--quiet"]


def run_line(reader: str, line: Line, replaced: dict[str, str], command: list[str], fmt: str | None = None):
    """Lay out `line` with `replaced` files, run `ivrlint COMMAND TARGET`, assert the property."""
    texts = line.texts() | replaced
    with Scratch(texts) as scratch:
        target = scratch.path(line.target)
        args = [*command, target]
        if command[0] == "import":
            args = ["import", fmt or "yaml", target, "-o", scratch.path("imported.yaml")]
        elif fmt:
            args += ["--from", fmt]
        run = run_cli(reader, args)
        assert_clean(run, f"{line.name}: ivrlint {' '.join(args)}", reader, scratch.dir)


def _tree_of(text: str, loads):
    try:
        return as_pairs(loads(text))
    except Exception:  # noqa: BLE001 - a seed that does not parse (a bad example) is mutated as text only
        return None


# -- YAML menus ------------------------------------------------------------------
@st.composite
def durations(draw):
    number = draw(numbers())
    return Raw(number + draw(st.sampled_from(["", "", "s", "m", "h", "ms", " min"])))


@st.composite
def generated_menu(draw) -> str:
    """A small menu whose numbers (agents, times, rates, retries, shares) come from the extreme ones."""
    num = lambda: draw(st.one_of(numbers().map(Raw), durations()))  # noqa: E731
    agents = draw(st.one_of(st.just(num()), st.lists(numbers().map(Raw), min_size=23, max_size=25)))
    queue = Pairs([("agents", agents), ("handle_time", draw(st.one_of(durations(), st.just(Pairs([
        ("mean", num()), ("distribution", draw(st.sampled_from(["exponential", "lognormal", "gamma", "deterministic"]))),
        ("cv", num())])))))])
    queue.extend(draw(day_features(num)))
    pools = Pairs([("general", queue)])
    if any(key == "overflow" for key, _ in queue):
        pools.append(("second", Pairs([("agents", num()), ("handle_time", num())])))
    menu = Pairs([("type", "menu"), ("prompt", "For billing, press 1. For a person, press 0."),
                  ("options", Pairs([("1", "billing"), ("0", "agent")])), ("on_failure", "agent")])
    for key in draw(st.lists(st.sampled_from(["timeout", "retries"]), max_size=2, unique=True)):
        menu.append((key, num()))
    billing = Pairs([("type", "self_service"), ("duration", num()), ("success", num()), ("next", "bye"),
                     ("on_failure", "agent")])
    nodes = Pairs([("main", menu), ("billing", billing), ("agent", Pairs([("type", "queue"), ("queue", "general")])),
                   ("bye", Pairs([("type", "hangup")]))])
    traffic = Pairs([("calls_per_hour", num()), ("patience", num()),
                     ("intents", Pairs([("billing", Pairs([("share", num()), ("goal", "billing")])),
                                        ("person", Pairs([("share", num()), ("goal", "agent")]))]))])
    if draw(st.booleans()):
        traffic.append(("redial", Pairs([(k, num()) for k in REDIAL_KEYS if k != "max_attempts" or draw(st.booleans())])))
    if draw(st.booleans()):
        traffic.append(("behaviour", Pairs([(draw(st.sampled_from(["wrong_key", "silence", "zero_out", "retry_hangup",
                                                                   "menu_hangup", "think_mean"])), num())])))
    top = Pairs([("ivr", "fuzz"), ("start", "main"), ("defaults", Pairs([(k, num()) for k in DEFAULT_KEYS
                                                                         if draw(st.booleans())])),
                 ("nodes", nodes), ("queues", pools), ("traffic", traffic)])
    return to_yaml(top) + "\n"


@st.composite
def day_features(draw, num) -> list:
    """Some of a pool's callback offer, wait announcements and overflow (issue 14), with extreme numbers."""
    out = []
    flag = lambda: Raw(draw(st.sampled_from(["true", "false", "yes", "0", "maybe"])))  # noqa: E731
    if draw(st.booleans()):
        out.append(("callback", Pairs([("offer_after", num()), ("accept", num())]
                                      + ([("ring_back", num())] if draw(st.booleans()) else []))))
    if draw(st.booleans()):
        out.append(("announce", Pairs([("every", num()), ("wait_time", flag()), ("position", flag())])))
    if draw(st.booleans()):
        out.append(("overflow", Pairs([("after", num()), ("to", draw(st.sampled_from(["second", "general", "nowhere"])))])))
    return out


@st.composite
def yaml_inputs(draw) -> tuple[Line, dict[str, str]]:
    line = draw(st.sampled_from(YAML_LINES))
    (name, text), = line.files
    how = draw(st.sampled_from(["text", "tree", "tree", "generated"]))
    tree = _tree_of(text, yaml.safe_load) if how == "tree" else None
    if how == "generated":
        return line, {name: draw(generated_menu())}
    if tree is not None:
        return line, {name: to_yaml(draw(mutated_tree(tree, MENU_WORDS))) + "\n"}
    return line, {name: draw(mutated(text, MENU_WORDS))}


@fuzz_settings
@given(yaml_inputs(), st.sampled_from([["check", "--no-config"], ["check", "--no-config"], ["analyze"], SIMULATE]))
def test_yaml_menus(given_input, command):
    line, replaced = given_input
    run_line("yaml", line, replaced, command)


# -- platform files --------------------------------------------------------------
PLATFORM_COMMANDS = st.sampled_from([["check", "--no-config"], ["check", "--no-config"], ["analyze"], ["import"]])


@st.composite
def platform_inputs(draw, platform: str, words: list[str], loads=None, dumps=None) -> tuple[Line, dict[str, str]]:
    """A line of `platform` with one file mutated: as text, or (`loads`/`dumps`) as a tree of values."""
    line = draw(st.sampled_from(platform_lines(platform)))
    name, text = draw(st.sampled_from(line.files))
    tree = None
    if loads is not None and draw(st.booleans()):
        tree = _tree_of(text, loads)
    if tree is not None:
        return line, {name: dumps(draw(mutated_tree(tree, words)))}
    return line, {name: draw(mutated(text, words))}


def _platform(platform: str, given_input, command):
    line, replaced = given_input
    run_line(platform, line, replaced, command, platform if command == ["import"] else None)


@st.composite
def dialplan_lines(draw) -> str:
    """An extensions.conf line built from dialplan pieces: exten => EXT,PRIORITY,App(ARGS), and the like."""
    word = tokens(DIALPLAN_TOKENS)
    kind = draw(st.sampled_from(["exten", "exten", "same", "context", "include", "other"]))
    if kind == "exten":
        return f"exten => {draw(word)},{draw(word)},{draw(word)}({draw(word)},{draw(word)})"
    if kind == "same":
        return f"same => {draw(word)},{draw(word)}({draw(word)})"
    if kind == "context":
        return f"[{draw(word)}]{draw(st.sampled_from(['', '(!)', '(+)', '(tpl)']))}"
    if kind == "include":
        return f"include => {draw(word)}"
    return f"{draw(word)} {draw(word)} {draw(word)}"


@st.composite
def asterisk_inputs(draw):
    line, replaced = draw(platform_inputs("asterisk", DIALPLAN_TOKENS))
    if draw(st.booleans()):  # and some generated lines, at random places of the file just mutated
        (name, text), = replaced.items()
        lines = text.split("\n")
        for _ in range(draw(st.integers(1, 4))):
            lines.insert(draw(st.integers(0, len(lines))), draw(dialplan_lines()))
        replaced = {name: "\n".join(lines)}
    return line, replaced


@st.composite
def freeswitch_inputs(draw):
    line, replaced = draw(platform_inputs("freeswitch", FREESWITCH_TOKENS))
    if draw(st.booleans()):  # a generated entry in a menu: action, digits and param from the extreme tokens
        (name, text), = replaced.items()
        word = tokens(FREESWITCH_TOKENS)
        attrs = " ".join(f'{key}="{draw(word)}"' for key in draw(st.lists(
            st.sampled_from(["action", "digits", "param", "timeout", "max-failures", "max-timeouts", "name",
                             "greet-long", "exec-on-max-failures"]), min_size=1, max_size=4, unique=True)))
        at = text.find("<entry")
        at = draw(st.integers(0, len(text))) if at < 0 else at
        replaced = {name: text[:at] + f"<entry {attrs}/>\n" + text[at:]}
    return line, replaced


@fuzz_settings
@given(freeswitch_inputs(), PLATFORM_COMMANDS)
def test_freeswitch(given_input, command):
    _platform("freeswitch", given_input, command)


@fuzz_settings
@given(asterisk_inputs(), PLATFORM_COMMANDS)
def test_asterisk(given_input, command):
    _platform("asterisk", given_input, command)


@fuzz_settings
@given(platform_inputs("connect", FLOW_TOKENS, json.loads, lambda tree: to_json(tree) + "\n"), PLATFORM_COMMANDS)
def test_connect(given_input, command):
    _platform("connect", given_input, command)


def _twilio_dump(tree) -> str:
    return to_json(tree) + "\n"


@fuzz_settings
@given(platform_inputs("twilio", FLOW_TOKENS, json.loads, _twilio_dump), PLATFORM_COMMANDS)
def test_twilio(given_input, command):
    _platform("twilio", given_input, command)


@fuzz_settings
@given(platform_inputs("genesys", FLOW_TOKENS, yaml.safe_load, lambda tree: to_yaml(tree) + "\n"), PLATFORM_COMMANDS)
def test_genesys(given_input, command):
    _platform("genesys", given_input, command)

