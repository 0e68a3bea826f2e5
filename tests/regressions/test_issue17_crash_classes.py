"""Issue 17's crash classes, each pinned: what used to be a Python traceback is a finding or one
error line naming file:line:col (exit 2), and what was read right before still is.

The seven classes of the mutation run (jsonpos value, FreeSWITCH _whole,
Asterisk pattern_keys / step / priority, Erlang A's chain and logw), the
hand-made probes (handle_time 0, numbers over 4,300 digits in every
importer, calls_per_hour 4.9e-324, retries 1e20), and the examples the fuzz
net (tests/fuzz/) found since, whose files are kept under
tests/regressions/found/.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from conftest import ROOT, run_cli

from ivrlint.analysis.queueing import erlang_a_metrics
from ivrlint.errors import InputError, UsageError
from ivrlint.importers.asterisk.positions import pattern_keys, pattern_matches
from ivrlint.importers.numbers import LONG_MAX, json_number, strtol, whole_number
from ivrlint.menu.limits import MAX_AGENTS, MAX_RETRIES, MAX_SECONDS
from ivrlint.menu.loader import load_text

FOUND = Path(__file__).resolve().parent / "found"
HUGE = "9" * 5000  # past Python's 4,300-digit limit on reading a whole number
BANK = (ROOT / "menus" / "bank.yaml").read_text(encoding="utf-8")


def clean(result, status: int | tuple[int, ...]) -> str:
    """The run ended with `status`, printed no traceback; its stderr."""
    assert "Traceback" not in result.out + result.err, result.err
    assert result.code in ((status,) if isinstance(status, int) else status), result.out + result.err
    return result.err


def one_error(result) -> str:
    """The one error line of a file `check` could not read (exit 2)."""
    [line] = [line for line in clean(result, 2).splitlines() if line.strip()]
    return line


def place_of(line: str) -> tuple[int, int]:
    match = re.match(r".+?:(\d+):(\d+): error", line)
    assert match, line
    return int(match.group(1)), int(match.group(2))


# -- 1. importers/connect/jsonpos.py: int() of a number past 4,300 digits ------------------
def connect_flow(extra_metadata: str = "", loop_count: str = "2") -> str:
    """The bundled Billing flow, whose menu's retries come from the Loop block 'billing-loop'."""
    return (ROOT / "menus" / "platforms" / "connect" / "Billing.json").read_text(encoding="utf-8") \
        .replace('"Version": "2019-10-30",', f'"Version": "2019-10-30",{extra_metadata}', 1) \
        .replace('"LoopCount": "2"', f'"LoopCount": "{loop_count}"', 1)


def test_a_json_number_of_5000_digits_is_read_as_json_parse_reads_it_not_a_traceback(write):
    path = write("flows/Billing.json", connect_flow(f' "x-note": {HUGE},'))
    clean(run_cli("check", "--no-config", path.parent), (0, 1))
    assert json_number(HUGE, False) == float("inf") and json_number("12", False) == 12 and json_number("1.5", True) == 1.5


def test_a_loop_count_of_5000_digits_is_past_the_retries_limit_at_its_line(write):
    path = write("flows/Billing.json", connect_flow(loop_count=HUGE))
    line = one_error(run_cli("check", "--no-config", path))
    assert f"must be at most {MAX_RETRIES}" in line and HUGE not in line
    assert place_of(line)[0] == next(i for i, text in enumerate(path.read_text().splitlines(), 1) if '"LoopCount"' in text)


def test_a_twilio_timeout_of_5000_digits_is_refused_at_its_line(write):
    flow = json.loads((ROOT / "menus" / "platforms" / "twilio" / "acme-support.json").read_text(encoding="utf-8"))
    text = json.dumps(flow, indent=2).replace('"timeout": 5', f'"timeout": {HUGE}', 1)
    path = write("flow.json", text)
    line = one_error(run_cli("check", "--no-config", path))
    assert f"must be at most {MAX_SECONDS:,.0f} s" in line
    assert place_of(line)[0] == next(i for i, text in enumerate(text.splitlines(), 1) if f'"timeout": {HUGE}' in text)


def test_a_terraform_number_of_5000_digits_is_read_not_a_traceback(write):
    tf = (ROOT / "tests" / "fuzz" / "seeds" / "twilio" / "main.tf").read_text(encoding="utf-8")
    path = write("main.tf", tf.replace("properties = { offset = { x = 0, y = 0 } }", f"properties = {{ offset = {{ x = {HUGE} }} }}"))
    clean(run_cli("check", "--no-config", path), (0, 1))


# -- 2. importers/freeswitch/build.py _whole: int() of a huge attribute, then timeout / 1000 ----
FREESWITCH = '''<configuration name="ivr.conf">
  <menus>
    <menu name="main" greet-long="say:For sales, press 1. For an agent, press 0. To hear these options again, press 9."
          timeout="{timeout}" max-failures="{failures}" exec-on-max-failures="transfer 1001 XML default">
      <entry action="menu-exec-app" digits="1" param="transfer 1000 XML default"/>
      <entry action="menu-exec-app" digits="0" param="transfer 1001 XML default"/>
      <entry action="menu-top" digits="9"/>
    </menu>
  </menus>
</configuration>
'''


@pytest.mark.parametrize("timeout", [HUGE, "9" * 300, "3000000000"])
def test_a_freeswitch_number_past_a_c_int_is_a_broken_entry_at_its_attribute(write, timeout):
    path = write("ivr.conf.xml", FREESWITCH.format(timeout=timeout, failures=3))
    err = clean(result := run_cli("check", "--no-config", path), 1)
    assert not err, err
    [finding] = [line for line in result.out.splitlines() if "broken-entry" in line]
    assert finding.startswith(f"{path}:4:11: error broken-entry timeout of menu 'main' is larger than FreeSWITCH reads")


def test_a_freeswitch_timeout_inside_a_c_int_still_reads():
    assert "broken-entry" not in run_cli("check", "--no-config", "menus/platforms/freeswitch", cwd=ROOT).out


def test_freeswitch_max_failures_past_the_retries_limit_is_refused_at_the_attribute(write):
    path = write("ivr.conf.xml", FREESWITCH.format(timeout=5000, failures=1000))
    line = one_error(run_cli("check", "--no-config", path))
    assert line == (f"{path}:4:26: error: the retries of menu 'main' must be at most 100; got 999: "
                    "no caller tries a menu that often; allow fewer tries")
    assert clean(run_cli("check", "--no-config", write("ok/ivr.conf.xml", FREESWITCH.format(timeout=5000, failures=101))),
                 (0, 1)) == ""


# -- 3-5. Asterisk: patterns that are no regex once translated, priorities past 4,300 digits ---
@pytest.mark.parametrize(("pattern", "keys", "matches"), [
    ("_[9-1]X", [], []),  # a range whose end comes first holds nothing: the pattern matches no number
    ("_[", [], []),  # "Wrong usage of [] in the extension": no match at all
    ("_X[", [], []),
    ("_[]X", [str(k) for k in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)], ["5"]),  # an empty set is skipped
    ("_[-5]", ["5"], ["5"]),  # '-' at an end of a set is itself
    ("_[1-3]X", ["1", "2", "3"], ["12"]),
])
def test_asterisk_patterns_are_matched_as_asterisk_matches_them(pattern, keys, matches):
    assert pattern_keys(pattern) == keys
    assert [number for number in ("5", "12", "99") if pattern_matches(pattern, number)] == matches


DIALPLAN = """[incoming]
exten => s,1,Goto(main,s,1)

[main]
exten => s,1,Background(custom/main-menu)
 same => n,WaitExten(5)
exten => 1,1,Queue(sales)
exten => 0,1,Queue(operator)
exten => 9,1,Goto(s,1)
exten => i,1,Goto(s,1)
exten => t,1,Goto(s,1)
"""


@pytest.mark.parametrize(("line", "finding"), [
    ("exten => _[9-1]X,1,Queue(sales)", None),  # a pattern no number matches: a dead extension, as in Asterisk
    ("exten => _[,1,Queue(sales)", "12:27: error platform-warning"),
    (f"exten => 2,{HUGE},Queue(sales)", "12:10: error broken-entry extension 2 of [main] has no priority 1"),
    (f"exten => 2,1,NoOp()\n same => n+{HUGE},Queue(sales)", "13:5013: error broken-entry extension 2 of [main] jumps"),
    (f"exten => 2,-{HUGE},Queue(sales)", "12:12: error platform-warning priority '-999"),
    (f"exten => 3,1,Goto(main,s,{HUGE})", "12:19: error broken-entry main,s has no priority 999"),
    ("exten => 4,1,Goto(main,s,²)", "12:19: error unknown-target key 4 of 'main' goes to 'main/s/²'"),  # a label, not a number
    ("exten => 5,1,Read(CHOICE,custom/enter,²,,²,5)", "12:42: error retries retries: 0 in input at extension 5"),
])
def test_asterisk_lines_that_crashed_the_importer_are_read(write, line, finding):
    path = write("extensions.conf", DIALPLAN + line + "\n")
    result = run_cli("check", "--no-config", path)
    clean(result, 1)
    at_line = [text for text in result.out.splitlines() if text.startswith((f"{path}:12:", f"{path}:13:"))]
    if finding is None:
        assert at_line == [], at_line
    else:
        assert any(text.startswith(f"{path}:{finding}") for text in at_line), at_line


def test_c_numbers_saturate_as_strtol_does():
    assert strtol(HUGE) == LONG_MAX and strtol("-" + HUGE) == -LONG_MAX and strtol("+101") == 101
    assert whole_number("²") is None and whole_number("12") == 12 and whole_number(HUGE) == LONG_MAX


# -- 6-7. analysis/queueing.py: erlang_a_chain and logw overflowing --------------------------
@pytest.mark.parametrize("args", [(1.0, 100.0, 1e308, 5), (1.0, 1e-308, 100.0, 5), (1e300, 100.0, 100.0, 5),
                                  (1.0, 1e308, 100.0, 5)])
def test_erlang_a_past_float_range_is_refused_with_its_reason(args):
    with pytest.raises(UsageError, match="too far apart for the exact analysis"):
        erlang_a_metrics(*args)


def test_erlang_a_of_ordinary_pools_is_untouched():
    assert erlang_a_metrics(1.0 / 30, 240.0, 180.0, 10)["stable"]
    assert erlang_a_metrics(1.0, 100.0, 1e-308, 5)["mean_wait"] == 0.0  # callers who hang up at once wait no time


def bank(old: str, new: str) -> str:
    assert old in BANK
    return BANK.replace(old, new, 1)


@pytest.mark.parametrize(("old", "new", "message"), [
    ("patience: {mean: 180, distribution: exponential}", "patience: {mean: 0." + "0" * 307 + "1, distribution: exponential}",
     "the mean of the patience must be at least 0.001 s"),
    ("patience: {mean: 180, distribution: exponential}", "patience: {mean: " + "9" * 309 + ", distribution: exponential}",
     "the mean of the patience must be at most 1,000,000,000,000 s; got more than 1e+308 s"),
    ("cards:   {agents: 5, handle_time: 300}", "cards:   {agents: 5, handle_time: 0}",
     "the handle time of queue 'cards' must be at least 0.001 s"),
    ("cards:   {agents: 5, handle_time: 300}", "cards:   {agents: 123456789, handle_time: 300}",
     f"the agents of queue 'cards' must be at most {MAX_AGENTS:,}; got 123,456,789"),
    ("retries: 3", "retries: 1e20", "the default retries must be at most 100; got 1e+20"),
    ("retries: 3", "retries: 10000", "the default retries must be at most 100; got 10,000"),
    ("calls_per_hour: 400", "calls_per_hour: 1e300", "'calls_per_hour' must be at most 10,000,000; got 1e+300"),
])
def test_extreme_numbers_in_traffic_and_queues_are_refused_at_load_naming_the_limit(write, old, new, message):
    path = write("menu.yaml", bank(old, new))
    row = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if new.split(":")[0].strip() in text
               and new.split(": ", 1)[1][:6] in text)
    for command in (["check", "--no-config"], ["analyze"], ["simulate", "--hours", "0.1", "--replications", "1"]):
        line = one_error(run_cli(*command, path))
        assert message in line and place_of(line)[0] == row, line
    with pytest.raises(InputError):
        load_text(bank(old, new))


def test_limits_leave_long_patience_for_callers_who_never_hang_up():
    menu = load_text(bank("patience: {mean: 180, distribution: exponential}", "patience: {mean: 100000h, distribution: exponential}"))
    assert menu.traffic and menu.traffic.patience.mean == 3.6e8


def test_set_is_held_to_the_same_limits():
    for assignment, message in (("queues.cards.handle_time=0", "must be at least 0.001 s"),
                                ("traffic.patience.mean=0", "must be at least 0.001 s"),
                                ("queues.cards.agents=1000000", "must be at most 100,000"),
                                ("defaults.retries=1000", "must be at most 100")):
        err = clean(run_cli("analyze", "menus/bank.yaml", "--set", assignment, cwd=ROOT), 2)
        assert err.startswith(f"ivrlint: error: --set {assignment}: ") and message in err, err


# -- cli/simulate.py: calls_per_hour 4.9e-324 ------------------------------------------------
def test_a_denormal_call_rate_simulates_with_a_warning_not_a_traceback(write):
    path = write("menu.yaml", bank("calls_per_hour: 400", "calls_per_hour: 4.9e-324"))
    err = clean(run_cli("simulate", path, "--hours", "0.1", "--replications", "1", "--jobs", "1", "--quiet"), 0)
    assert err == f"{path}: warning: no call arrived in 0.1 h; at 4.94066e-324 calls per hour no run is long enough; " \
                  "raise traffic.calls_per_hour\n"


def test_a_small_call_rate_still_says_how_long_to_run(write):
    path = write("menu.yaml", bank("calls_per_hour: 400", "calls_per_hour: 0.5"))
    err = clean(run_cli("simulate", path, "--hours", "0.1", "--replications", "1", "--jobs", "1", "--quiet"), 0)
    assert "at 0.5 calls per hour, --hours 200 or more gives about 100 calls" in err


# -- numbers past 4,300 digits in every importer (and digits int() cannot read) --------------
GENESYS = """inboundCall:
  name: Account
  startUpRef: /inboundCall/tasks/task[ask]
  tasks:
    - task:
        name: Ask
        refId: ask
        actions:
          - collectInput:
              name: Account Number
              inputAudio:
                tts: Please enter your account number.
              digits:
                exact: {digits}
          - transferToAcd:
              name: Accounts
              targetQueue:
                lit:
                  name: Accounts
"""


@pytest.mark.parametrize(("digits", "read"), [("8", 8), ("²", None), (HUGE, LONG_MAX)])
def test_genesys_digits_are_read_as_ascii_digits_of_any_length(write, digits, read):
    from ivrlint.importers import load_any

    path = write("flow.yaml", GENESYS.format(digits=digits))
    assert load_any(str(path)).nodes["Ask/Account Number"].digits == read
    clean(run_cli("check", "--no-config", path), (0, 1))


# -- what the fuzz net found since ------------------------------------------------------------
FOUND_CASES = sorted(p for p in FOUND.iterdir() if p.is_dir()) if FOUND.is_dir() else []


@pytest.mark.parametrize("case", FOUND_CASES, ids=[p.name for p in FOUND_CASES])
def test_inputs_the_fuzz_net_found_end_cleanly(case):
    """Each kept input: the command of its EXPECT file ends with the status it names, no traceback,
    and prints each of the lines it lists (a finding or an error at its place)."""
    expect = json.loads((case / "EXPECT.json").read_text(encoding="utf-8"))
    result = run_cli(*expect["args"], cwd=case)
    clean(result, expect["status"])
    for text in expect.get("prints", []):
        assert text in result.out + result.err, result.out + result.err


# -- the language server: a buffer no file could hold, and the crash classes, are diagnostics ---
def test_a_buffer_with_a_lone_surrogate_is_a_problem_at_its_place_not_a_caught_crash(tmp_path):
    from ivrlint.server.buffers import lint_buffer

    outcome = lint_buffer(str(tmp_path / "menu.yaml"), BANK.replace("North Bank", "North \udcffBank", 1))
    [(loc, message)] = outcome.problems
    row = next(i for i, text in enumerate(BANK.splitlines(), 1) if "North Bank" in text)
    assert (loc.line, loc.column) == (row, BANK.splitlines()[row - 1].index("North Bank") + len("North ") + 1)
    assert message.startswith("the text holds U+DCFF, half of a UTF-16 surrogate pair")


def test_lint_buffer_gives_the_crash_classes_as_findings(tmp_path):
    from ivrlint.server.buffers import lint_buffer

    outcome = lint_buffer(str(tmp_path / "ivr.conf.xml"), FREESWITCH.format(timeout=HUGE, failures=3))
    assert outcome.problems == [] and "broken-entry" in {f.rule for f in outcome.findings}


def test_the_server_reports_a_buffer_no_file_could_hold_and_keeps_serving(tmp_path):
    pytest.importorskip("pygls", reason="the language server needs the lsp extra (pip install 'ivrlint[lsp]')")
    from test_lsp import Editor, run

    async def session():
        editor = Editor()
        await editor.start(tmp_path)
        try:
            uri = editor.open(tmp_path / "menu.yaml", "ivr: \udcff\n")
            [problem] = await editor.diagnostics(uri)
            assert "U+DCFF" in problem.message and problem.range.start.line == 0
            editor.change(uri, BANK, 2)
            assert all("U+DCFF" not in d.message for d in await editor.diagnostics(uri))
        finally:
            await editor.stop()

    run(session())


# -- configuration files: numbers past float range, and past 4,300 digits ---------------------
@pytest.mark.parametrize(("name", "text", "where", "message"), [
    (".ivrlint.yaml", f"rules:\n  too-many-options: {{max_options: {HUGE}}}\n", "2:35", "a number of more than 4,300 digits"),
    ("pyproject.toml", f"[tool.ivrlint.rules.too-many-options]\nmax_options = {HUGE}\n", "2:15", "a number of more than 4,300 digits"),
    ("setup.cfg", f"[ivrlint:too-many-options]\nmax_options = {HUGE}\n", "2:1", "must be a finite number; got one past 1e308"),
    (".ivrlint.yaml", "rules:\n  too-many-options: {max_options: 1e309}\n", "2:22", "must be a finite number; got one past 1e308"),
    (".ivrlint.yaml", "rules:\n  too-many-options: {max_options: " + "9" * 400 + "}\n", "2:22", "must be a finite number"),
    (".ivrlint.yaml", "rules:\n  too-many-options: {max_options: .nan}\n", "2:22", "must be a finite number; got nan"),
])
def test_a_configuration_number_no_float_holds_is_an_error_at_its_line(write, name, text, where, message):
    config = write(name, text)
    menu = write("menus/menu.yaml", BANK)
    line = one_error(run_cli("check", menu))
    assert line.startswith(f"{config}:{where}: error: ") and message in line, line


def test_a_configuration_number_in_range_still_applies(write):
    write(".ivrlint.yaml", "rules:\n  too-many-options: {max_options: 1}\n")
    result = run_cli("check", write("menus/menu.yaml", BANK))
    clean(result, 0)  # warnings only
    assert "more than 1); group them" in result.out


@pytest.mark.parametrize(("text", "message"), [
    ("{0}\n", "1:2: error: unknown setting '0' in the ivrlint configuration"),  # found by the fuzz net
    ("rules:\n  too-many-options: {7: 1}\n", "2:22: error: rule 'too-many-options' has no option '7'"),
    ("rules:\n  1: {severity: error}\n", "configuration for unknown rule '1'"),
    ("yes: 1\n", "unknown setting 'true'"),
])
def test_a_yaml_configuration_key_that_is_no_text_is_named_as_text(write, text, message):
    config = write(".ivrlint.yaml", text)
    line = one_error(run_cli("check", write("menus/menu.yaml", BANK)))
    assert line.startswith(str(config)) and message in line, line


def _alias_bomb() -> str:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for level in range(1, 10):
        prev, cur = chr(ord("a") + level - 1), chr(ord("a") + level)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    return "\n".join(lines) + "\nrules: {too-many-options: {max_options: *j}}\n"


@pytest.mark.parametrize(("text", "message"), [
    (_alias_bomb(), "1:33: error: configuration expands to more than 100,000 values"),  # hung before
    ("rules: " + "[" * 50_000 + "]" * 50_000 + "\n", "error: invalid YAML: exceeded maximum nesting depth"),  # RecursionError
])
def test_a_hostile_yaml_configuration_is_refused_at_its_line(write, text, message):
    config = write(".ivrlint.yaml", text)
    line = one_error(run_cli("check", write("menus/menu.yaml", BANK)))
    assert line.startswith(str(config)) and message in line, line


def test_a_set_value_with_a_byte_that_is_not_utf8_is_one_error(write):
    """Found by the long fuzz run: `--set` with a YAML flow value holding a byte that is not UTF-8
    (Python hands it over as a lone surrogate) crashed libyaml's parser with UnicodeEncodeError."""
    line = one_error(run_cli("analyze", write("menus/menu.yaml", BANK), "--set",
                             "traffic.patience.cv={goto: action, label: \udcff}"))
    assert "invalid text: character 23 stands for a byte that is not UTF-8" in line, line
