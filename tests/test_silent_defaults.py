"""A value written in a menu is the value: the loader's defaults apply only
where nothing is written (or what is written is refused, with its error),
never to a legal 0 (issue 12, item 6: `defaults: {timeout: 0}` became 5 s)."""

from __future__ import annotations

import pytest
from conftest import findings, menu, run_cli

from ivrlint.errors import InputError
from ivrlint.menu.loader import load_text
from ivrlint.menu.model import DEFAULT_LANGUAGE, DEFAULT_SPEECH_RATE, DEFAULT_TIMEOUT
from ivrlint.menu.overrides import apply_overrides

MENU = """
ivr: t
start: main
DEFAULTS
nodes:
  main:
    type: menu
    prompt: For an agent, press 0. To hear this again, press 9.
    options: {0: agent, 9: {action: repeat}}
    on_failure: agent
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 60}
"""


def with_defaults(line: str) -> str:
    return MENU.replace("DEFAULTS", line)


def test_a_default_timeout_of_zero_is_kept_for_every_node():
    m = menu(with_defaults("defaults: {timeout: 0}"))
    assert m.defaults.timeout == 0 and m.nodes["main"].timeout == 0


def test_a_default_timeout_of_zero_is_reported_by_timeout_range_at_the_defaults():
    text = with_defaults("defaults: {timeout: 0}")
    [f] = findings(text, "timeout-range")
    assert (f.line, f.column) == (4, 21) and "timeout: 0 s in the defaults (used by 'main')" in f.message


def test_a_default_timeout_in_range_is_not_reported():
    assert findings(with_defaults("defaults: {timeout: 5}"), "timeout-range") == []
    assert menu(with_defaults("defaults: {timeout: 7}")).nodes["main"].timeout == 7


def test_no_defaults_still_give_the_documented_ones():
    m = menu(with_defaults(""))
    assert (m.defaults.timeout, m.defaults.speech_rate, m.language) == (DEFAULT_TIMEOUT, DEFAULT_SPEECH_RATE, DEFAULT_LANGUAGE)


def test_set_defaults_timeout_to_zero_is_zero_too():
    m = menu(with_defaults("defaults: {timeout: 5}"))
    m = apply_overrides(m, ["defaults.timeout=0"])
    assert m.defaults.timeout == 0 and m.nodes["main"].timeout == 0


def test_check_exits_with_the_finding_for_a_zero_default_timeout(write):
    path = write("m.yaml", with_defaults("defaults: {timeout: 0}"))
    result = run_cli("check", "--no-config", "--fail-on", "warning", path)
    assert result.code == 1 and "warning timeout-range timeout: 0 s" in result.out


@pytest.mark.parametrize("line, expected", [
    # a speech rate below 1 word a minute is refused where it is written, not replaced by 160
    ("defaults: {speech_rate: 0}", "m.yaml:4:25: error: the speech rate (words per minute) must be at least 1; got 0"),
    ("defaults: {timeout: soon}", "m.yaml:4:21: error: the default timeout must be a duration"),
])
def test_a_refused_default_is_an_error_at_its_place(line, expected):
    with pytest.raises(InputError) as caught:
        load_text(with_defaults(line), "m.yaml")
    assert any(expected in message for message in str(caught.value).splitlines()), str(caught.value)


def test_a_legal_speech_rate_is_kept():
    assert menu(with_defaults("defaults: {speech_rate: 1}")).defaults.speech_rate == 1


def test_an_empty_language_is_refused_not_replaced():
    with pytest.raises(InputError, match="m.yaml:4:11: error: 'language' must be a name"):
        load_text(with_defaults("language: ''"), "m.yaml")
