"""The menu format as a JSON Schema (draft 2020-12), for editors and other tools.

The schema is built from the loader's own tables of allowed keys, so the two
cannot disagree on what a node may contain. The packaged copy,
``ivrlint/menu/menu.schema.json``, is regenerated with
``python -m ivrlint.menu.schema > ivrlint/menu/menu.schema.json``; a test checks it is
current.
"""

from __future__ import annotations

import json

from ivrlint.menu.limits import MAX_AGENTS, MAX_ATTEMPTS, MIN_ANNOUNCE_SECONDS
from ivrlint.menu.loader import (
    ANNOUNCE_KEYS,
    BRANCH_KEYS,
    CALLBACK_KEYS,
    COMMON_NODE_KEYS,
    DEFAULT_KEYS,
    INTENT_KEYS,
    NODE_KEYS,
    OVERFLOW_KEYS,
    QUEUE_KEYS,
    REDIAL_KEYS,
    REQUIRED_NODE_KEYS,
    TOP_KEYS,
    TRAFFIC_KEYS,
)
from ivrlint.menu.model import ACTIONS, DEFAULT_MAX_ATTEMPTS, DISTRIBUTIONS, NODE_TYPES
from ivrlint.menu.queues import DEFAULT_RING_BACK
from ivrlint.menu.values import DURATION_PATTERN

SCHEMA_ID = "https://ivrlint.dev/schema/menu-v1.json"

_DURATION = {
    "description": "seconds: a number, or a number with a unit (40s, 2m, 1.5h, 500ms)",
    "anyOf": [
        {"type": "number", "minimum": 0},
        {"type": "string", "pattern": DURATION_PATTERN},  # the loader's own pattern, built from its units
    ],
}
_SHARE = {"type": "number", "minimum": 0, "maximum": 1}
_NAME = {"type": "string", "minLength": 1}
_TEXT = {"type": "string"}

_FIELDS = {
    "type": {"enum": list(NODE_TYPES)},
    "prompt": {
        "description": "text, or a mapping of language tag to text",
        "anyOf": [_TEXT, {"type": "object", "additionalProperties": _TEXT}],
    },
    "label": _TEXT,
    "prompt_seconds": {"$ref": "#/$defs/duration"},
    "options": {
        "type": "object",
        "description": ("DTMF key (0-9, *, #) -> target node, or {goto|action, label}; "
                        "other keys load, and the invalid-key rule reports them"),
        "additionalProperties": {"$ref": "#/$defs/option"},
    },
    "timeout": {"$ref": "#/$defs/duration"},
    "retries": {"$ref": "#/$defs/retries"},
    "on_no_input": _NAME,
    "on_invalid": _NAME,
    "on_failure": _NAME,
    "next": _NAME,
    "digits": {"type": "integer", "minimum": 1},
    "duration": {"$ref": "#/$defs/random_duration"},
    "success": _SHARE,
    "branches": {"type": "array", "items": {"$ref": "#/$defs/branch"}},
    "queue": _NAME,
    "destination": {"anyOf": [_TEXT, {"type": "number"}]},
    "human": {"type": "boolean"},
}


def _node_schema(type_: str) -> dict:
    keys = COMMON_NODE_KEYS + NODE_KEYS[type_]
    props = {key: _FIELDS[key] for key in keys}
    props["type"] = {"const": type_}
    return {
        "type": "object",
        "properties": props,
        "required": ["type", *REQUIRED_NODE_KEYS.get(type_, ())],
        "patternProperties": {"^x-": {}},
        "additionalProperties": False,
    }


def build_schema() -> dict:
    """The JSON Schema of a menu file."""
    def closed(props: dict, required=()) -> dict:
        return {"type": "object", "properties": props, "required": list(required),
                "patternProperties": {"^x-": {}}, "additionalProperties": False}

    random_duration = {
        "anyOf": [
            {"$ref": "#/$defs/duration"},
            closed({"mean": {"$ref": "#/$defs/duration"}, "distribution": {"enum": list(DISTRIBUTIONS)},
                    "cv": {"type": "number", "minimum": 0}}, ["mean"]),
        ]
    }
    option = {"anyOf": [_NAME, {"type": "number"}, {
        **closed({"goto": _NAME, "action": {"enum": list(ACTIONS)}, "label": _TEXT}),
        "oneOf": [{"required": ["goto"]}, {"required": ["action"]}],
    }]}
    branch = {"anyOf": [_NAME, closed({key: {"goto": _NAME, "share": _SHARE, "when": _TEXT}[key] for key in BRANCH_KEYS}, ["goto"])]}
    count = {"type": "integer", "minimum": 0, "maximum": MAX_AGENTS}
    callback = closed({
        "offer_after": {**_DURATION, "description": "expected or actual wait at which a callback is offered"},
        "accept": {**_SHARE, "description": "chance a caller offered a callback takes it"},
        "ring_back": {"$ref": "#/$defs/random_duration",
                      "description": f"time an agent spends calling back before the talk (default {DEFAULT_RING_BACK:g} s, fixed)"},
    }, ["offer_after", "accept"])
    assert tuple(callback["properties"]) == CALLBACK_KEYS
    announce = closed({
        "every": {**_DURATION, "description": f"seconds between announcements to a caller in line (at least {MIN_ANNOUNCE_SECONDS:g})"},
        "wait_time": {"type": "boolean", "description": "announce the expected wait (default true)"},
        "position": {"type": "boolean", "description": "announce the caller's place in line (default false)"},
    }, ["every"])
    assert tuple(announce["properties"]) == ANNOUNCE_KEYS
    overflow = closed({"after": {**_DURATION, "description": "wait after which the other pool may answer too"},
                       "to": {**_NAME, "description": "the other pool"}}, ["after", "to"])
    assert tuple(overflow["properties"]) == OVERFLOW_KEYS
    queue = closed({
        "agents": {"description": "agents on duty: a number, or 24 hourly numbers from midnight",
                   "anyOf": [count, {"type": "array", "items": count, "minItems": 24, "maxItems": 24}]},
        "handle_time": {"$ref": "#/$defs/random_duration"},
        "hours": {"type": "string", "pattern": r"^\s*\d{1,2}(:\d\d)?\s*-\s*\d{1,2}(:\d\d)?\s*$"},
        "callback": callback,
        "announce": announce,
        "overflow": overflow,
    }, ["agents", "handle_time"])
    assert tuple(queue["properties"]) == QUEUE_KEYS
    redial = closed({
        "share": {**_SHARE, "description": "share of callers whose need was not met who call again"},
        "after": {"$ref": "#/$defs/random_duration", "description": "delay before calling again (default distribution exponential)"},
        "max_attempts": {"type": "integer", "minimum": 1, "maximum": MAX_ATTEMPTS,
                         "description": f"calls a caller makes at most, the first included (default {DEFAULT_MAX_ATTEMPTS})"},
    }, ["share", "after"])
    assert tuple(redial["properties"]) == REDIAL_KEYS
    names = {"anyOf": [_NAME, {"type": "array", "items": _NAME, "minItems": 1}]}
    intent = closed({"share": _SHARE, "goal": names,
                     "served_by": {**names, "description": "pools whose agents can serve this intent, besides those its goals lead to"}},
                    ["share", "goal"])
    assert tuple(intent["properties"]) == INTENT_KEYS
    traffic = closed({
        "calls_per_hour": {"anyOf": [{"type": "number", "minimum": 0},
                                     {"type": "array", "items": {"type": "number", "minimum": 0}, "minItems": 24, "maxItems": 24}]},
        "patience": {"$ref": "#/$defs/random_duration"},
        "intents": {"type": "object", "additionalProperties": intent},
        "languages": {"type": "object", "additionalProperties": _SHARE},
        "behaviour": {"type": "object", "additionalProperties": {"type": "number"}},
        "redial": redial,
    }, ["calls_per_hour", "patience", "intents"])
    assert tuple(traffic["properties"]) == TRAFFIC_KEYS
    defaults = closed({key: {"timeout": {"$ref": "#/$defs/duration"}, "retries": {"$ref": "#/$defs/retries"},
                             "speech_rate": {"type": "number", "minimum": 1}}[key] for key in DEFAULT_KEYS})
    top = closed({
        "ivr": _NAME, "start": _NAME, "language": _NAME, "defaults": defaults,
        "nodes": {"type": "object", "minProperties": 1, "additionalProperties": {"$ref": "#/$defs/node"}},
        "queues": {"type": "object", "additionalProperties": queue},
        "traffic": traffic,
    }, ["ivr", "start", "nodes"])
    assert tuple(top["properties"]) == TOP_KEYS
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_ID,
        "title": "ivrlint menu (format version 1)",
        "description": "An IVR phone menu: nodes, agent pools and traffic. See MENU_FORMAT.md.",
        **top,
        "$defs": {
            "duration": _DURATION,
            "random_duration": random_duration,
            "option": option,
            "branch": branch,
            "retries": {"anyOf": [{"type": "integer", "minimum": 0}, {"const": "unlimited"}],
                        "description": "failed attempts allowed per visit; 'unlimited' replays the menu until the caller answers"},
            "node": {"oneOf": [_node_schema(t) for t in NODE_TYPES]},
        },
    }


def schema_text() -> str:
    return json.dumps(build_schema(), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    print(schema_text(), end="")
