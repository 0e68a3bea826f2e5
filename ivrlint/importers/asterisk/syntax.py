"""The small grammar of one dialplan step: ``App(arg1,arg2)`` and its arguments.

Asterisk's pbx_config reads a step as the application's name, up to the
first ``(``, and its data, up to the last ``)`` of the line. It loads what
it can of a step written wrong, so ivrlint does too, and says so: a missing
``)`` (Asterisk warns "No closing parenthesis found?" and takes the rest of
the line), text after the last ``)`` (ignored), an unclosed ``${`` or ``$[``
(loaded, but cut short when a call runs it). A name that is no
application's (``Playback x``, ``123``) is kept as written: Asterisk finds
no application by that name when a call reaches it, and hangs up.

Arguments are split at commas that stand outside parentheses, ``${...}``,
``$[...]`` and double quotes, as Asterisk splits them after substituting
variables.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import cached_property

from ivrlint.importers.asterisk.source import Line
from ivrlint.location import Location

_APP_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_CLOSERS = {"(": ")", "${": "}", "$[": "]"}
#: What the scanners look at: an escaped character, an opener, a quote, a closer, a separator.
_TOKEN = re.compile(r'\\.|\$[{\[]|["()\]},?:]')
#: Step data in which every comma separates arguments and nothing can be left open: none of these characters.
_PLAIN_DATA = re.compile(r'[^\\$"()]*')


class Arg:
    """One argument of a step: its text, and where it starts (``line.at(index)``, made when first asked for:
    most arguments are never pointed at)."""

    __slots__ = ("text", "_line", "_index")

    def __init__(self, text: str, line: Line, index: int):
        self.text, self._line, self._index = text, line, index

    @property
    def loc(self) -> Location:
        return self._line.at(self._index)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Arg) and (self.text, self.loc) == (other.text, other.loc)

    def __hash__(self) -> int:
        return hash((self.text, self.loc))

    def __repr__(self) -> str:
        return f"Arg(text={self.text!r}, loc={self.loc!r})"


@dataclass(frozen=True)
class Call:
    """An application call as written: ``Goto(ivr-2,s,1)``."""

    app: str  # as written; compare with .name
    loc: Location  # where the application name starts
    args: tuple[Arg, ...]
    data: str  # the text between the parentheses
    line: Line = field(repr=False, compare=False)
    data_at: int  # where `data` starts in line.text

    @property
    def data_loc(self) -> Location:
        return self.line.at(self.data_at)

    @cached_property
    def name(self) -> str:
        """The application's name as Asterisk compares it (any case)."""
        return self.app.lower()

    def arg(self, index: int) -> str:
        return self.args[index].text if index < len(self.args) else ""

    def arg_loc(self, index: int) -> Location:
        return self.args[index].loc if index < len(self.args) else self.data_loc


#: Where a step is written wrong and what Asterisk makes of it: (place, message).
Warn = Callable[[Location, str], None]


def parse_call(line: Line, start: int, end: int | None = None, warn: Warn | None = None) -> Call:
    """The call written in ``line.text[start:end]``, read as Asterisk reads it; ``App`` alone has no arguments.

    The old form ``App,arg1,arg2`` (no parentheses) is read too. What Asterisk
    would load with a complaint goes to `warn` (see the module docstring).
    """
    text = line.text if end is None else line.text[:end]
    i = _skip_space(text, start)
    if i >= len(text):
        return Call("", line.at(start), (), "", line, start)
    match = _APP_NAME.match(text, i)
    after = _skip_space(text, match.end()) if match else i
    if match is None or (after < len(text) and text[after] not in ",("):  # Asterisk's name runs to the '('
        paren = text.find("(", i)
        return Call(text[i:paren if paren >= 0 else len(text)].rstrip(), line.at(i), (), "", line, i)
    app = match.group()
    if after >= len(text):
        return Call(app, line.at(i), (), "", line, match.end())
    data_start = after + 1
    if text[after] == ",":  # App,arg1,arg2: the form before Asterisk 1.6
        return Call(app, line.at(i), tuple(split_args(line, data_start, len(text))), text[data_start:].strip(), line, data_start)
    close = text.rfind(")", data_start)
    if close >= 0 and _PLAIN_DATA.fullmatch(text, data_start, close) and not text[close + 1:].strip():
        # the common step, App(a,b,c) with no quote, escape, variable or inner parenthesis: nothing to warn of,
        # every comma splits (what split_args and nesting_problem find for it, without walking its characters)
        return Call(app, line.at(i), _plain_args(line, data_start, close), text[data_start:close], line, data_start)
    if close < 0:
        close = len(text)
        _say(warn, line.at(after), f"{app}( has no closing parenthesis: Asterisk warns 'No closing parenthesis found?' and runs "
                                   f"{app} with the rest of the line as its arguments; add the ')'")
    elif text[close + 1:].strip():
        rest = text[close + 1:].strip()
        _say(warn, line.at(close + 1 + text[close + 1:].index(rest[0])),
             f"'{rest}' after the closing parenthesis of {app}() is ignored by Asterisk; put it inside the parentheses or remove it")
    problem = nesting_problem(line, data_start, close)
    if problem is not None:
        _say(warn, *problem)
    return Call(app, line.at(i), tuple(split_args(line, data_start, close)), text[data_start:close], line, data_start)


def is_application_name(name: str) -> bool:
    """Could an application be called `name`? (A step Asterisk read as ``Playback x`` or ``123`` has none.)"""
    return _APP_NAME.fullmatch(name) is not None


def nesting_problem(line: Line, start: int, end: int) -> tuple[Location, str] | None:
    """Where ``line.text[start:end]`` leaves a ``(``, ``${`` or ``$[`` open, or closes one with the wrong mark, and
    what that does; None when it is balanced. An unmatched double quote counts as a plain character."""
    text = line.text
    stack, wrong = _nesting(text, start, end, quotes=True)
    if stack is None:  # a quote left open: read again with quotes as plain characters
        stack, wrong = _nesting(text, start, end, quotes=False)
    if not stack:
        return None
    closer, at = stack[-1]
    opener = text[at:at + 2].rstrip()
    if wrong is not None:
        return line.at(wrong), (f"')' closes '{opener}' opened at column {at + 1}: Asterisk loads the step, but its "
                                f"arguments are not what they look like when a call runs it; close it with '{closer}' first")
    if closer == ")":
        return line.at(at), ("unbalanced parenthesis: nothing closes it before the step's last ')', so Asterisk splits "
                             "the arguments where they do not look split; add the ')'")
    return line.at(at), (f"unbalanced '{opener}': nothing closes it on this line, so Asterisk cuts the expression "
                         f"short when a call runs the step (it logs 'Error in extension logic (missing '{closer}')'); add the '{closer}'")


def _nesting(text: str, start: int, end: int, quotes: bool) -> tuple[list[tuple[str, int]] | None, int | None]:
    """(what is still open at `end`: closer and where it opened, where a ')' closes the wrong one first);
    None for the first when a double quote is left open."""
    stack: list[tuple[str, int]] = []
    in_quote = False
    for token in _TOKEN.finditer(text, start, end):
        mark = token.group()
        if mark == '"':
            in_quote = quotes and not in_quote
        elif in_quote or mark[0] == "\\" or mark in ",?:":
            continue
        elif mark in _CLOSERS:
            stack.append((_CLOSERS[mark], token.start()))
        elif stack and mark == stack[-1][0]:
            stack.pop()
        elif mark == ")" and stack:
            return stack, token.start()
    return (None if in_quote else stack), None


def _say(warn: Warn | None, loc: Location, message: str) -> None:
    if warn is not None:
        warn(loc, message)


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


def _plain_args(line: Line, start: int, end: int) -> tuple[Arg, ...]:
    """The arguments of ``line.text[start:end]`` when it holds none of the characters that nest, quote or escape."""
    if end == start:
        return ()
    out, at = [], start
    for raw in line.text[start:end].split(","):
        out.append(Arg(raw.strip(), line, at + len(raw) - len(raw.lstrip())))
        at += len(raw) + 1
    return tuple(out)


def _arg(line: Line, start: int, end: int) -> Arg:
    raw = line.text[start:end]
    lead = len(raw) - len(raw.lstrip())
    return Arg(raw.strip().replace("\\;", ";"), line, start + lead)


def _skip_space(text: str, i: int) -> int:
    while i < len(text) and text[i] in " \t":
        i += 1
    return i
