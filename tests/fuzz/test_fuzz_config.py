"""The configuration readers in the fuzz net: .ivrlint.yaml, pyproject.toml [tool.ivrlint], setup.cfg [ivrlint].

Each input is a good menu beside a configuration file: one of the README's
examples mutated as text, or settings generated from the words the
configuration knows (its keys, every rule's slug, code and options,
severities, reserved-key roles) and written in that file's syntax. `check`
finds it by walking up from the menu, or is given it with --config.
"""

from __future__ import annotations

import json

import pytest
from fuzzing import assert_clean, fuzz_settings, run_cli
from hypothesis import given
from hypothesis import strategies as st
from mutations import Pairs, Raw, mutated, numbers, tokens, values
from seeds import ROOT, Scratch

from ivrlint.lint.config import TOP_KEYS
from ivrlint.lint.rules import all_rules
from ivrlint.lint.settings import RESERVED_ROLES

pytestmark = pytest.mark.fuzz

RULES = all_rules()
CONFIG_WORDS = sorted({*TOP_KEYS, *RESERVED_ROLES, "severity", "info", "warning", "error", "ALL", "menus/bad", "*.json",
                       "flows/*.json#main", *(r.slug for r in RULES), *(r.code for r in RULES),
                       *(option for r in RULES for option in r.options)})
MENU = (ROOT / "menus" / "bank.yaml").read_text(encoding="utf-8")
#: The README's examples of each kind of file, the seeds of the text mutations.
SEEDS = {
    "setup.cfg": "[ivrlint]\nexclude = menus/bad\nignore = unreachable\nfail-on = warning\nreserved-keys = person=0, back=#, "
                 "repeat=*\nper-file-ignores =\n    flows/*.json: opaque-step\n    ivr/*.xml#main: broken-entry\n\n"
                 "[ivrlint:too-many-options]\nmax_options = 7\nseverity = error\n",
    "pyproject.toml": "[tool.ivrlint]\nignore = [\"unreachable\"]\nfail-on = \"warning\"\nreserved-keys = {person = \"0\", "
                      "back = \"#\", repeat = \"*\"}\n\n[tool.ivrlint.per-file-ignores]\n\"flows/*.json\" = [\"opaque-step\"]\n"
                      "\"legacy.yaml\" = [\"too-deep\"]\n\n[tool.ivrlint.rules.too-many-options]\nmax_options = 7\n"
                      "severity = \"error\"\n",
    ".ivrlint.yaml": "ignore: [unreachable]\nfail-on: warning\nreserved-keys: {person: \"0\", back: \"#\", repeat: \"*\"}\n"
                     "per-file-ignores:\n  \"flows/*.json\": [opaque-step]\nrules:\n  too-many-options: {max_options: 7, "
                     "severity: error}\n",
}


@st.composite
def settings_tree(draw) -> Pairs:
    """Settings as a tree: known keys with values that may or may not fit them, and rule sections."""
    word = st.sampled_from(CONFIG_WORDS)
    value = st.one_of(word, st.lists(word, max_size=4), numbers().map(Raw), values(CONFIG_WORDS))
    top = Pairs((draw(st.one_of(st.sampled_from(TOP_KEYS), word)), draw(value)) for _ in range(draw(st.integers(0, 4))))
    if draw(st.booleans()):
        rule = draw(st.sampled_from(RULES))
        options = [*rule.options, "severity", draw(word)]
        top.append(("rules", Pairs([(draw(st.one_of(st.just(rule.slug), st.just(rule.code), word)), Pairs(
            (draw(st.sampled_from(options)), draw(st.one_of(numbers().map(Raw), word, value)))
            for _ in range(draw(st.integers(0, 3)))))])))
    return top


def _scalar_text(value, quote) -> str:
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    return quote(str(value))


def to_toml(tree: Pairs) -> str:
    """TOML of a settings tree: [tool.ivrlint], its mappings as tables; values TOML may refuse are written as they are."""
    def value(v) -> str:
        if isinstance(v, Pairs):
            return "{" + ", ".join(f"{json.dumps(str(k))} = {value(x)}" for k, x in v) + "}"
        if isinstance(v, list):
            return "[" + ", ".join(value(x) for x in v) + "]"
        return _scalar_text(v, json.dumps) if v is not None else '""'

    lines, tables = ["[tool.ivrlint]"], []
    for key, v in tree:
        if key == "rules" and isinstance(v, Pairs):
            for rule, options in v:
                tables.append(f"\n[tool.ivrlint.rules.{json.dumps(str(rule))}]")
                tables += [f"{json.dumps(str(k))} = {value(x)}" for k, x in (options if isinstance(options, Pairs) else [])]
        else:
            lines.append(f"{json.dumps(str(key))} = {value(v)}")
    return "\n".join(lines + tables) + "\n"


def to_cfg(tree: Pairs) -> str:
    """setup.cfg of a settings tree: [ivrlint] and [ivrlint:RULE] sections, lists comma-separated."""
    def value(v) -> str:
        if isinstance(v, Pairs):
            return ", ".join(f"{k}={value(x)}" for k, x in v)
        if isinstance(v, list):
            return "\n    " + "\n    ".join(value(x) for x in v) if v else ""
        return _scalar_text(v, str) if v is not None else ""

    lines, sections = ["[ivrlint]"], []
    for key, v in tree:
        if key == "rules" and isinstance(v, Pairs):
            for rule, options in v:
                sections.append(f"\n[ivrlint:{rule}]")
                sections += [f"{k} = {value(x)}" for k, x in (options if isinstance(options, Pairs) else [])]
        else:
            lines.append(f"{key} = {value(v)}")
    return "\n".join(lines + sections) + "\n"


def to_config_yaml(tree: Pairs) -> str:
    from mutations import to_yaml

    return to_yaml(tree) + "\n"


WRITERS = {"setup.cfg": to_cfg, "pyproject.toml": to_toml, ".ivrlint.yaml": to_config_yaml}


@st.composite
def config_inputs(draw) -> tuple[str, str]:
    name = draw(st.sampled_from(sorted(SEEDS)))
    if draw(st.booleans()):
        return name, draw(mutated(SEEDS[name], CONFIG_WORDS))
    text = WRITERS[name](draw(settings_tree()))
    return name, draw(mutated(text, CONFIG_WORDS)) if draw(st.booleans()) else text


@fuzz_settings
@given(config_inputs(), st.booleans(), st.lists(st.sampled_from(["--select", "--ignore", "--fail-on"]), max_size=1),
       tokens(CONFIG_WORDS))
def test_configuration_files(given_input, named, flag, flag_value):
    name, text = given_input
    with Scratch({name: text, "menus/menu.yaml": MENU}) as scratch:
        args = ["check", scratch.path("menus/menu.yaml")]
        if named:
            args[1:1] = ["--config", scratch.path(name)]
        if flag:
            args[1:1] = [flag[0], flag_value]
        run = run_cli("config", args)
        assert_clean(run, f"{name}: ivrlint {' '.join(args)}", "config", scratch.dir)
