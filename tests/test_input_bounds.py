"""Every reader's work grows linearly with its input, and 1 MB of any of them is read and linted in bounded time and memory.

docs/safety-limits.md states the bounds: on any file of at most 1 MB,
`check` finishes within 10 s and 1 GB, and beyond that its time and memory
grow linearly. Two kinds of tests pin them, neither timed to the second:

* work counts: the same input at two sizes, 4 times apart, and the Python
  lines executed to read (or lint) each, counted with sys.settrace. Linear
  work gives a ratio near 4; the quadratic readings issue 17 found (a
  prompt's sentences each matched against all its announcements, a
  breadth-first search from every menu, a filtered graph view counted anew
  each time) gave 7 to 12 at these sizes. Garbage collection, whose passes
  grew with the objects an import makes, is no Python line: a test pins
  that imports run with it paused.
* slow tests (``make test-slow``): 1 MB of the worst shapes found for each
  reader, in a process of its own, must finish within a generous 30 s and
  stay under 1 GB.
"""

from __future__ import annotations

import gc
import json
import os
import resource
import subprocess
import sys
import tracemalloc

import pytest
from conftest import ROOT

from ivrlint.importers import read_any
from ivrlint.importers.asterisk.positions import EXT_DATA_SIZE
from ivrlint.language.wording import read_prompt
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings

#: Largest ratio of work at 4 times the size: linear gives about 4 (less, for what is done once).
LINEAR_AT_4X = 5.5


def _lines_run(work) -> int:
    """How many Python lines `work()` executes (every line event, comprehensions' iterations included)."""
    count = 0

    def tracer(frame, event, arg):
        nonlocal count
        count += 1
        return tracer

    before = sys.gettrace()
    sys.settrace(tracer)
    try:
        work()
    finally:
        sys.settrace(before)
    return count


def _growth(make, run, small: int, warm: int = 5) -> float:
    """Work at 4 x `small` over work at `small`, for inputs `make(n)` handed to `run`; a tiny input first fills
    the caches that are built once (the lexicon, compiled patterns)."""
    run(make(warm))
    return _lines_run(lambda: run(make(4 * small))) / _lines_run(lambda: run(make(small)))


# -- inputs: the shapes that were quadratic, and long text -------------------------

def sentences(n: int, seed: str = "") -> str:
    return " ".join(f"For option {i}{seed}, press {i % 9 + 1}." for i in range(n))


def yaml_chain(n: int, shape: str = "nozero") -> str:
    """`n` menus in a row; `nozero`: no 0 key anywhere (no-zero-out looks for the nearest person from each),
    `carry`: each menu's failures go through a message and a branch that lead on to the next menu's."""
    lines = ["ivr: chain", "start: m0", "nodes:"]
    for i in range(n):
        after = f"m{i + 1}" if i + 1 < n else "agent"
        if shape == "nozero":
            lines += [f"  m{i}: {{type: menu, prompt: For the next menu press 1. For sales press 2., options: {{1: {after}, 2: s{i}}}}}",
                      f"  s{i}: {{type: message, prompt: Sales is closed., next: m{i}}}"]
        else:
            lines += [f"  m{i}: {{type: menu, prompt: Press 1 to go on. For an agent press 0., options: {{1: {after}, 0: agent}}, "
                      f"on_failure: f{i}}}", f"  f{i}: {{type: message, prompt: Sorry., next: b{i}}}",
                      f"  b{i}: {{type: branch, branches: [{{goto: bye, share: 0.5}}, {{goto: f{(i + 1) % n}, share: 0.5}}]}}"]
    lines += ["  agent: {type: queue, queue: q}", "  bye: {type: hangup}", "queues:", "  q: {agents: 3, handle_time: 3m}"]
    return "\n".join(lines) + "\n"


def yaml_prompt(size: int) -> str:
    prompt = sentences(size // 28 + 1)[:size]
    return (f"ivr: t\nstart: main\nnodes:\n  main:\n    type: menu\n    prompt: \"{prompt}\"\n"
            "    options: {1: agent, 0: agent, 9: {action: repeat}}\n    on_failure: agent\n  agent: {type: queue, queue: q}\n"
            "queues:\n  q: {agents: 2, handle_time: 3m}\n")


def freeswitch_chain(n: int, greeting: str = "say:For the next menu, press 1. For an agent, press 0.") -> str:
    menus = [f'<menu name="m{i}" greet-long="{greeting}" timeout="5000" max-failures="3">'
             f'<entry action="menu-sub" digits="1" param="m{(i + 1) % n}"/>'
             '<entry action="menu-exec-app" digits="0" param="transfer 1000 XML default"/>'
             '<entry action="menu-top" digits="9"/></menu>' for i in range(n)]
    return "<include>\n" + "\n".join(menus) + "\n</include>\n"


def asterisk_contexts(n: int) -> str:
    """`n` menu contexts in a row, none with a 0 key: what took more than 60 s at 250,000 contexts."""
    lines = ["[incoming]", "exten => s,1,Goto(c0,s,1)"]
    for i in range(n):
        lines += [f"[c{i}]", f"exten => s,1,Background(menu{i})", " same => n,WaitExten(5)", f"exten => 1,1,Goto(c{(i + 1) % n},s,1)"]
    return "\n".join(lines) + "\n"


def asterisk_bomb(levels: int = 8, width: int = 10) -> str:
    """[globals] whose every variable is the one before it `width` times: width**levels copies if expanded in full."""
    variables = ["B0=xxxxxxxx"] + [f"B{i}=" + f"${{B{i - 1}}}" * width for i in range(1, levels + 1)]
    return ("[globals]\n" + "\n".join(variables) + f"\n[main]\nexten => s,1,Background(${{B{levels}}})\n same => n,WaitExten(5)\n"
            f"exten => 0,1,Queue(${{B{levels}}})\nexten => 1,1,Playback(${{B{levels}}}&${{B{levels}}})\n")


def connect_chain(n: int) -> str:
    def block(ident, kind, params, conditions=(), errors=()):
        return {"Identifier": ident, "Type": kind, "Parameters": params, "Transitions": {
            "Conditions": [{"NextAction": t, "Condition": {"Operator": "Equals", "Operands": [k]}} for k, t in conditions],
            "Errors": [{"NextAction": t, "ErrorType": e} for e, t in errors]}}
    actions = [block(f"menu{i}", "GetParticipantInput", {"Text": sentences(3, str(i)), "InputTimeLimitSeconds": "5"},
                     [("1", f"menu{(i + 1) % n}"), ("2", "bye")], [("InputTimeLimitExceeded", "bye"), ("NoMatchingCondition", "bye")])
               for i in range(n)] + [block("bye", "DisconnectParticipant", {})]
    return json.dumps({"Version": "2019-10-30", "StartAction": "menu0", "Actions": actions})


def twilio_chain(n: int) -> str:
    states = [{"name": "Trigger", "type": "trigger", "transitions": [{"event": "incomingCall", "next": "g0"}], "properties": {}}]
    for i in range(n):
        match = [{"event": "match", "next": f"g{(i + 1) % n}", "conditions": [
            {"friendly_name": "1", "arguments": [f"{{{{widgets.g{i}.Digits}}}}"], "type": "equal_to", "value": "1"}]}]
        states += [{"name": f"g{i}", "type": "gather-input-on-call", "transitions": [
                       {"event": "keypress", "next": f"s{i}"}, {"event": "speech"}, {"event": "timeout"}],
                    "properties": {"say": sentences(3, str(i)), "loop": 3, "timeout": 5, "number_of_digits": 1}},
                   {"name": f"s{i}", "type": "split-based-on", "transitions": [{"event": "noMatch"}, *match],
                    "properties": {"input": f"{{{{widgets.g{i}.Digits}}}}"}}]
    return json.dumps({"description": "chain", "states": states, "initial_state": "Trigger", "flags": {}})


def genesys_chain(n: int) -> str:
    lines = ["inboundCall:", "  name: Chain", "  startUpRef: /inboundCall/menus/menu[m0]", "  defaultLanguage: en-us", "  menus:"]
    for i in range(n):
        lines += ["    - menu:", f"        name: Menu {i}", f"        refId: m{i}", "        audio:",
                  f"          tts: {sentences(3, str(i))}", "        choices:", "          - menuJumpToMenu:",
                  f"              name: Next {i}", "              dtmf: digit_1",
                  f"              targetMenuRef: /inboundCall/menus/menu[m{(i + 1) % n}]"]
    return "\n".join(lines) + "\n"


def _reader(tmp_path, name: str, make):
    """A function of n that writes `make(n)` to a fresh file called `name` and returns its path."""
    def written(n: int) -> str:
        folder = tmp_path / f"{n}"
        folder.mkdir(exist_ok=True)
        path = folder / name
        path.write_text(make(n), encoding="utf-8")
        return str(path)
    return written


def _lint(rule: str):
    return lambda path: lint_document(read_any(path), Settings(select=[rule]))


# -- linear growth ----------------------------------------------------------------

def test_reading_a_prompt_grows_linearly_with_its_sentences():
    seeds = iter(range(100))  # a fresh text each time: readings are cached by text
    assert _growth(lambda n: sentences(n, f"-{next(seeds)}"), read_prompt, 200) < LINEAR_AT_4X


def test_importers_run_with_garbage_collection_paused(tmp_path, monkeypatch):
    """A 25,000-context dialplan took 7.0 s with collection on, 3.7 s with it off, and the gap grew with the file."""
    from ivrlint.importers import importers

    seen = []
    asterisk = importers()["asterisk"]
    monkeypatch.setitem(importers(), "asterisk", asterisk.__class__(
        **{**vars(asterisk), "read": lambda paths: (seen.append(gc.isenabled()), asterisk.read(paths))[1]}))
    path = tmp_path / "extensions.conf"
    path.write_text(asterisk_contexts(3), encoding="utf-8")
    assert gc.isenabled()
    read_any(str(path), "asterisk")
    assert seen == [False] and gc.isenabled()


@pytest.mark.parametrize("name, make", [
    ("ivr.xml", freeswitch_chain), ("extensions.conf", asterisk_contexts), ("menu.yaml", yaml_chain),
    ("flow.json", connect_chain), ("studio.json", twilio_chain), ("flow.yaml", genesys_chain)])
def test_importing_a_chain_of_menus_grows_linearly(tmp_path, name, make):
    assert _growth(_reader(tmp_path, name, make), read_any, 60) < LINEAR_AT_4X


@pytest.mark.parametrize("rule, make", [
    ("no-zero-out", asterisk_contexts), ("no-zero-out", yaml_chain),
    ("hangup-on-failure", lambda n: yaml_chain(n, "carry"))])
def test_linting_a_chain_of_menus_grows_linearly(tmp_path, rule, make):
    name = "extensions.conf" if make is asterisk_contexts else "menu.yaml"
    assert _growth(_reader(tmp_path, name, make), _lint(rule), 60) < LINEAR_AT_4X


def test_the_linear_check_catches_quadratic_work():
    """The measure itself can fail: work over all pairs grows 16 times at 4 times the size."""
    assert _growth(lambda n: list(range(n)), lambda items: [a for a in items for b in items if a == b], 50) > 12


# -- bounded expansion --------------------------------------------------------------

def test_a_globals_expansion_bomb_stays_small(write):
    """541 bytes of [globals] would expand to 10**8 copies (800 MB per use); Asterisk cuts substituted
    arguments at EXT_DATA_SIZE, and so does ivrlint."""
    path = write("extensions.conf", asterisk_bomb())
    tracemalloc.start()
    try:
        document = read_any(str(path))
        lint_document(document)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 100 * 1024 * 1024  # the 64 MiB buffer a file is read into counts; in full it would be gigabytes
    labels = [node.label or "" for node in document.menu.nodes.values()] + [q for q in document.menu.queues]
    assert max(len(text) for text in labels) <= 2 * EXT_DATA_SIZE + 64  # a label names at most two substituted texts
    assert any(text.count("${B0}") > 1000 for text in labels)  # put in 8 levels deep, as long as Asterisk would


def test_a_small_expansion_is_put_in_whole(write):
    path = write("extensions.conf", "[globals]\nQ=sales\nQQ=${Q}-${Q}\n[main]\nexten => s,1,Background(menu)\n"
                                    " same => n,WaitExten(5)\nexten => 0,1,Queue(${QQ})\n")
    assert "sales-sales" in read_any(str(path)).menu.queues


# -- 1 MB of each reader, in a process of its own --------------------------------------

MEGABYTE = 1_000_000
#: The size the bound is stated for, 1 MiB: each input below is between 0.9 MB and it.
MIB = 1 << 20
#: The worst shapes found for each reader, each about 1 MB: (file name, text).
ONE_MEGABYTE = {
    "yaml-prompt": ("menu.yaml", lambda: yaml_prompt(MEGABYTE)),
    "yaml-chain-nozero": ("menu.yaml", lambda: yaml_chain(MEGABYTE // 170)),
    "yaml-chain-carry": ("menu.yaml", lambda: yaml_chain(MEGABYTE // 280, "carry")),
    "freeswitch-greeting": ("ivr.xml", lambda: freeswitch_chain(1, "say:" + sentences(MEGABYTE // 28)[:MEGABYTE])),
    "freeswitch-chain": ("ivr.xml", lambda: freeswitch_chain(MEGABYTE // 285)),
    "asterisk-contexts": ("extensions.conf", lambda: asterisk_contexts(MEGABYTE // 100)),
    "asterisk-bomb": ("extensions.conf", asterisk_bomb),
    "connect-chain": ("flow.json", lambda: connect_chain(MEGABYTE // 520)),
    "twilio-chain": ("studio.json", lambda: twilio_chain(MEGABYTE // 620)),
    "genesys-chain": ("flow.yaml", lambda: genesys_chain(MEGABYTE // 330)),
}


@pytest.mark.slow
@pytest.mark.parametrize("shape", sorted(ONE_MEGABYTE))
def test_one_megabyte_is_checked_in_bounded_time_and_memory(tmp_path, shape):
    name, make = ONE_MEGABYTE[shape]
    path = tmp_path / name
    path.write_text(make(), encoding="utf-8")
    assert 0.9 * MEGABYTE <= os.path.getsize(path) <= MIB or shape == "asterisk-bomb"
    result = subprocess.run([sys.executable, "-m", "ivrlint", "check", "--no-config", str(path)], cwd=ROOT,
                            capture_output=True, text=True, timeout=30)  # generous: the promise is 10 s
    assert result.returncode in (0, 1), result.stderr
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1024 * 1024  # KiB: under 1 GiB
