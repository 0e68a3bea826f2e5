"""The small grammar of one dialplan step: ``App(arg1,arg2)`` and its arguments.

Arguments are split at commas that stand outside parentheses, ``${...}``,
``$[...]`` and double quotes, as Asterisk splits them after substituting
variables. Parentheses, ``${`` and ``$[`` must be closed: an unclosed one is
an error at its column, because Asterisk would run the step with arguments
nobody meant.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from ivrlint.errors import InputError
from ivrlint.importers.asterisk.source import Line
from ivrlint.location import Location

_APP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CLOSERS = {"(": ")", "${": "}", "$[": "]"}
#: What the scanners look at: an escaped character, an opener, a quote, a closer, a separator.
_TOKEN = re.compile(r'\\.|\$[{\[]|["()\]},?:]')


@dataclass(frozen=True)
class Arg:
    text: str
    loc: Location


@dataclass(frozen=True)
class Call:
    """An application call as written: ``Goto(ivr-2,s,1)``."""

    app: str  # as written; compare with .name
    loc: Location  # where the application name starts
    args: tuple[Arg, ...]
    data: str  # the text between the parentheses
    data_loc: Location

    @property
    def name(self) -> str:
        return self.app.lower()

    def arg(self, index: int) -> str:
        return self.args[index].text if index < len(self.args) else ""

    def arg_loc(self, index: int) -> Location:
        return self.args[index].loc if index < len(self.args) else self.data_loc


def parse_call(line: Line, start: int, end: int | None = None) -> Call:
    """The call written in ``line.text[start:end]``; ``App`` alone has no arguments.

    The old form ``App,arg1,arg2`` (no parentheses) is read too.
    """
    text = line.text if end is None else line.text[:end]
    i = _skip_space(text, start)
    if i >= len(text):
        return Call("", line.at(start), (), "", line.at(start))
    match = _APP_NAME.match(text, i)
    if match is None:
        raise InputError.at(line.at(i), f"'{text[i:].strip()}' is not an application; write App(arguments), "
                                        "for example Playback(hello-world)", line.file)
    app, after = match.group(), _skip_space(text, match.end())
    if after >= len(text):
        return Call(app, line.at(i), (), "", line.at(match.end()))
    if text[after] == ",":  # App,arg1,arg2: the form before Asterisk 1.6
        data_start = after + 1
        return Call(app, line.at(i), tuple(split_args(line, data_start, len(text))), text[data_start:].strip(), line.at(data_start))
    if text[after] != "(":
        raise InputError.at(line.at(after), f"unexpected '{text[after:].strip()}' after {app}; write {app}(arguments)", line.file)
    close = matching_close(line, after, len(text))
    rest = text[close + 1:].strip()
    if rest:
        raise InputError.at(line.at(close + 1 + text[close + 1:].index(rest[0])),
                            f"'{rest}' after the closing parenthesis of {app}(); put it inside the parentheses or remove it", line.file)
    data_start = after + 1
    return Call(app, line.at(i), tuple(split_args(line, data_start, close)), text[data_start:close], line.at(data_start))


def matching_close(line: Line, open_at: int, end: int) -> int:
    """Index of the ``)`` closing the ``(`` at `open_at`; an error when there is none."""
    text = line.text
    for quotes in (True, False):  # an unmatched quote is taken as a plain character
        stack, in_quote = [(")", open_at)], False
        for token in _TOKEN.finditer(text, open_at + 1, end):
            mark, i = token.group(), token.start()
            if mark == '"':
                in_quote = quotes and not in_quote
            elif in_quote or mark[0] == "\\" or mark in ",?:":
                continue
            elif mark in _CLOSERS:
                stack.append((_CLOSERS[mark], i))
            elif mark == stack[-1][0]:
                stack.pop()
                if not stack:
                    return i
            elif mark == ")":
                opener = stack[-1]
                raise InputError.at(line.at(i), f"')' closes '{text[opener[1]:opener[1] + 2].rstrip()}' "
                                                f"opened at column {opener[1] + 1}; close it with '{opener[0]}' first", line.file)
        if not in_quote:
            break
    closer, at = stack[-1]
    what = "parenthesis" if closer == ")" else f"'{text[at:at + 2]}'"
    raise InputError.at(line.at(at), f"unbalanced {what}: no closing '{closer}' on this line; add it", line.file)


def split_args(line: Line, start: int, end: int) -> list[Arg]:
    """The comma-separated arguments in ``line.text[start:end]``, each stripped, with its place."""
    out, piece = [], start
    for i in top_level(line.text, start, end):
        if line.text[i] == ",":
            out.append(_arg(line, piece, i))
            piece = i + 1
    if end > start or out:
        out.append(_arg(line, piece, end))
    return out


def find_top(text: str, char: str, start: int, end: int) -> int:
    """Index of the first `char` (``,``, ``?`` or ``:``) of text[start:end] outside nesting and quotes; -1 if none."""
    return next((i for i in top_level(text, start, end) if text[i] == char), -1)


def top_level(text: str, start: int, end: int) -> Iterator[int]:
    """Indexes of the separators ``,``, ``?`` and ``:`` in text[start:end] that stand outside
    (...), ${...}, $[...] and double quotes."""
    depth, in_quote = 0, False
    for token in _TOKEN.finditer(text, start, end):
        mark = token.group()
        if mark == '"':
            in_quote = not in_quote
        elif in_quote or mark[0] == "\\":
            continue
        elif mark in _CLOSERS:
            depth += 1
        elif mark in ")]}":
            depth = max(depth - 1, 0)
        elif depth == 0:
            yield token.start()


def _arg(line: Line, start: int, end: int) -> Arg:
    raw = line.text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return Arg(raw.strip().replace("\\;", ";"), line.at(start + lead))


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i
