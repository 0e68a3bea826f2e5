"""`served_by` on an intent: read with its places, validated like the other
references, kept by --set and by `ivrlint import`'s YAML, published in the schema."""

from __future__ import annotations

import textwrap

import jsonschema
import pytest
import yaml
from conftest import findings, menu

from ivrlint.errors import InputError, UsageError
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.menu.loader import load_text
from ivrlint.menu.overrides import apply_overrides
from ivrlint.menu.schema import build_schema

SHOP = """
ivr: shop
start: main
nodes:
  main:
    type: menu
    prompt: For orders, press 1. For an agent, press 0.
    options: {1: orders, 0: agent}
    on_failure: agent
  orders: {type: self_service, duration: 60, success: 0.7, next: bye, on_failure: agent}
  agent: {type: queue, queue: general}
  bye: {type: hangup}
queues:
  general: {agents: 6, handle_time: 300}
  sales: {agents: 2, handle_time: 300}
traffic:
  calls_per_hour: 40
  patience: 90s
  intents:
    order: {share: 0.7, goal: orders, SERVED}
    other: {share: 0.3, goal: agent}
"""


def shop(served: str) -> str:
    return textwrap.dedent(SHOP).replace(", SERVED", served)


def test_served_by_is_read_as_a_list_or_one_name_with_each_place():
    order = menu(shop(", served_by: [general, sales]")).traffic.intents["order"]
    assert order.served_by == ["general", "sales"]
    assert [(loc.line, loc.column) for loc in order.served_by_locs] == [(20, 51), (20, 60)]
    assert menu(shop(", served_by: sales")).traffic.intents["order"].served_by == ["sales"]
    assert menu(shop("")).traffic.intents["order"].served_by == []


@pytest.mark.parametrize("served, expected", [
    (", served_by: []", "menu.yaml:20:50: error: 'served_by' of intent 'order' names no pool"),
    (", served_by: [general, {a: 1}]", "menu.yaml:20:60: error: a pool in 'served_by' of intent 'order' must be text"),
    (", servd_by: [general]", "menu.yaml:20:39: error: unknown key 'servd_by' in intent 'order'; did you mean 'served_by'?"),
])
def test_a_served_by_that_is_not_a_list_of_pools_is_a_format_error_at_its_place(served, expected):
    with pytest.raises(InputError) as caught:
        load_text(shop(served), "menu.yaml")
    assert expected in str(caught.value), str(caught.value)


def test_a_pool_served_by_names_must_exist():
    text = shop(", served_by: [general, sals]")
    [f] = findings(text, "unknown-queue")
    assert (f.line, f.column, f.severity) == (20, 60, "error")
    assert f.message == "intent 'order' is served by pool 'sals', which is not defined; did you mean 'sales'?"
    assert findings(shop(", served_by: [general, sales]"), "unknown-queue") == []


def test_set_keeps_served_by_and_can_change_it():
    original = menu(shop(", served_by: [sales]"))
    assert apply_overrides(original, ["traffic.intents.order.share=0.5"]).traffic.intents["order"].served_by == ["sales"]
    changed = apply_overrides(original, ["traffic.intents.order.served_by=[general, sales]"])
    assert changed.traffic.intents["order"].served_by == ["general", "sales"]
    with pytest.raises(UsageError, match="intent 'order' names pool 'sals' in served_by, which does not exist; did you mean 'sales'"):
        apply_overrides(original, ["traffic.intents.order.served_by=[sals]"])


def test_import_writes_served_by_back():
    original = menu(shop(", served_by: [general, sales]"))
    text = menu_to_yaml(original, ())
    assert "order: {share: 0.7, goal: orders, served_by: [general, sales]}" in text
    assert load_text(text, "again.yaml").traffic.intents["order"].served_by == ["general", "sales"]
    assert "served_by" not in menu_to_yaml(menu(shop("")), ())


def test_the_schema_accepts_served_by_and_refuses_an_empty_one():
    schema = build_schema()
    jsonschema.validate(yaml.safe_load(shop(", served_by: [general]")), schema)
    jsonschema.validate(yaml.safe_load(shop(", served_by: general")), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(yaml.safe_load(shop(", served_by: []")), schema)
