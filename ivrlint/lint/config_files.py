"""Read each kind of configuration file into ivrlint's raw settings: .ivrlint.yaml, pyproject.toml
([tool.ivrlint]) or setup.cfg ([ivrlint]), as their formats write them. config.py checks what they say.

Each reader refuses what it cannot read with one line at the place: invalid TOML, YAML or ini, a
number past Python's 4,300-digit limit, a setup.cfg section that looks meant for ivrlint but would be
passed over, and, for YAML, nesting past the menus' limit or aliases that expand past a budget.
"""

from __future__ import annotations

import configparser
import re
import sys
import tomllib

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from ivrlint.errors import InputError
from ivrlint.lint.rules import find_rule
from ivrlint.location import Location
from ivrlint.menu import yamlsource

#: One more than the digits Python reads into a whole number from text (sys.get_int_max_str_digits).
_INT_DIGITS = (sys.get_int_max_str_digits() or 4300) + 1


def read_raw(path: str) -> dict:
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
