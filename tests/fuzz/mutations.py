"""Hypothesis strategies that generate and mutate reader inputs.

Two kinds, as the issue asks, and every reader gets both:

* mutation: a real file (a bundled menu, a platform example, a test
  fixture) changed a few places at a time: a span deleted, doubled or
  replaced, a token inserted, a number swapped for an extreme one, a
  quoted value or an attribute replaced, lines swapped, the text cut;
* generation: structured values (mappings, lists, scalars) built from the
  words a reader knows, written out as YAML, JSON, XML or dialplan text;
  also used to replace one value deep inside a parsed seed, so mutations
  get past the parser and into the importers and the analysis.

The tokens are what the crash classes of issue 17 were made of: numbers
past float range and past Python's 4,300-digit int limit, denormals
(4.9e-324), zero where a rate goes, nan and inf spelled every way;
regex-breaking dialplan patterns (``_[9-1]``, ``_[]``), priorities that are
not numbers, and the quoting, comment and include syntax of each format.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from hypothesis import strategies as st

#: Numbers that have broken readers, or sit at a limit: past float range, past the
#: int-string limit, denormal, zero, negative, not a number.
EXTREME_NUMBERS = [
    "0", "-0", "0.0", "-1", "1", "2", "1e308", "-1e308", "1e-308", "4.9e-324", "5e-324", "1e309", "1e400", "-1e400",
    "1.7976931348623157e308", "2.2250738585072014e-308", "1e20", "1e15", "123456789012345678901234567890",
    "2147483648", "9223372036854775808", "18446744073709551616", "1" * 4300, "9" * 4301, "9" * 5000,
    "9" * 309, "0." + "0" * 400 + "1", "1" + "0" * 400 + ".5", "nan", "NaN", ".nan", "inf", "-inf", ".inf", "-.inf",
    "Infinity", "1_000", "0x10", "0o17", "1e", "1.", ".5", "00", "007", "+3", "1e-7", "0.000001", "99999999",
]
#: Syntax that changes how a line or a value is read, in one format or another.
SYNTAX_TOKENS = [
    "", " ", "\t", "\n", "\r\n", "\r", "\x00", "\x01", "\x7f", "\u2028", "\u202e", "\ufeff", "é", "日本", "🙂", "\udcff",
    "{", "}", "[", "]", "(", ")", ",", ";", ":", "::", "=", "=>", "#", "*", "!", "&a ", "*a", "<<", "|", ">", "'", '"',
    "\\", "\\;", "/", "../", "..", "-", "- ", "? ", "---", "...", "%YAML 1.1", "!!python/object:os.system", "!!binary",
    "${", "}", "$[", "${X}", "$${domain}", "${a${b}}", "{{", "}}", "{{widgets.x.Digits}}", "%", "%s", "null", "~",
    "true", "no", "yes", "<", ">", "&amp;", "&lt;", "&#0;", "&#x110000;", "<!--", "-->", "<![CDATA[", "]]>", "<?xml",
    "<!DOCTYPE x [<!ENTITY e 'x'>]>", "&e;", "/*", "*/", "//", "<<-EOT\n", "EOT",
]
#: Asterisk dialplan pieces: patterns, priorities, applications and their arguments.
DIALPLAN_TOKENS = [
    "_X.", "_[9-1]", "_[]", "_[", "_]", "_[a-]", "_[-]", "_[\\]", "_(", "_X)", "_!", "_N!", "_ZXX", "_[1-3]X", "_*",
    "s", "t", "i", "h", "e", "T", "0", "1", "100", "hint", "n", "n(label)", "n(", "n+1", "n+" + "9" * 5000,
    "label+1", "lookup+101(failed)", "same", "next", "9" * 5000, "-1", "0", "1" * 4301, "exten", "same =>", "exten =>",
    "include =>", "#include", "#tryinclude", "#exec", "[globals]", "[ctx]", "[ctx](!)", "[ctx](tpl)", "[ctx](+)",
    "Background(", "WaitExten(", "Goto(", "GotoIf(", "GotoIfTime(", "Queue(", "Dial(", "Read(", "Set(", "ExecIf(",
    "Playback(", "VoiceMail(", "Hangup()", "Gosub(", "Macro(", "Local/1@ctx", "${LOOPCOUNT}", "$[${X} > 2]?a,1:b,1",
]
#: FreeSWITCH menu attributes and entry actions.
FREESWITCH_TOKENS = [
    "menu-sub", "menu-top", "menu-back", "menu-exit", "menu-play-sound", "menu-exec-app", "menu-exec-ap",
    "transfer 1000 XML default", "bridge", "callcenter q@d", "fifo q in", "voicemail", "playback x", "ivr main",
    "lua x", "/^(10[01][0-9])$/", "/^(.*)$/", "/(?=1)/", "/[/", "/^(\\d+$/", "say:Press 1", "phrase:x", "timeout",
    "max-failures", "max-timeouts", "exec-on-max-failures", "greet-long", "digits", "param", "action",
    '<entry action="menu-sub" digits="1" param="main"/>', '<menu name="x">', "</menu>", "<include>", "</include>",
    '<X-PRE-PROCESS cmd="include" data="*.xml"/>', '<X-PRE-PROCESS cmd="include" data="../x.xml"/>',
]
#: JSON flow words (Connect, Twilio) and Archy words (Genesys).
FLOW_TOKENS = [
    "StartAction", "Actions", "Identifier", "Type", "Parameters", "Transitions", "NextAction", "Conditions",
    "Errors", "LoopCount", "Timeout", "Text", "SSML", "GetParticipantInput", "MessageParticipant", "Loop",
    "TransferContactToQueue", "DisconnectParticipant", "states", "initial_state", "transitions", "next", "event",
    "gather-input-on-call", "split-based-on", "say-play", "enqueue-call", "loop", "number_of_digits",
    "finish_on_key", "inboundCall", "startUpRef", "menus", "menu", "choices", "dtmf", "digit_1", "digit_star",
    "repeatCount", "menuSelectionTimeout", "targetMenuRef", "./menu[x]", "/inboundCall/menus/menu[x]", "lit", "exp",
    "noValue", "ToAudioTTS(\"x\")", "tts", "refId",
]


@dataclass(frozen=True)
class Raw:
    """A scalar written exactly as given (a number past float range, a bare word), never quoted."""

    text: str


def numbers() -> st.SearchStrategy[str]:
    """Numbers as text: half plausible (so inputs get past the readers into the analysis), half extreme."""
    plausible = st.one_of(st.integers(min_value=0, max_value=200).map(str),
                          st.floats(min_value=0, max_value=1000).map(lambda x: f"{x:.4g}"))
    return st.one_of(
        plausible, plausible, plausible, plausible,
        st.sampled_from(EXTREME_NUMBERS),
        st.integers(min_value=-(10**30), max_value=10**30).map(str),
        st.floats(allow_nan=True, allow_infinity=True).map(repr),
        st.integers(min_value=1, max_value=6000).map(lambda n: "9" * n),
    )


def tokens(extra: list[str] = ()) -> st.SearchStrategy[str]:
    words = SYNTAX_TOKENS + list(extra)
    return st.one_of(st.sampled_from(words), numbers(), st.text(max_size=12))


def _positions(draw, text: str) -> int:
    return draw(st.integers(min_value=0, max_value=len(text)))


# -- text mutations -------------------------------------------------------------
def _insert(draw, text, words):
    at = _positions(draw, text)
    return text[:at] + draw(words) + text[at:]


def _replace_span(draw, text, words):
    at = _positions(draw, text)
    return text[:at] + draw(words) + text[at + draw(st.integers(1, 40)):]


def _delete_span(draw, text, words):
    at = _positions(draw, text)
    return text[:at] + text[at + draw(st.integers(1, 200)):]


def _double_span(draw, text, words):
    at, to = _positions(draw, text), _positions(draw, text)
    return text[:to] + text[at:at + draw(st.integers(1, 300))] + text[to:]


def _replace_match(pattern: re.Pattern, replacement):
    def mutate(draw, text, words):
        found = list(pattern.finditer(text))
        if not found:
            return _insert(draw, text, words)
        match = draw(st.sampled_from(found))
        group = 1 if pattern.groups else 0
        return text[:match.start(group)] + draw(replacement(words)) + text[match.end(group):]
    return mutate


_NUMBER = re.compile(r"-?\d+(?:\.\d+)?(?:[eE][-+]?\d+)?")
_QUOTED = re.compile(r"\"([^\"\n]*)\"|'([^'\n]*)'")
_VALUE = re.compile(r"(?:[:=]|=>)[ \t]*([^\s,{}\[\]\n][^\n,{}\[\]]*)")


def _lines(draw, text, words):
    lines = text.split("\n")
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    how = draw(st.sampled_from(["swap", "double", "drop"]))
    if how == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif how == "double":
        lines.insert(j, lines[i])
    else:
        del lines[i]
    return "\n".join(lines)


def _truncate(draw, text, words):
    return text[:_positions(draw, text)]


TEXT_MUTATIONS = [
    _insert, _replace_span, _delete_span, _double_span, _lines, _truncate,
    _replace_match(_NUMBER, lambda words: numbers()),
    _replace_match(_QUOTED, lambda words: words),
    _replace_match(_VALUE, lambda words: st.one_of(words, numbers())),
]
#: How often each mutation is drawn: number and value swaps most, cuts least.
_WEIGHTED = [m for m, weight in zip(TEXT_MUTATIONS, (3, 2, 2, 1, 2, 1, 5, 3, 4), strict=True) for _ in range(weight)]


@st.composite
def mutated(draw, text: str, extra: list[str] = (), most: int = 4) -> str:
    """`text` with 1 to `most` random mutations."""
    words = tokens(extra)
    for _ in range(draw(st.integers(1, most))):
        text = draw(st.sampled_from(_WEIGHTED))(draw, text, words)
    return text


# -- structured values ----------------------------------------------------------
def scalars(words: list[str] = ()) -> st.SearchStrategy:
    return st.one_of(
        numbers().map(Raw), st.sampled_from(list(words) or ["x"]), st.sampled_from(SYNTAX_TOKENS),
        st.text(max_size=20), st.booleans(), st.none(), st.integers(), st.floats(),
    )


def values(words: list[str] = ()) -> st.SearchStrategy:
    """Any value a document may hold: scalars, and lists and mappings of them (keys from `words`)."""
    keys = st.one_of(st.sampled_from(list(words) or ["x"]), st.text(max_size=8))
    return st.recursive(scalars(words), lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(st.tuples(keys, inner), max_size=5).map(Pairs),
    ), max_leaves=12)


class Pairs(list):
    """A mapping as its (key, value) pairs, so a key may be written twice."""


def as_pairs(value):
    """A parsed JSON or YAML value with every dict turned into Pairs (and kept in order)."""
    if isinstance(value, dict):
        return Pairs((str(k), as_pairs(v)) for k, v in value.items())
    if isinstance(value, list) and not isinstance(value, Pairs):
        return [as_pairs(v) for v in value]
    return value


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, Pairs):
        for i, (_, item) in enumerate(value):
            yield from _paths(item, (*prefix, i))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _paths(item, (*prefix, i))


def _replace_at(value, path, new):
    if not path:
        return new
    head, rest = path[0], path[1:]
    out = Pairs(value) if isinstance(value, Pairs) else list(value)
    if isinstance(value, Pairs):
        key, item = out[head]
        out[head] = (key, _replace_at(item, rest, new))
    else:
        out[head] = _replace_at(out[head], rest, new)
    return out


@st.composite
def mutated_tree(draw, tree, words: list[str] = (), most: int = 3):
    """`tree` (as_pairs) with 1 to `most` of its values replaced, dropped, or a member written twice."""
    for _ in range(draw(st.integers(1, most))):
        paths = list(_paths(tree))
        path = draw(st.sampled_from(paths[1:] or paths))
        how = draw(st.sampled_from(["value", "value", "scalar", "drop", "twice"]))
        parent = _get(tree, path[:-1]) if path else None
        if how in ("drop", "twice") and path and isinstance(parent, (list, Pairs)):
            items = type(parent)(parent)
            if how == "drop":
                del items[path[-1]]
            else:
                items.insert(draw(st.integers(0, len(items))), items[path[-1]])
            tree = _replace_at(tree, path[:-1], items)
        else:
            tree = _replace_at(tree, path, draw(values(words) if how == "value" else scalars(words)))
    return tree


def _get(value, path):
    for step in path:
        value = value[step][1] if isinstance(value, Pairs) else value[step]
    return value


# -- writing values out -----------------------------------------------------------
def to_json(value, indent: int = 0) -> str:
    """JSON text of a tree: Raw numbers as written, Pairs with their keys in order (twice, if so)."""
    pad, inner = "  " * indent, "  " * (indent + 1)
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, Pairs):
        if not value:
            return "{}"
        return "{\n" + ",\n".join(f"{inner}{json.dumps(str(k))}: {to_json(v, indent + 1)}" for k, v in value) + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        return "[\n" + ",\n".join(inner + to_json(v, indent + 1) for v in value) + f"\n{pad}]"
    if isinstance(value, float) and not abs(value) < float("inf"):
        return repr(value)  # not JSON: nan and inf as Python writes them, which a reader must refuse cleanly
    return json.dumps(value)


def to_yaml(value, indent: int = 0) -> str:
    """Block YAML of a tree: Raw scalars plain, strings double-quoted (JSON's escapes are YAML's)."""
    pad = "  " * indent
    if isinstance(value, Pairs):
        if not value:
            return "{}"
        out = []
        for key, item in value:
            name = key if re.fullmatch(r"[A-Za-z0-9_][\w.-]*", key or "-") else json.dumps(key)
            if isinstance(item, (Pairs, list)) and item:
                out.append(f"{pad}{name}:\n{to_yaml(item, indent + 1)}")
            else:
                out.append(f"{pad}{name}: {to_yaml(item, indent + 1)}")
        return "\n".join(out)
    if isinstance(value, list):
        if not value:
            return "[]"
        out = []
        for item in value:
            body = to_yaml(item, indent + 1)
            out.append(f"{pad}-\n{body}" if isinstance(item, (Pairs, list)) and item else f"{pad}- {body}")
        return "\n".join(out)
    return _yaml_scalar(value)


def _yaml_scalar(value) -> str:
    if isinstance(value, Raw):
        return value.text if value.text.strip() and "\n" not in value.text else json.dumps(value.text)
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) else str(value)
    return json.dumps(value)
