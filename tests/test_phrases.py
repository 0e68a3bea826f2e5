"""Fix hints are worded by the Document's Phrases: YAML by default, the platform's for an imported file."""

from ivrlint.lint.run import lint_document
from ivrlint.menu.document import Document
from ivrlint.menu.loader import load_text
from ivrlint.menu.phrases import Phrases

MENU = """\
ivr: shop
start: main
defaults: {timeout: 1}
nodes:
  main:
    type: menu
    prompt: For opening hours, press 1. For an agent, press 2.
    options: {1: hours, 2: agent}
    retries: 0
  hours: {type: message, prompt: We are open from nine to five., next: main}
  agent: {type: queue, queue: general}
queues:
  general: {agents: 2, handle_time: 120}
"""


class Dialplan(Phrases):
    platform = "test dialplan"

    def node(self, node):
        return f"context [{node.id}]"

    def add_option(self, node, key, target):
        return f"add `exten => {key},1,Goto({target},s,1)`"

    def add_repeat(self, node, key):
        return f"add `exten => {key},1,Goto(s,1)`"

    def add_failure(self, node, target):
        return f"add `exten => t,1,Goto({target},s,1)`"

    def set_timeout(self, node, seconds):
        return f"use WaitExten({seconds:g})"

    def set_retries(self, node, retries):
        return f"count {retries} tries with a GotoIf"


def _messages(phrases=None):
    menu = load_text(MENU, "shop.yaml")
    document = Document(menu) if phrases is None else Document(menu, phrases=phrases)
    return {f.rule: f.message for f in lint_document(document)}


def test_yaml_menus_get_yaml_fixes():
    said = _messages()
    assert "add `'0': agent`" in said["no-zero-out"]
    assert "add `'9': {action: repeat}`" in said["no-repeat"]
    assert "set `on_failure: agent`" in said["hangup-on-failure"]
    assert "set `defaults: {timeout: 5s}`" in said["timeout-range"]
    assert "set `retries: 2`" in said["retries"]
    assert "menu 'main'" in said["no-zero-out"]


def test_a_platform_words_every_fix_and_node_its_own_way():
    said = _messages(Dialplan())
    assert "add `exten => 0,1,Goto(agent,s,1)`" in said["no-zero-out"]
    assert "add `exten => 9,1,Goto(s,1)`" in said["no-repeat"]
    assert "add `exten => t,1,Goto(agent,s,1)`" in said["hangup-on-failure"]
    assert "use WaitExten(5)" in said["timeout-range"]
    assert "count 2 tries with a GotoIf" in said["retries"]
    assert "context [main]" in said["no-zero-out"] and "menu 'main'" not in said["no-zero-out"]
    assert not any("{action: repeat}" in m or "on_failure:" in m for m in said.values())
