"""Usability rules (U201-U210): each fires where callers suffer, at the line to
edit, stays silent on near misses, and follows its options and the
reserved-key profile."""

from __future__ import annotations

import pytest
from conftest import ROOT, findings, menu, run_cli

from ivrlint.lint.config import load_config
from ivrlint.lint.rules import all_rules
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.menu.document import Document
from ivrlint.menu.loader import read_menu, read_text

#: One agent pool for every test menu.
POOL = """
queues:
  general: {agents: 2, handle_time: 120}
"""


def line(nodes: str, top: str = "") -> str:
    """A phone line starting at `main` with these nodes (indented by 2)."""
    return f"ivr: t\nstart: main\n{top}nodes:\n{nodes}{POOL}"


def at(found) -> list[tuple[int, int]]:
    return [(f.line, f.column) for f in found]


def options(rule: str, **values) -> Settings:
    return Settings(options={rule: values})


def profile(**roles) -> Settings:
    return Settings(reserved_keys=roles)


# -- no-zero-out (U201) ------------------------------------------------------

def test_no_zero_out_points_at_the_options_of_a_menu_without_0():
    text = line("""\
  main:
    type: menu
    prompt: For an agent, press 2.
    options: {2: agent}
    on_failure: agent
  agent: {type: queue, queue: general}
""")
    [f] = findings(text, "no-zero-out")
    assert at([f]) == [(7, 14)] and "add `'0': agent`" in f.message


def test_no_zero_out_points_at_a_0_that_opens_another_menu():
    text = line("""\
  main:
    type: menu
    prompt: For billing, press 0.
    options:
      0: billing
    on_failure: agent
  billing:
    type: menu
    prompt: For an agent, press 0.
    options: {0: agent}
    on_failure: agent
  agent: {type: queue, queue: general}
""")
    [f] = findings(text, "no-zero-out")
    assert at([f]) == [(8, 7)] and "goes to 'billing', not to a person" in f.message


def test_no_zero_out_follows_hold_messages_and_hours_branches_to_the_person():
    text = line("""\
  main:
    type: menu
    prompt: For an agent, press 0.
    options: {0: hold}
    on_failure: hold
  hold: {type: message, prompt: Please hold., next: hours}
  hours:
    type: branch
    branches: [{goto: agent, when: open}, {goto: closed, when: otherwise}]
  closed: {type: message, prompt: We are closed., next: bye}
  bye: {type: hangup}
  agent: {type: queue, queue: general}
""")
    assert findings(text, "no-zero-out") == []


def test_no_zero_out_fires_when_0_plays_a_message_and_hangs_up():
    text = line("""\
  main:
    type: menu
    prompt: For an agent, press 0. For sales, press 1.
    options: {0: busy, 1: agent}
    on_failure: agent
  busy: {type: message, prompt: All agents are busy. Goodbye., next: bye}
  bye: {type: hangup}
  agent: {type: queue, queue: general}
""")
    assert [f.node for f in findings(text, "no-zero-out")] == ["main"]


AFTER_HOURS = line("""\
  main:
    type: menu
    prompt: To leave a message, press 0.
    options: {0: callback}
    on_failure: callback
  callback: {type: voicemail}
""")


def test_no_zero_out_accepts_a_callback_unless_told_otherwise():
    assert findings(AFTER_HOURS, "no-zero-out") == []
    [f] = findings(AFTER_HOURS, "no-zero-out", options("no-zero-out", callback_counts=False))
    assert "goes to 'callback'" in f.message


ZERO_AND_FIVE = line("""\
  main:
    type: menu
    prompt: For an agent, press 0. For sales, press 5.
    options: {0: agent, 5: sales}
    on_failure: agent
  sales: {type: self_service, duration: 30, success: 0.5, on_failure: agent}
  agent: {type: queue, queue: general}
""")


def test_no_zero_out_follows_the_person_key_of_the_profile():
    assert findings(ZERO_AND_FIVE, "no-zero-out") == []
    [f] = findings(ZERO_AND_FIVE, "no-zero-out", profile(person="5"))
    assert f.message.startswith("5 in menu 'main' goes to 'sales'")
    assert findings(ZERO_AND_FIVE, "no-zero-out", profile(back="*")) == []  # no person key: nothing to check


# -- human-too-far (U202) ----------------------------------------------------

def chain(count: int, seconds: float = 10) -> str:
    """`count` menus in a row; only the last one offers an agent."""
    nodes = ""
    for i in range(count):
        here = "main" if i == 0 else f"m{i}"
        after = f"m{i + 1}" if i + 1 < count else "agent"
        nodes += (f"  {here}:\n    type: menu\n    prompt: For more, press 1.\n    prompt_seconds: {seconds}\n"
                  f"    options: {{1: {after}}}\n    on_failure: agent\n")
    return line(nodes + "  agent: {type: queue, queue: general}\n")


def test_human_too_far_names_the_way_and_its_seconds_of_prompts():
    [f] = findings(chain(4, seconds=12), "human-too-far")
    assert at([f]) == [(4, 3)] and f.node == "main"
    assert "4 menus from the start (more than 3): main > m1 > m2 > m3 > agent, about 48 s of prompts" in f.message


def test_human_too_far_is_silent_at_the_limit_and_follows_max_menus():
    assert findings(chain(3), "human-too-far") == []
    assert findings(chain(4), "human-too-far", options("human-too-far", max_menus=4)) == []
    assert len(findings(chain(3), "human-too-far", options("human-too-far", max_menus=2))) == 1


def test_human_too_far_counts_keys_not_failures():
    text = line("""\
  main:
    type: menu
    prompt: For hours, press 1.
    options: {1: hours}
    on_failure: agent
  hours: {type: message, prompt: Nine to five., next: main}
  agent: {type: queue, queue: general}
""")
    [f] = findings(text, "human-too-far")
    assert "only by failing a menu's retries" in f.message


def test_human_too_far_leaves_a_line_without_any_person_to_no_human_path():
    text = line("""\
  main: {type: menu, prompt: For hours press 1., options: {1: bye}}
  bye: {type: hangup}
""")
    assert findings(text, "human-too-far") == []


# -- too-deep (U203) ---------------------------------------------------------

DEEP = line("""\
  main: {type: menu, prompt: p, options: {1: a, 0: agent}, on_failure: agent}
  a: {type: menu, prompt: p, options: {1: b, 0: agent}, on_failure: agent}
  b: {type: menu, prompt: p, options: {1: c, 0: agent}, on_failure: agent}
  c:
    type: menu
    prompt: p
    options:
      1: refund
      0: agent
    on_failure: agent
  refund: {type: self_service, duration: 60, success: 0.8, on_failure: agent}
  agent: {type: queue, queue: general}
""")


def test_too_deep_points_at_the_key_the_leaf_hangs_from():
    [f] = findings(DEEP, "too-deep")
    assert at([f]) == [(11, 7)] and f.node == "refund"
    assert "'refund' is 4 menus deep (more than 3): main > a > b > c" in f.message


def test_too_deep_measures_the_shortest_way_and_follows_max_depth():
    shortcut = DEEP.replace("{1: a, 0: agent}", "{1: a, 2: refund, 0: agent}")
    assert findings(shortcut, "too-deep") == []
    assert findings(DEEP, "too-deep", options("too-deep", max_depth=4)) == []


def test_too_deep_names_the_intent_whose_goal_is_deep():
    text = DEEP.replace("queues:", "traffic:\n  calls_per_hour: 10\n  patience: 60\n"
                        "  intents: {refunds: {share: 1, goal: refund}}\nqueues:")
    [f] = findings(text, "too-deep")
    assert "'refund', the goal of intent 'refunds', is 4 menus deep" in f.message


# -- too-many-options (U204) -------------------------------------------------

def wide(keys: str) -> str:
    return line(f"""\
  main:
    type: menu
    prompt: p
    options: {{{keys}}}
    on_failure: agent
  agent: {{type: queue, queue: general}}
""")


def test_too_many_options_counts_choices_at_the_options():
    [f] = findings(wide("1: agent, 2: agent, 3: agent, 4: agent, 5: agent, 6: agent"), "too-many-options")
    assert at([f]) == [(7, 14)]
    assert "menu 'main' offers 6 choices (1, 2, 3, 4, 5, 6; more than 5); group them" in f.message


def test_too_many_options_leaves_out_person_repeat_and_back():
    keys = "1: agent, 2: agent, 3: agent, 4: agent, 5: agent, 0: agent, 9: {action: repeat}, '*': {action: back}"
    assert findings(wide(keys), "too-many-options") == []


def test_too_many_options_counts_a_reserved_key_used_as_a_destination():
    keys = "1: agent, 2: agent, 3: agent, 4: agent, 5: agent, 9: other"
    text = wide(keys).replace("  agent:", "  other: {type: hangup}\n  agent:")
    assert len(findings(text, "too-many-options")) == 1


def test_too_many_options_follows_max_options_and_the_profile():
    keys = "1: agent, 2: agent, 3: agent, 4: agent, 5: agent, 0: agent"
    assert findings(wide(keys), "too-many-options") == []
    assert findings(wide(keys + ", 6: agent"), "too-many-options", options("too-many-options", max_options=6)) == []
    # with 9 as the person key, 0 is one more choice
    assert len(findings(wide(keys), "too-many-options", profile(person="9"))) == 1


# -- hangup-on-failure (U205) -------------------------------------------------

def test_hangup_on_failure_without_on_failure_points_at_the_menu():
    text = line("""\
  main:
    type: menu
    prompt: For an agent, press 0.
    options: {0: agent}
  agent: {type: queue, queue: general}
""")
    [f] = findings(text, "hangup-on-failure")
    assert at([f]) == [(4, 3)]
    assert "disconnected when its 3 retries run out" in f.message and "`on_failure: agent`" in f.message


def test_hangup_on_failure_sees_through_a_goodbye_message():
    text = line("""\
  main:
    type: menu
    prompt: For an agent, press 0.
    options: {0: agent}
    on_failure: sorry
  sorry: {type: message, prompt: Sorry. Goodbye., next: bye}
  bye: {type: hangup}
  agent: {type: queue, queue: general}
""")
    [f] = findings(text, "hangup-on-failure")
    assert at([f]) == [(8, 17)]


def test_hangup_on_failure_accepts_a_callback_or_a_branch_that_may_reach_a_person():
    text = line("""\
  main:
    type: menu
    prompt: For an agent, press 0.
    options: {0: agent}
    on_failure: hours
  hours:
    type: branch
    branches: [{goto: agent, when: open}, {goto: bye, when: otherwise}]
  task: {type: self_service, duration: 5, success: 0.5, next: bye, on_failure: callback}
  sure: {type: self_service, duration: 5, success: 1, next: bye}
  callback: {type: voicemail}
  bye: {type: hangup}
  agent: {type: queue, queue: general}
""")
    assert findings(text, "hangup-on-failure") == []


def test_hangup_on_failure_covers_input_steps_and_tasks():
    text = line("""\
  main: {type: input, prompt: Enter your number., digits: 4, next: task}
  task: {type: self_service, duration: 5, success: 0.5, next: agent}
  agent: {type: queue, queue: general}
""")
    assert [f.node for f in findings(text, "hangup-on-failure")] == ["main", "task"]


# -- retries (U206) ----------------------------------------------------------

def retrying(value: str, where: str = "node") -> str:
    own = f"\n    retries: {value}" if where == "node" else ""
    top = f"defaults: {{retries: {value}}}\n" if where == "defaults" else ""
    return line(f"""\
  main:
    type: menu
    prompt: For an agent, press 0.
    options: {{0: agent}}{own}
    on_failure: agent
  agent: {{type: queue, queue: general}}
""", top)


def test_no_retry_is_an_error_at_the_retries_line():
    [f] = findings(retrying("0"), "retries")
    assert (f.severity, f.line, f.column) == ("error", 8, 14)


def test_more_than_three_retries_is_a_warning_and_three_is_fine():
    [f] = findings(retrying("5"), "retries")
    assert f.severity == "warning" and "retries: 5 in menu 'main' (more than 3)" in f.message
    assert findings(retrying("3"), "retries") == []
    assert findings(retrying("5"), "retries", options("retries", max_retries=5)) == []


def test_retries_from_defaults_are_reported_once_at_the_defaults_line():
    [f] = findings(retrying("0", where="defaults"), "retries")
    assert (f.line, f.column, f.node) == (3, 21, None)
    assert "the defaults (used by 'main')" in f.message


def test_unbounded_retries_from_an_importer_are_an_error():
    line_ = menu(retrying("3"))
    line_.nodes["main"].retries = None  # what an importer writes when it finds no limit
    [f] = [f for f in lint_document(Document(line_)) if f.rule == "retries"]
    assert f.severity == "error" and "no limit on retries" in f.message


def test_a_configured_severity_overrides_the_one_a_finding_carries(write):
    config = write("setup.cfg", "[ivrlint:retries]\nseverity = info\n")
    settings, _ = load_config(str(config))
    assert [f.severity for f in findings(retrying("0"), "retries", settings)] == ["info"]
    assert [f.severity for f in findings(retrying("5"), "retries", settings)] == ["info"]


# -- timeout-range (U207) ----------------------------------------------------

def timing(value: str) -> str:
    return retrying("3").replace("    retries: 3", f"    timeout: {value}")


def test_timeout_outside_3_to_10_seconds_points_at_the_timeout():
    [short] = findings(timing("2"), "timeout-range")
    [long] = findings(timing("15s"), "timeout-range")
    assert at([short, long]) == [(8, 14), (8, 14)]
    assert "under 3 s" in short.message and "over 10 s" in long.message


def test_timeout_range_limits_are_options():
    assert findings(timing("3"), "timeout-range") == [] and findings(timing("10"), "timeout-range") == []
    assert findings(timing("2"), "timeout-range", options("timeout-range", min_timeout=2)) == []
    assert findings(timing("15"), "timeout-range", options("timeout-range", max_timeout=20)) == []


# -- no-repeat (U208) --------------------------------------------------------

def test_no_repeat_points_at_the_options_and_suggests_the_profile_key():
    [f] = findings(wide("1: agent, 0: agent"), "no-repeat")
    assert at([f]) == [(7, 14)] and "add `'9': {action: repeat}`" in f.message
    [f] = findings(wide("1: agent, 0: agent"), "no-repeat", profile(person="0", repeat="*"))
    assert "add `'*': {action: repeat}`" in f.message


def test_a_key_back_to_the_menu_itself_is_a_repeat():
    assert findings(wide("1: agent, 0: agent, '*': main"), "no-repeat") == []
    assert findings(wide("1: agent, 0: agent, 8: {action: repeat}"), "no-repeat") == []


# -- key-gaps (U209) ---------------------------------------------------------

def announcing(prompt: str, keys: str) -> str:
    return wide(keys).replace("prompt: p", f"prompt: {prompt}")


def test_key_gaps_points_at_the_first_key_out_of_sequence():
    [f] = findings(wide("1: agent, 2: agent, 4: agent, 0: agent"), "key-gaps")
    assert at([f]) == [(7, 35)] and "numbers its choices 1, 2, 4" in f.message


def test_key_gaps_leaves_out_the_reserved_keys_of_the_profile():
    keys = "1: agent, 2: agent, 0: agent, 9: agent, '*': {action: back}"
    assert findings(wide(keys), "key-gaps") == []
    # with repeat on 8, 9 is an ordinary choice after 1 and 2: a gap
    assert len(findings(wide(keys), "key-gaps", profile(person="0", back="*", repeat="8"))) == 1


def test_key_gaps_never_counts_a_repeat_or_back_key_as_a_choice():
    keys = "1: agent, 2: agent, 0: agent, 9: {action: repeat}, 7: {action: back}"
    assert findings(wide(keys), "key-gaps", profile(person="0", back="#", repeat="*")) == []


def test_key_gaps_wants_the_keys_in_the_order_the_prompt_says_them():
    text = announcing("For cards, press 2. For bills, press 1.", "1: agent, 2: agent")
    [f] = findings(text, "key-gaps")
    assert at([f]) == [(6, 13)] and "announces 2 before 1" in f.message


def test_key_gaps_reads_digits_of_any_script_and_ignores_numbers_in_passing():
    arabic = announcing('{ar: "للفواتير اضغط ٢. للبطاقات اضغط ١."}', "1: agent, 2: agent")
    assert "the ar prompt" in findings(arabic, "key-gaps")[0].message
    hours = announcing("We are open 9 to 5. Sąskaitos, spauskite 1. Kortelės, spauskite 2.", "1: agent, 2: agent")
    assert findings(hours, "key-gaps") == []


# -- inconsistent-keys (U210) ------------------------------------------------

STARS = line("""\
  main:
    type: menu
    prompt: p
    options: {1: orders, 2: returns, "*": {action: repeat}}
    on_failure: agent
  orders:
    type: menu
    prompt: p
    options: {1: agent, "*": {action: back}}
    on_failure: agent
  returns:
    type: menu
    prompt: p
    options: {1: agent, "*": {action: back}}
    on_failure: agent
  agent: {type: queue, queue: general}
""")


def test_inconsistent_keys_points_at_the_menu_that_breaks_the_profile():
    [f] = findings(STARS, "inconsistent-keys")
    assert at([f]) == [(7, 38)] and f.node == "main"
    assert "'*' in menu 'main' means repeat the menu, but go back in 'orders', 'returns'" in f.message


def test_inconsistent_keys_takes_the_profile_meaning_as_the_right_one():
    found = findings(STARS, "inconsistent-keys", profile(person="0", repeat="*", back="#"))
    assert [f.node for f in found] == ["orders", "returns"]


def test_inconsistent_keys_sees_any_person_or_callback_as_one_meaning():
    text = line("""\
  main: {type: menu, prompt: p, options: {1: sub, 0: agent}, on_failure: agent}
  sub: {type: menu, prompt: p, options: {1: agent, 0: team}, on_failure: agent}
  night: {type: menu, prompt: p, options: {0: callback}, on_failure: callback}
  team: {type: transfer, destination: "+15550100"}
  callback: {type: voicemail}
  agent: {type: queue, queue: general}
""")
    assert findings(text, "inconsistent-keys") == []
    billing = text.replace("0: team", "0: main")
    [f] = findings(billing, "inconsistent-keys")
    assert "'0' in menu 'sub' means go to 'main', but reach a person" in f.message


# -- the reserved-key profile in configuration --------------------------------

@pytest.mark.parametrize("name, text", [
    ("setup.cfg", "[ivrlint]\nreserved-keys = person=0, back=#, repeat=*, end=9\n"),
    ("pyproject.toml", '[tool.ivrlint]\nreserved-keys = {person = "0", back = "#", repeat = "*", end = "9"}\n'),
    (".ivrlint.yaml", "reserved-keys: {person: 0, back: '#', repeat: '*', end: 9}\n"),
])
def test_the_profile_reads_the_same_from_every_configuration_file(write, name, text):
    settings, _ = load_config(str(write(name, text)))
    assert settings.reserved_keys == {"person": "0", "back": "#", "repeat": "*", "end": "9"}


def test_the_default_profile_is_the_one_research_gives():
    assert Settings().reserved_keys == {"person": "0", "back": "*", "repeat": "9", "end": "#"}


@pytest.mark.parametrize("value, says", [
    ("person=0, boss=*", "unknown role 'boss'; roles: person, back, repeat, top, end"),
    ("person=0, back=**", "key '**', which is not on a phone keypad"),
    ("person=0, back=0", "gives key '0' to both 'person' and 'back'"),
    ("person 0", "needs the form role=key"),
])
def test_a_bad_profile_is_an_error_naming_the_file(write, value, says):
    path = write("setup.cfg", f"[ivrlint]\nreserved-keys = {value}\n")
    menu_path = write("m.yaml", wide("1: agent, 0: agent, 9: {action: repeat}"))
    result = run_cli("check", menu_path)
    assert result.code == 2
    assert result.err.startswith(f"{path}:") and ": error: " in result.err and says in result.err


def test_an_unquoted_hash_in_a_yaml_profile_gets_a_hint(write):
    path = write(".ivrlint.yaml", "reserved-keys:\n  person: 0\n  end: #\n")
    result = run_cli("check", write("m.yaml", wide("1: agent, 0: agent")))
    assert result.code == 2 and result.err.startswith(f"{path}:") and "quote * and #" in result.err


def test_the_profile_from_a_configuration_file_changes_what_check_reports(write):
    path = write("m.yaml", ZERO_AND_FIVE)
    assert "no-zero-out" not in run_cli("check", path).out
    write("setup.cfg", "[ivrlint]\nreserved-keys = person=5, back=*, repeat=9\n")
    assert "5 in menu 'main' goes to 'sales'" in run_cli("check", path).out


# -- the bad example menus ----------------------------------------------------

# file, rule, line, column of the finding each bad menu exists to show
EXPECTED_BAD = {
    "no-zero-out.yaml": ("no-zero-out", 12, 7),
    "human-too-far.yaml": ("human-too-far", 6, 3),
    "too-deep.yaml": ("too-deep", 25, 7),
    "too-many-options.yaml": ("too-many-options", 14, 7),
    "hangup-on-failure.yaml": ("hangup-on-failure", 13, 17),
    "retries.yaml": ("retries", 7, 12),
    "timeout-range.yaml": ("timeout-range", 13, 14),
    "no-repeat.yaml": ("no-repeat", 10, 7),
    "key-gaps.yaml": ("key-gaps", 14, 7),
    "inconsistent-keys.yaml": ("inconsistent-keys", 22, 7),
}


def test_every_usability_rule_has_a_bad_menu():
    usability = {r.slug for r in all_rules() if "U201" <= r.code <= "U210"}
    assert usability == {rule for rule, _, _ in EXPECTED_BAD.values()}


@pytest.mark.parametrize("name", sorted(EXPECTED_BAD))
def test_bad_menu_shows_its_usability_rule_at_the_right_place(name):
    rule, line_, column = EXPECTED_BAD[name]
    found = [(f.rule, f.line, f.column) for f in lint_document(read_menu(str(ROOT / "menus" / "bad" / name)))]
    assert (rule, line_, column) in found


def test_findings_on_a_very_deep_chain_stay_short_lines():
    """A 400-menu chain: every message names at most the last menus, so output
    grows with the number of findings, not with depth times findings."""

    lines = ["ivr: chain", "start: m0", "nodes:", "  agent: {type: queue, queue: general}"]
    for i in range(400):
        after = f"m{i + 1}" if i < 399 else "agent"
        lines += [f"  m{i}:", "    type: menu", "    prompt: For sales, press 1. For more, press 2. For an agent, press 0.",
                  f"    options: {{1: t{i}, 2: {after}, 0: agent}}", "    on_failure: agent",
                  f"  t{i}: {{type: transfer, destination: '10{i}'}}"]
    lines.append("queues:\n  general: {agents: 2, handle_time: 120}")
    found = [f for f in lint_document(read_text("\n".join(lines) + "\n", "chain.yaml")) if f.rule == "too-deep"]
    assert len(found) == 400 - 3
    deepest = next(f for f in found if f.node == "t399")
    assert "400 menus deep" in deepest.message and "... > m395 > m396 > m397 > m398 > m399;" in deepest.message
    assert max(len(f.message) for f in found) < 250
