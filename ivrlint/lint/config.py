"""Find and read the configuration of a lint run: .ivrlint.yaml, pyproject.toml or setup.cfg.

Errors point at the configuration's own line. Rule names and severities are
checked against the rules, so a misspelt name is an error, never a setting
silently not applied.
"""

from __future__ import annotations

import configparser
import math
import os
import re
import sys
import tomllib
from collections.abc import Callable
from typing import NoReturn

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivrlint.errors import InputError
from ivrlint.lint.findings import SEVERITIES
from ivrlint.lint.rules import find_rule
from ivrlint.lint.settings import RESERVED_ROLES, FileIgnore, Settings
from ivrlint.location import Location
from ivrlint.menu import yamlsource
from ivrlint.menu.model import KEYS

CONFIG_FILES = (".ivrlint.yaml", "pyproject.toml", "setup.cfg")
#: One more than the digits Python reads into a whole number from text (sys.get_int_max_str_digits).
_INT_DIGITS = (sys.get_int_max_str_digits() or 4300) + 1
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
    raw = _read_raw(path)
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


def _read_raw(path: str) -> dict:
    """ivrlint's settings in the file at `path`, as its format writes them."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise InputError.at(None, f"cannot read configuration: {exc.strerror or exc}", path) from None
    text = data.decode("utf-8", "replace")
    if path.endswith(".toml"):
        return _toml_settings(text, path)
    if path.endswith((".yaml", ".yml")):
        return _yaml_settings(text, path)
    return _cfg_settings(text, path)


def _toml_settings(text: str, path: str) -> dict:
    """The [tool.ivrlint] table of a pyproject.toml, with its [tool.ivrlint.rules.RULE] tables."""
    try:
        doc = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError.at(None, f"invalid TOML: {exc}", path) from None
    except ValueError:  # int() of a number past Python's 4,300-digit limit
        raise _too_many_digits(text, path) from None
    return doc.get("tool", {}).get("ivrlint", {})


def _yaml_settings(text: str, path: str) -> dict:
    """The settings of an .ivrlint.yaml: the whole document, which must be a mapping (or empty).

    Composed as menus are (yamlsource: nesting bounded, positions kept), then built into values here
    with a budget, so an alias bomb is refused with a place instead of being walked for ever."""
    node, _ = yamlsource.compose(text, path)
    if node is None:
        return {}
    if not isinstance(node, MappingNode):
        raise InputError.at(Location(path, 1, 1), "configuration must be a mapping of settings", path)
    try:
        return _text_keys(_Values(path).of(node))
    except ValueError:  # int() of a number past Python's 4,300-digit limit
        raise _too_many_digits(text, path) from None


#: Most values a configuration expands to, aliases counted at every use. Real ones have a few hundred.
MAX_CONFIG_VALUES = 100_000


class _Values:
    """Plain values of a composed YAML node, typed as yaml.safe_load types them, within a budget."""

    _resolver = yaml.resolver.Resolver()
    _constructor = yaml.constructor.SafeConstructor()

    def __init__(self, path: str):
        self.path = path
        self.left = MAX_CONFIG_VALUES

    def of(self, node: Node):
        self.left -= 1
        if self.left < 0:
            raise InputError.at(yamlsource.location(self.path, node),
                                f"configuration expands to more than {MAX_CONFIG_VALUES:,} values (aliases count "
                                "at each use); write the settings out", self.path)
        if isinstance(node, MappingNode):
            return {self.of(key): self.of(value) for key, value in node.value}
        if isinstance(node, SequenceNode):
            return [self.of(item) for item in node.value]
        if node.tag == yamlsource.QUOTED:
            return node.value
        tag = self._resolver.resolve(ScalarNode, node.value, (True, False))
        return self._constructor.yaml_constructors[tag](self._constructor, ScalarNode(tag, node.value))


def _text_keys(value):
    """`value` with every mapping's keys as text, as TOML and setup.cfg give them: YAML reads `0:` or
    `yes:` as a number or a boolean, and a setting, rule or option is named by text (`{0}` is setting '0')."""
    if isinstance(value, dict):
        return {_yaml_text(key): _text_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_text_keys(item) for item in value]
    return value


def _yaml_text(key) -> str:
    if key is None or isinstance(key, bool):
        return {None: "null", True: "true", False: "false"}[key]
    return str(key)


def _too_many_digits(text: str, path: str) -> InputError:
    """The error for a number of more digits than Python reads as a whole number, at the first one."""
    found = re.search(rf"\d{{{_INT_DIGITS},}}", text)
    at = found.start() if found else 0
    loc = Location(path, text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1)
    return InputError.at(loc, f"a number of more than {_INT_DIGITS - 1:,} digits; no setting needs one", path)


def _cfg_settings(text: str, path: str) -> dict:
    """The [ivrlint] section of a setup.cfg, with each [ivrlint:RULE] section under "rules"."""
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read_string(text, source=path)
    except configparser.Error as exc:
        raise InputError.at(None, f"invalid configuration: {exc}".replace("\n", " "), path) from None
    for section in parser.sections():
        _refuse_misspelt_section(section, text, path)
    raw: dict = {}
    if parser.has_section("ivrlint"):
        raw.update(parser["ivrlint"])
    rules = {}
    for section in parser.sections():
        if section.startswith("ivrlint:"):
            rules[section.split(":", 1)[1].strip()] = dict(parser[section])
    if rules:
        raw["rules"] = rules
    return raw


#: A setup.cfg section that looks meant for ivrlint: [ivrlint...] or [tool.ivrlint...], any case.
_NEAR_IVRLINT = re.compile(r"(?i)(?:tool\.)?ivrlint(?:$|[\s.:_-]+(?:rules\.)?(.*))")


def _refuse_misspelt_section(section: str, text: str, path: str) -> None:
    """[ivrlint.too-many-options] or [ivrlint too-many-options] would be
    passed over without a word (configparser takes any name), leaving the
    rule at its defaults: an error at its line that says what to write."""
    if section == "ivrlint" or (section.startswith("ivrlint:") and section[len("ivrlint:"):].strip()):
        return
    near = _NEAR_IVRLINT.fullmatch(section.strip())
    if not near:
        return
    rest = (near.group(1) or "").strip()
    rule = find_rule(rest) if rest else None
    if rule is not None:
        instead = f"[ivrlint:{rule.slug}] for the settings of rule {rule.slug}"
    elif rest or section.rstrip().endswith(":"):
        instead = "[ivrlint:RULE] for a rule's settings (`ivrlint rules` lists them)"
    else:
        instead = "[ivrlint]"
    found = re.search(rf"^[ \t]*\[{re.escape(section)}\]", text, re.M)
    loc = Location(path, text.count("\n", 0, found.start()) + 1, found.group().index("[") + 1) if found else None
    raise InputError.at(loc, f"section [{section}] is not read by ivrlint; write {instead}", path)


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
