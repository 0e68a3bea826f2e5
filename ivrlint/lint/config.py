"""Find and read the configuration of a lint run: .ivrlint.yaml, pyproject.toml or setup.cfg.

Errors point at the configuration's own line. Rule names and severities are
checked against the rules, so a misspelt name is an error, never a setting
silently not applied.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable
from typing import NoReturn

from ivrlint.errors import InputError
from ivrlint.lint.config_files import read_raw
from ivrlint.lint.findings import SEVERITIES
from ivrlint.lint.rules import find_rule
from ivrlint.lint.settings import RESERVED_ROLES, FileIgnore, Settings
from ivrlint.location import Location
from ivrlint.menu.model import KEYS

CONFIG_FILES = (".ivrlint.yaml", "pyproject.toml", "setup.cfg")
TOP_KEYS = ("select", "ignore", "exclude", "fail-on", "reserved-keys", "per-file-ignores", "rules")


def find_config(start_dir: str) -> str | None:
    """The nearest configuration file at or above `start_dir`, as flake8 and ruff look."""
    directory = os.path.abspath(start_dir)
    while True:
        for name in CONFIG_FILES:
            path = os.path.join(directory, name)
            if os.path.isfile(path) and _has_section(path):
                return path
        parent = os.path.dirname(directory)
        if parent == directory:
            return None
        directory = parent


def _has_section(path: str) -> bool:
    if path.endswith(".ivrlint.yaml"):
        return True
    try:
        with open(path, "rb") as fh:
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return False
    return "[tool.ivrlint" in text if path.endswith(".toml") else "[ivrlint" in text


def load_config(path: str) -> tuple[Settings, str | None]:
    """Settings and fail-on threshold from a configuration file."""
    raw = read_raw(path)
    try:
        return _settings_from(raw, path)
    except InputError as exc:
        raise _at_its_line(exc, path) from None


#: Where ivrlint's part of each kind of configuration file starts.
_SECTION = {".toml": re.compile(r"^\s*\[\s*tool\.ivrlint\b", re.M), ".cfg": re.compile(r"^\s*\[\s*ivrlint\b", re.M)}


def _at_its_line(exc: InputError, path: str) -> InputError:
    """The error at the line of the configuration it is about.

    TOML and ini readers keep no positions, so the names the message quotes
    ('ignore', then 'no-such-rule') are looked for in turn in the file's
    text, from the start of ivrlint's section; the error stays on the file
    alone when they are not found.
    """
    (loc, message), = exc.problems[:1] or [(None, "")]
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            text = fh.read()
    except OSError:
        return exc
    section = _SECTION.get(os.path.splitext(path)[1])
    found = section.search(text) if section else None
    position, located = (found.start() if found else 0), None
    if section and not found:
        return exc
    for name in re.findall(r"'([^'\s]+)'", message):
        variants = "|".join(re.escape(v) for v in {name, name.replace("-", "_")})
        match = re.compile(rf"(?<![\w-])(?:{variants})(?![\w-])").search(text, position)
        if not match:
            break
        position, located = match.start(), match.start()
    if loc is not None or located is None:
        return exc
    line = text.count("\n", 0, located) + 1
    column = located - (text.rfind("\n", 0, located) + 1) + 1
    return InputError.at(Location(path, line, column), message, path)


def _as_list(value) -> list[str]:
    if isinstance(value, str):
        return [v.strip() for v in value.replace("\n", ",").split(",") if v.strip()]
    if isinstance(value, (list, tuple)):
        return [str(v).strip() for v in value]
    return [str(value)]


def _settings_from(raw: dict, path: str) -> tuple[Settings, str | None]:
    def fail(message: str) -> NoReturn:
        raise InputError.at(None, message, path)

    settings = Settings(source=path)
    _refuse_unknown_settings(raw, fail)
    for key in ("select", "ignore"):
        if key in raw:
            setattr(settings, key, _rule_names(key, raw[key], fail))
    if "exclude" in raw:
        settings.exclude = _exclude_patterns(raw["exclude"], path)
    for key, value in raw.items():  # written with - or _
        if key.replace("_", "-") == "reserved-keys":
            settings.reserved_keys = _reserved_keys(value, fail)
        elif key.replace("_", "-") == "per-file-ignores":
            settings.per_file_ignores = _per_file_ignores(value, path, fail)
    fail_on = _fail_on(raw, fail)
    rules = raw.get("rules", {})
    if not isinstance(rules, dict):
        fail("'rules' must map a rule's slug to its settings")
    for name, values in rules.items():
        _rule_settings(settings, name, values, fail)
    return settings, fail_on


def _refuse_unknown_settings(raw: dict, fail: Callable[[str], NoReturn]) -> None:
    """A top-level key that is no setting (written with - or _) is an error, never a setting ignored."""
    for key in raw:
        if key.replace("_", "-") not in TOP_KEYS:
            fail(f"unknown setting '{key}' in the ivrlint configuration; allowed: {', '.join(TOP_KEYS)}")


def _rule_names(key: str, value, fail: Callable[[str], NoReturn]) -> list[str]:
    """The rules 'select' or 'ignore' (`key`) names, each a rule that exists, or ALL."""
    names = _as_list(value)
    for name in names:
        if name != "ALL" and find_rule(name) is None:
            fail(f"'{key}' names unknown rule '{name}'; `ivrlint rules` lists them")
    return names


def _exclude_patterns(value, path: str) -> list[str]:
    """The 'exclude' patterns, a relative path taken from the configuration's directory.

    A pattern whose first part is a glob ('*/bad', '*.bak') is kept as written:
    it is not tied to the configuration's directory.
    """
    base = os.path.dirname(os.path.abspath(path))
    return [p if os.path.isabs(p) or "*" in p.split("/")[0] else os.path.join(base, p) for p in _as_list(value)]


def _fail_on(raw: dict, fail: Callable[[str], NoReturn]) -> str | None:
    """The severity from which findings fail the run ('fail-on' or 'fail_on'), if the configuration sets one."""
    fail_on = raw.get("fail-on", raw.get("fail_on"))
    if fail_on is not None and fail_on not in SEVERITIES:
        fail(f"'fail-on' must be one of {', '.join(SEVERITIES)}; got '{fail_on}'")
    return fail_on


def _rule_settings(settings: Settings, name: str, values, fail: Callable[[str], NoReturn]) -> None:
    """One rule's section: its severity and options, checked against the rule, into `settings`."""
    rule = find_rule(name)
    if rule is None:
        fail(f"configuration for unknown rule '{name}'; `ivrlint rules` lists them")
    if not isinstance(values, dict):
        fail(f"settings of rule '{name}' must be a mapping")
    options = {}
    for option, value in values.items():
        option = option.replace("-", "_")
        if option == "severity":
            if value not in SEVERITIES:
                fail(f"severity of '{rule.slug}' must be one of {', '.join(SEVERITIES)}; got '{value}'")
            settings.severity[rule.slug] = value
        elif option in rule.options:
            options[option] = _coerce(value, rule.options[option], f"option '{option}' of rule '{rule.slug}'", fail)
        else:
            known = ", ".join(rule.options) or "none besides severity"
            fail(f"rule '{rule.slug}' has no option '{option}' (its options: {known})")
    if options:
        settings.options[rule.slug] = options


def _per_file_ignores(value, path: str, fail: Callable[[str], NoReturn]) -> list[FileIgnore]:
    """The 'per-file-ignores' entries: GLOB (or GLOB#NODE) -> rules, as a mapping (TOML, YAML)
    or as lines ``GLOB: RULE, RULE`` (setup.cfg, as flake8 writes it)."""
    if isinstance(value, str):
        pairs = {}
        for line in (line.strip() for line in value.splitlines()):
            pattern, sep, rules = line.rpartition(":")
            if line and (not sep or not pattern.strip()):
                fail(f"'per-file-ignores' line '{line}' needs the form GLOB: RULE[, RULE], e.g. flows/*.json: no-repeat")
            if line:
                pairs[pattern.strip()] = rules
        value = pairs
    if not isinstance(value, dict):
        fail("'per-file-ignores' must map a file pattern to rules, e.g. {\"flows/*.json\" = [\"no-repeat\"]}")
    text = _config_text(path)
    base = os.path.dirname(os.path.abspath(path))
    shown = os.path.relpath(path)  # where unused entries are reported: as findings name their files, from here
    shown = path if shown.startswith("..") else shown
    return [_file_ignore(str(pattern), rules, text, shown, base, fail) for pattern, rules in value.items()]


def _file_ignore(pattern: str, rules, text: str, path: str, base: str, fail: Callable[[str], NoReturn]) -> FileIgnore:
    glob, sep, node = pattern.strip().partition("#")
    if not glob.strip() or (sep and not node.strip()):
        fail(f"'per-file-ignores' pattern '{pattern}' needs a file pattern, and a node after '#' (GLOB or GLOB#NODE)")
    names = _as_list(rules)
    if not names:
        fail(f"'per-file-ignores' gives '{pattern}' no rules; name the rules to ignore there")
    for name in names:
        if find_rule(name) is None:
            fail(f"'per-file-ignores' names unknown rule '{name}' for '{pattern}'; `ivrlint rules` lists them")
    at = _find(text, pattern, 0, path) or Location(path, 1, 1)  # a pattern not found as written: the file
    start = _offset(text, at)
    located = tuple((name, _find(text, name, start, path)) for name in names)
    return FileIgnore(pattern, glob.strip(), node.strip() if sep else None, located, base, at)


def _config_text(path: str) -> str:
    try:
        with open(path, encoding="utf-8", errors="replace") as fh:
            return fh.read()
    except OSError:
        return ""


def _find(text: str, needle: str, start: int, path: str) -> Location | None:
    """Where `needle` is first written in `text` from offset `start` (TOML and ini readers keep no positions)."""
    at = text.find(needle, start)
    if at < 0:
        return None
    return Location(path, text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1)


def _offset(text: str, loc: Location) -> int:
    """The offset in `text` of line and column `loc`."""
    line_start = 0
    for _ in range(loc.line - 1):
        line_start = text.index("\n", line_start) + 1
    return line_start + loc.column - 1


def _reserved_keys(value, fail) -> dict[str, str]:
    """The reserved-key profile: a mapping (YAML, TOML) or ``role=key, ...`` (ini).

    The profile replaces the default as a whole: roles left out have no key.
    """

    if isinstance(value, str):
        pairs = {}
        for item in _as_list(value):
            role, sep, key = item.partition("=")
            if not sep:
                fail(f"'reserved-keys' entry '{item}' needs the form role=key, e.g. person=0, back=*, repeat=9, end=#")
            pairs[role.strip()] = key.strip()
        value = pairs
    if not isinstance(value, dict):
        fail("'reserved-keys' must map a role to a key, e.g. {person: '0', back: '*', repeat: '9', end: '#'}")
    profile: dict[str, str] = {}
    for role, key in value.items():
        if role not in RESERVED_ROLES:
            fail(f"'reserved-keys' names unknown role '{role}'; roles: {', '.join(RESERVED_ROLES)}")
        if key is None:
            fail(f"'reserved-keys' gives role '{role}' no key; in YAML quote * and # ('*', '#')")
        key = str(key).strip()
        if key not in KEYS:
            fail(f"'reserved-keys' gives role '{role}' the key '{key}', which is not on a phone keypad (0-9, *, #)")
        taken = next((r for r, k in profile.items() if k == key), None)
        if taken:
            fail(f"'reserved-keys' gives key '{key}' to both '{taken}' and '{role}'; one key, one role")
        profile[role] = key
    return profile


def _number(value, what, fail) -> float:
    """`value` as a finite number (a setting of 1e309, or of 400 digits, is refused, not infinite)."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        fail(f"{what} must be a number; got '{value}'")
    except OverflowError:  # a whole number of hundreds of digits
        number = math.inf
    if not math.isfinite(number):
        fail(f"{what} must be a finite number; got {'nan' if number != number else 'one past 1e308'}")
    return number


def _coerce(value, default, what, fail):
    """Read `value` as the type of the option's default (ini files give strings)."""
    if isinstance(default, bool):
        if isinstance(value, bool):
            return value
        if str(value).lower() in ("true", "yes", "on", "1"):
            return True
        if str(value).lower() in ("false", "no", "off", "0"):
            return False
        fail(f"{what} must be true or false; got '{value}'")
    if isinstance(default, (int, float)):
        number = _number(value, what, fail)
        return int(number) if isinstance(default, int) and number == int(number) else number
    if isinstance(default, (list, tuple)):
        return _as_list(value)
    if isinstance(default, dict):
        if not isinstance(value, dict):
            fail(f"{what} must be a mapping")
        return value
    return str(value)
