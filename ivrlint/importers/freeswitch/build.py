"""Turn the ``<menu>`` elements of one phone line's FreeSWITCH files into a Menu.

Each ``<menu>`` is a ``menu`` node named as in the file. Its entries become
options; what an entry runs becomes a node named after the menu and the
key (``main.2``, ``main.star``, ``main.pattern1`` for a digits pattern).
Those ids are the model's: findings name such a node by its construct
("the entry for digit 2 of menu 'main'", phrases.py), and it is part of its
menu (an unreachable menu is reported once, not once more per entry).
The start node is the first menu (in file order) that no other menu links
to with ``menu-sub`` or ``ivr``; when every menu is linked, the first one.

What FreeSWITCH does with a broken menu (src/switch_ivr_menu.c) is what
ivrlint reads: an ``<entry>`` with no or an unknown action, or no digits,
makes ``switch_ivr_menu_stack_xml_build`` fail, so neither its menu nor any
menu that reaches it through ``menu-sub`` is played at all (the ``ivr``
application logs "Unable to create menu" and the dialplan goes on). That is
reported at the entry (broken-entry), naming those menus, and the rest is
read as if the entry were not there, so its other defects are found too.

Entries are reduced to one key each (see digits.py): an entry for several
digits (``11``) or a pattern (``/^(10[01][0-9])$/``, dial-by-extension)
becomes an option on the key a caller presses first, labelled with the
digits. When several entries start with the same key, that key leads to a
``branch`` node that names each continuation (``1 alone``, ``dials 11``):
FreeSWITCH waits for more digits there, which a one-key option cannot say.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

from ivrlint.errors import InputError
from ivrlint.importers.freeswitch.digits import assign_keys, first_keys, is_pattern
from ivrlint.importers.freeswitch.phrases import FreeSwitchPhrases, Made, digit_words
from ivrlint.importers.freeswitch.steps import Outcome, application, gives_up, sound_node, tts_text
from ivrlint.importers.freeswitch.xmlfiles import Element, Files, walk
from ivrlint.importers.includes import outside_message
from ivrlint.importers.numbers import leading_whole_number
from ivrlint.location import Location
from ivrlint.menu.document import Document, Duplicate, Note
from ivrlint.menu.model import DEFAULT_LANGUAGE, Branch, Defaults, Menu, Node, Option

ENTRY_ACTIONS = ("menu-exec-app", "menu-sub", "menu-top", "menu-back", "menu-exit", "menu-play-sound")
#: What FreeSWITCH assumes when a menu leaves these out (switch_ivr_menu.c).
DEFAULT_TIMEOUT_MS = 10000
DEFAULT_MAX_FAILURES = 3
#: The largest number FreeSWITCH reads into its C ints (atoi).
INT_MAX = 2**31 - 1
_KEY_NAMES = {"*": "star", "#": "pound"}


@dataclass
class _Taker:
    """An entry that a key starts: what it runs, and whether the key alone is the whole input."""

    entry: Element
    digits: str
    target: tuple[str, str]  # ("goto", node id) or ("action", repeat|back|top)
    exact: bool


@dataclass
class _Refusal:
    """An <entry> that keeps FreeSWITCH from building its menu."""

    menu: str
    problem: str  # "unknown entry action 'menu-dance'"
    log: str  # what FreeSWITCH logs about it, if anything
    loc: Location


def menu_elements(files: Files) -> list[Element]:
    """The <menu> elements of every file, in file order (menus inside <menus> or <include>)."""
    found: list[Element] = []

    def visit(element: Element, parent: Element | None) -> None:
        if element.tag == "menu" and parent is not None and parent.tag in ("menus", "include"):
            found.append(element)

    for root in files.roots:
        walk(root, visit)
    return found


class Builder:
    def __init__(self, files: Files, first_file: str):
        self.files = files
        self.menu = Menu(ivr="", start="", nodes={}, file=first_file, loc=Location(first_file, 1, 1),
                         defaults=Defaults(timeout=DEFAULT_TIMEOUT_MS / 1000, retries=DEFAULT_MAX_FAILURES - 1))
        self.names: dict[str, Element] = {}  # menu name -> its element
        self.links: dict[str, list[str]] = {}  # menu -> menus it sends callers to, in entry order
        self.to_start: list[Branch] = []  # branches going to the start, set once it is known
        self.exits: dict[str, str] = {}  # menu -> id of its exit node, made when something leads there
        self.made: list[str] = []  # node ids in the order they were made
        self.reserved: set[str] = set()  # ids of exit nodes not made yet
        self.notes: list[Note] = []  # what the I4xx rules report
        self.duplicates: list[Duplicate] = []  # menus and digits written twice
        self.parts: dict[str, Made] = {}  # id of a node made for part of a menu -> what it is
        self.subs: dict[str, set[str]] = {}  # menu -> menus its menu-sub entries name (FreeSWITCH builds them with it)
        self.refusals: list[_Refusal] = []  # entries that keep their menu from being built

    def build(self) -> Document:
        elements = menu_elements(self.files)
        if not elements:
            raise InputError.at(self.menu.loc, 'no <menu> elements here; a FreeSWITCH IVR file holds '
                                '<include><menu name="..."> ... </menu></include> or <configuration name="ivr.conf"><menus>',
                                self.menu.file)
        for element in elements:
            self._register(element)
        groups = {}
        for name, element in self.names.items():
            first = len(self.made)
            self._menu(name, element)
            groups[name] = self.made[first:]
        self._choose_start()
        self._in_call_order(groups)
        self._refused_menus()
        for pattern, link, loc in self.files.outside:  # an error: the menus it would add are not linted
            what = f"X-PRE-PROCESS include '{pattern}'" + (f" matches {link}, a link that" if link else "")
            self.notes.append(Note("platform-warning", f"{what} {outside_message(self.files.config_dir)}", loc, None, "error"))
        for pattern, loc in self.files.missing:
            self.note("platform-warning", f"X-PRE-PROCESS include '{pattern}' matches no file; FreeSWITCH logs "
                      "\"No files to include\" and reads the rest without it, so the menus it would add are not read "
                      "(add their files, or remove the line)", loc, None)
        return Document(self.menu, self.duplicates, self.notes, comments=self.files.comments,
                        phrases=FreeSwitchPhrases(self.menu.start, self.parts))

    # -- plumbing ---------------------------------------------------------
    def note(self, slug: str, message: str, loc: Location, node_id: str | None) -> None:
        self.notes.append(Note(slug, message, loc, node_id))

    def add(self, node: Node, part: Made, reserved: bool = False) -> str:
        """Add a node made for `part` of a menu, renamed if its id is taken (unless the id was `reserved` for it)."""
        node.id = node.id if reserved else self.unique(node.id)
        node.timeout, node.retries = self.menu.defaults.timeout, self.menu.defaults.retries
        self.menu.nodes[node.id] = node
        self.made.append(node.id)
        self.parts[node.id] = part
        return node.id

    def unique(self, wanted: str) -> str:
        name, n = wanted, 2
        while name in self.menu.nodes or name in self.names or name in self.reserved:
            name, n = f"{wanted}-{n}", n + 1
        return name

    def _register(self, element: Element) -> None:
        name = element.attrs.get("name", "").strip()
        if not name:
            self.note("broken-entry", 'a <menu> with no name cannot be entered; add name="..."', element.loc, None)
        elif name in self.names:
            first = self.names[name]
            self.duplicates.append(Duplicate(name, "the FreeSWITCH menus", element.where("name"), first.where("name")))
        else:
            self.names[name] = element

    # -- one menu ---------------------------------------------------------
    def _menu(self, name: str, element: Element) -> None:
        attrs = element.attrs
        node = Node(name, "menu", loc=element.loc, label=attrs.get("description") or None)
        self.menu.nodes[name] = node
        self.made.append(name)
        self.exits[name] = self.unique(f"{name}.exit")
        self.reserved.add(self.exits[name])
        greeting = attrs.get("greet-long", "").strip()
        text = tts_text(greeting)
        if text is not None:
            node.prompt = {DEFAULT_LANGUAGE: text}
        elif greeting and node.label is None:  # a recording or phrase: its words are not in the file
            node.label = f"plays {greeting}"
        node.timeout = self._whole(element, "timeout", DEFAULT_TIMEOUT_MS, name) / 1000
        failures = self._whole(element, "max-failures", DEFAULT_MAX_FAILURES, name)
        # with no max-timeouts, FreeSWITCH counts silences up to max-failures too (switch_ivr_menu_stack_xml_build)
        timeouts = self._whole(element, "max-timeouts" if element.attrs.get("max-timeouts", "").strip() else "max-failures",
                               DEFAULT_MAX_FAILURES, name)
        # FreeSWITCH counts attempts (max-failures="3": three tries); retries count the tries after the first
        node.retries = max(min(failures, timeouts) - 1, 0)
        for key, attr in (("prompt", "greet-long"), ("timeout", "timeout"), ("retries", "max-failures")):
            if attr in attrs:
                node.locs[key] = element.where(attr)
        if attrs.get("pin", "").strip():
            self.note("opaque-step", f"menu '{name}' asks for a PIN first; the PIN check is not modelled", element.where("pin"), name)
        self._entries(node, element)
        self._on_failure(node, element)

    def _whole(self, element: Element, attr: str, default: int, node_id: str) -> int:
        """A count or milliseconds, read as FreeSWITCH does (leading digits; 0 or none: the default)."""
        raw = element.attrs.get(attr, "").strip()
        if not raw:
            return default
        number = leading_whole_number(raw)
        if number is None:
            self.note("opaque-step", f"{attr}=\"{raw}\" of menu '{node_id}' is not a number the importer can read "
                      f"(a variable?); FreeSWITCH's default {default} is assumed", element.where(attr), node_id)
            return default
        if number > INT_MAX:  # atoi into a C int: the value FreeSWITCH gets is not this number
            self.note("broken-entry", f"{attr} of menu '{node_id}' is larger than FreeSWITCH reads into a C int "
                      f"(at most {INT_MAX}); FreeSWITCH's default {default} is assumed: write a smaller number",
                      element.where(attr), node_id)
            return default
        return number or default

    def _on_failure(self, node: Node, element: Element) -> None:
        attrs = element.attrs
        failures = attrs.get("exec-on-max-failures", "").strip()
        timeouts = attrs.get("exec-on-max-timeouts", "").strip()
        attr = "exec-on-max-failures" if failures else "exec-on-max-timeouts"
        chosen = failures or timeouts
        if not chosen:
            return  # FreeSWITCH leaves the menu, back to the dialplan: the call ends
        if failures and timeouts and failures != timeouts:
            self.note("opaque-step", f"menu '{node.id}' runs '{timeouts}' after too many silences but '{failures}' after "
                      "too many wrong keys; both are modelled as the latter", element.where("exec-on-max-timeouts"), node.id)
        loc = element.where(attr)
        outcome = application(chosen, f"{node.id}.failure", loc, self.exits[node.id], self.menu.queues,
                              going_on="the menu's exit (back to the dialplan)")
        if outcome.node is not None and outcome.node.next == self.exits[node.id]:
            self._exit(node)
        part = Made(node.id, f"{attr} of menu '{node.id}'", ("menu-exec-app", chosen))
        kind, target = self._take(outcome, loc, node, f"{attr}: ", part)
        if kind == "goto":
            node.on_failure = target
            node.locs["on_failure"] = loc

    def _exit(self, node: Node) -> str:
        """The node for leaving the menu: the dialplan goes on after the `ivr` application, which usually ends the call."""
        wanted = self.exits[node.id]
        if wanted not in self.menu.nodes:
            part = Made(node.id, f"the exit of menu '{node.id}' (back to the dialplan)", ("menu-exit", None))
            self.add(Node(wanted, "hangup", loc=node.loc, label="menu exit: back to the dialplan"), part, reserved=True)
        return wanted

    def _take(self, outcome: Outcome, loc: Location, menu: Node, what: str, part: Made) -> tuple[str, str]:
        """Where `outcome` sends the call from `menu`: ("goto", node id) or ("action", ...); its note is made at `loc`."""
        if outcome.note is not None:
            slug, message = outcome.note
            self.note(slug, f"menu '{menu.id}', {what}{message}", loc, menu.id)
        if outcome.node is not None:
            return "goto", self.add(outcome.node, part)
        if outcome.goto is not None:
            self.links.setdefault(menu.id, []).append(outcome.goto)
            return "goto", outcome.goto
        if outcome.exit:
            return "goto", self._exit(menu)
        return "action", outcome.action or "repeat"

    # -- entries ----------------------------------------------------------
    def _entries(self, node: Node, element: Element) -> None:
        read = []
        for entry in (child for child in element.children if child.tag == "entry"):
            digits = entry.attrs.get("digits", "").strip()
            keys = self._entry_keys(node, entry, digits)
            if keys is not None:
                read.append((entry, digits, keys))
        by_key: dict[str, list[_Taker]] = {}
        patterns = 0
        for (entry, digits, _), keys in zip(read, assign_keys([keys for _, _, keys in read]), strict=True):
            patterns += is_pattern(digits)
            suffix = f"pattern{patterns}" if is_pattern(digits) else "".join(_KEY_NAMES.get(c, c) for c in digits)
            target = self._entry_target(node, entry, f"{node.id}.{suffix}", digits)
            if target[0] == "goto" and entry.attrs["action"] == "menu-sub":
                self.subs.setdefault(node.id, set()).add(target[1])
            for key, exact in keys.items():
                by_key.setdefault(key, []).append(_Taker(entry, digits, target, exact))
        for key, takers in by_key.items():
            self._option(node, key, takers)

    def _entry_keys(self, node: Node, entry: Element, digits: str) -> dict[str, bool] | None:
        """The keys an entry is read on (see digits.py); None for an entry that is not read, noted why."""
        action = entry.attrs.get("action", "")  # FreeSWITCH compares it as written (is_valid_action)
        what = f"menu '{node.id}': "
        if action not in ENTRY_ACTIONS:
            if not action.strip():
                problem = "an <entry> with no action"
            elif action.strip() in ENTRY_ACTIONS:
                problem = f"entry action '{action}' has blanks around it, which FreeSWITCH does not take off"
            else:
                problem = f"unknown entry action '{action}'"
            self.refusals.append(_Refusal(node.id, problem, f"Invalid Action [{action or '(null)'}]", entry.where("action")))
            return None
        if not digits:
            self.refusals.append(_Refusal(node.id, f"the entry '{action}' has no digits", "", entry.loc))
            return None
        keys = first_keys(digits)
        if keys is None:
            step = f"{action} {entry.attrs.get('param', '')}".strip()
            self.note("opaque-step", f"{what}digits '{digits}' cannot be read as keys (the pattern matches every input, or "
                      f"uses constructs the importer does not read); '{step}' is not modelled", entry.where("digits"), node.id)
        return keys

    def _entry_target(self, node: Node, entry: Element, node_id: str, digits: str) -> tuple[str, str]:
        action = entry.attrs["action"]
        param = entry.attrs.get("param", "").strip()
        loc = entry.where("param") if "param" in entry.attrs else entry.where("action")
        what = f"digits {digits}: "
        if action in ("menu-top", "menu-back"):
            return "action", action[len("menu-"):]
        if action == "menu-exit":
            return "goto", self._exit(node)
        part = Made(node.id, f"the entry for {digit_words(digits)} of menu '{node.id}'", (action, param))
        if action == "menu-sub":
            outcome = Outcome(goto=param) if param else _no_param(action, "MENU_NAME")
        elif action == "menu-play-sound":
            outcome = Outcome(node=sound_node(node_id, entry.loc, param, node.id)) if param else _no_param(action, "ivr/ivr-thank_you.wav")
        else:
            outcome = application(param, node_id, entry.loc, node.id, self.menu.queues)
        return self._take(outcome, loc, node, what, part)

    def _option(self, node: Node, key: str, takers: list[_Taker]) -> None:
        exact = [t for t in takers if t.exact]
        for later in exact[1:]:
            if not is_pattern(later.digits) and not is_pattern(exact[0].digits):
                self.duplicates.append(Duplicate(key, f"menu '{node.id}'", later.entry.where("digits"), exact[0].entry.where("digits")))
        choices = exact[:1] + [t for t in takers if not t.exact]  # FreeSWITCH takes the first entry that matches
        first = choices[0].entry
        target_loc = first.where("param") if "param" in first.attrs else first.where("action")
        option = Option(key, loc=first.where("digits"), target_loc=target_loc)
        if len(choices) == 1:
            kind, target = choices[0].target
            option.goto, option.action = (target, None) if kind == "goto" else (None, target)
            if choices[0].digits != key:
                option.label = f"dials {choices[0].digits}"
        else:
            option.goto = self._branch(node, key, choices)
            option.label = f"{key} or more digits"
        node.options[key] = option

    def _branch(self, node: Node, key: str, choices: list[_Taker]) -> str:
        branch = Node(f"{node.id}.{_KEY_NAMES.get(key, key)}-more", "branch", loc=choices[0].entry.loc,
                      label=f"digits after {key} in menu '{node.id}'")
        first = choices[0].entry
        part = Made(node.id, f"the entries whose digits start with {key} in menu '{node.id}'",
                    (first.attrs["action"], first.attrs.get("param", "").strip() or None))
        for taker in choices:
            kind, target = taker.target
            when = f"{key} alone" if taker.exact else f"dials {taker.digits}"
            goto = target if kind == "goto" else node.id
            if kind == "action" and target == "back":
                self.note("opaque-step", f"menu '{node.id}': menu-back on key {key}, which longer digits share, is modelled "
                          "as playing the menu again", taker.entry.where("action"), node.id)
            made = Branch(goto, when=when, loc=taker.entry.where("digits"))
            if kind == "action" and target == "top":
                self.to_start.append(made)
            branch.branches.append(made)
        return self.add(branch, part)

    # -- the whole line ---------------------------------------------------
    def _choose_start(self) -> None:
        linked = {target for source, targets in self.links.items() for target in targets if target != source}
        names = list(self.names)
        start = next((name for name in names if name not in linked), names[0] if names else None)
        if start is None:
            raise InputError.at(self.menu.loc, 'no <menu> has a name; write <menu name="main" ...>', self.menu.file)
        self.menu.start = self.menu.ivr = start
        self.menu.locs["start"] = self.names[start].where("name")
        for branch in self.to_start:
            branch.goto = start
        for option in self.menu.nodes[start].options.values():
            if option.action == "top":  # FreeSWITCH's menu-top in the first menu plays it again
                option.action = "repeat"


    def _in_call_order(self, groups: dict[str, list[str]]) -> None:
        """Each menu with the nodes made for it, menus in the order calls reach them (others after)."""
        order: dict[str, None] = {}  # a dict as an ordered set: `in` stays fast on thousands of menus
        queue = deque([self.menu.start])
        while queue:
            name = queue.popleft()
            if name in groups and name not in order:
                order[name] = None
                queue.extend(self.links.get(name, ()))
        order.update((name, None) for name in groups if name not in order)
        self.menu.nodes = {node_id: self.menu.nodes[node_id] for name in order for node_id in groups[name]}


    def _refused_menus(self) -> None:
        """Note each entry that keeps FreeSWITCH from building its menu, naming the menus that are not played for it:
        its own, and every menu that reaches it through menu-sub (FreeSWITCH builds those together)."""
        into: dict[str, set[str]] = {}
        for source, targets in self.subs.items():
            for target in targets:
                into.setdefault(target, set()).add(source)
        for refusal in self.refusals:
            lost, todo = {refusal.menu}, [refusal.menu]
            while todo:
                for source in into.get(todo.pop(), ()):
                    if source not in lost:
                        lost.add(source)
                        todo.append(source)
            names = ", ".join(f"'{name}'" for name in self.names if name in lost)
            logged = f"logs \"{refusal.log}\", " if refusal.log else ""
            self.note("broken-entry", f"menu '{refusal.menu}': {refusal.problem}; FreeSWITCH {logged}cannot build the menu and plays "
                      f"none of {names} (the ivr application logs \"Unable to create menu\" and the dialplan goes on); "
                      f"{_fix(refusal.problem)}. The rest is checked as if the entry were not there", refusal.loc, refusal.menu)


def _fix(problem: str) -> str:
    if "no digits" in problem:
        return 'add the key it is for, e.g. digits="1"'
    return f"use one of {', '.join(ENTRY_ACTIONS)}"


def _no_param(action: str, example: str) -> Outcome:
    return gives_up(f"'{action}' has no param", f'write e.g. param="{example}"')
