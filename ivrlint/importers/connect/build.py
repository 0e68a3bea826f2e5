"""Walk the blocks a caller can pass and turn them into one Menu.

Blocks the caller never notices (setting attributes, recording, logging,
the voice, a Lambda call, the working queue, a jump to another flow) are not
nodes: a transition to one goes on to the first block after it that plays,
asks, branches or ends something. Everything else becomes a node (blocks.py
says which).

**The working queue.** ``TransferContactToQueue`` sends the call to the queue
that an earlier ``UpdateContactTargetQueue`` set, so which pool a queue node
waits for depends on the way the caller came. The walk carries the working
queue along; a block whose meaning depends on it (one from which a caller
can reach TransferContactToQueue without setting the queue again) becomes
one node per queue it is reached with, named ``<node>@<pool>`` when there is
more than one. A pool is named by the queue's name in the flow's metadata,
else by the id at the end of its ARN.

**Node ids** are ``<flow>/<block>``: the flow's name, and the block's
Identifier when a person named it, else a word for what it does and the
start of its generated id (``main/menu_3f2a9c``), so ids stay the same when
blocks are added elsewhere. Findings name blocks as the flow designer shows
them instead (phrases.py).

**Transitions to no block** (a NextAction naming an Identifier the flow
does not hold) make Connect refuse the flow. They are reported where they
are written (broken-entry), and the call is taken to end there, so the
rest of the flow is still checked.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from ivrlint.importers import pools
from ivrlint.importers.connect import blocks
from ivrlint.importers.connect.blocks import Suffix
from ivrlint.importers.connect.flows import Action, Flow, arn_id, display_name, is_generated_id
from ivrlint.importers.connect.line import TRANSPARENT_TYPES, PhoneLine, next_action
from ivrlint.importers.connect.phrases import Block, ConnectPhrases, block_title, snippet
from ivrlint.importers.connect.prompts import block_prompt, voice_language
from ivrlint.location import Location
from ivrlint.menu.document import Document, Duplicate, Note
from ivrlint.menu.model import Branch, Defaults, Menu, Node

_UNSAFE = re.compile(r"[^\w-]+")

State = tuple  # (flow path, action id, working queue or None)


@dataclass(frozen=True)
class Ref:
    """A target while building: a state of the walk, or the id of a block that does not exist."""

    state: State | None = None
    missing: str | None = None


class Builder:
    """One walk over a phone line's flows; :meth:`menu` gives the result."""

    def __init__(self, line: PhoneLine):
        self.line = line
        self.dependent = line.queue_dependent()
        self.prefixes = _flow_prefixes(line.reached)
        self.names = {flow.path: _block_names(flow) for flow in line.reached}
        self.queue_names = _queue_names(line.reached)
        self.language = _entry_language(line.entry)
        self.languages = {f.path: _flow_language(f) or self.language for f in line.reached}
        self.queues: dict = {}
        self.notes: dict[tuple, State | None] = {}
        self.drafts: dict[State, list[tuple[str, Node]]] = {}
        self.forced: set[tuple[str, str]] = set()
        self.todo: deque = deque()
        self.duplicate_keys: list[tuple[State, str, Location, Location]] = []
        self.missing: dict[str, tuple[Flow, str]] = {}  # id of a block transitions name but no flow holds -> (flow, Identifier)
        self.menu_loops: dict[State, Action] = {}  # a menu's state -> the Loop block that gives its retries

    # -- notes ---------------------------------------------------------------
    def note(self, slug: str, message: str, loc: Location, state: State | None = None) -> None:
        self.notes.setdefault((slug, message, loc), state)

    # -- following transitions -------------------------------------------
    def resolve(self, flow: Flow, target: str, pool: str | None) -> Ref:
        """Where a transition to block `target` of `flow` lands, past the blocks callers do not notice."""
        seen: set = set()
        while True:
            action = flow.actions.get(target)
            if action is None:
                missing = f"{self.prefixes[flow.path]}/{_UNSAFE.sub('_', target)}"
                self.missing.setdefault(missing, (flow, target))
                return Ref(missing=missing)
            if self._stops_at((flow.path, target), seen):
                break
            if action.type == "UpdateContactTargetQueue":  # a silent block: the caller goes on with the queue it sets
                pool = self.working_queue(action, pool)
            onward = self._past(flow, action)
            if onward is None:
                break
            flow, target = onward
        return self._reached(flow, target, pool)

    def _stops_at(self, place: tuple[str, str], seen: set) -> bool:
        """Whether a walk past silent blocks that has been through `seen` ends at `place` (flow path, block id)."""
        if place in self.forced:
            return True
        if place in seen:  # a loop of silent blocks: keep one of them as a node
            self.forced.add(place)
            return True
        seen.add(place)
        return False

    def _past(self, flow: Flow, action: Action) -> tuple[Flow, str] | None:
        """The block a caller goes on to from `action` without noticing it; None when `action` is a node."""
        if action.type == "TransferToFlow":
            linked = self.line.linked_flow(action)
            return (linked, linked.start) if linked is not None else None  # a flow not given: a broken link
        following = next_action(action) if action.type in TRANSPARENT_TYPES else None
        return (flow, following) if following is not None else None  # with nothing after it, it ends the call

    def _reached(self, flow: Flow, target: str, pool: str | None) -> Ref:
        """The walk's state at block `target` with working queue `pool` (kept where the block depends on it); new ones are queued."""
        state = (flow.path, target, pool if (flow.path, target) in self.dependent else None)
        if state not in self.drafts:
            self.drafts[state] = []
            self.todo.append(state)
        return Ref(state)

    def working_queue(self, action: Action, pool: str | None) -> str | None:
        value = action.params.get("QueueId")
        if not isinstance(value, str) or not value.strip():
            self.note("broken-entry", "Set working queue names no queue (QueueId); choose the queue", action.loc)
            return pool
        loc = action.param_loc("QueueId")
        if value.strip().startswith("$."):
            self.note("opaque-step", f"the working queue is chosen while the call runs ({value.strip()}); "
                      "modelled as one pool of that name", loc)
            name = value.strip()
        else:
            name = self.queue_names.get(value.strip()) or arn_id(value)
        pools.pool(self.queues, name, loc)
        return name

    def language_of(self, flow: Flow) -> str:
        return self.languages.get(flow.path, self.language)

    def prompt(self, node: Node, flow: Flow, action: Action) -> str | None:
        """Fill the node's prompt (or label, for a recording); the parameter it came from."""
        prompt, label, param = block_prompt(action, self.language_of(flow))
        node.prompt, node.label = prompt, label
        if param:
            node.locs["prompt"] = action.param_loc(param)
        return param

    # -- the walk ------------------------------------------------------------
    def document(self) -> Document:
        entry = self.line.entry
        start = self.resolve(entry, entry.start, None)
        for flow in self.line.flows:
            for slug, message, loc in flow.problems:
                self.note(slug, message, loc)
        for flow in self.line.reached:
            for action in flow.duplicates:
                self.note("broken-entry", f"a second block with Identifier '{action.id}'; Connect keeps one of them, "
                          "give each block its own Identifier", action.loc)
        for path, action_id in self.line.orphans():
            self.resolve(self.line.by_path[path], action_id, None)
        while self.todo:
            state = self.todo.popleft()
            flow = self.line.by_path[state[0]]
            self.drafts[state] = blocks.build(self, state, flow, flow.actions[state[1]])
        ids = self._ids()
        nodes: dict[str, Node] = {}
        for state, drafts in self.drafts.items():
            for suffix, node in drafts:
                node.id = ids[state] + suffix
                _retarget(node, lambda ref, own=ids[state]: self._target(ref, ids, own))
                _repeat_keys(node)
                nodes[node.id] = node
        start_id = self._target(start, ids)
        names = self._blocks(ids, nodes)
        self._dangling(nodes, start_id, names)
        menu = Menu(
            ivr=entry.name, start=start_id, nodes=self._in_file_order(nodes, start_id), file=entry.path, language=self.language,
            defaults=Defaults(), queues=self.queues, loc=Location(entry.path, 1, 1), locs={"start": entry.start_loc},
        )
        duplicates = [Duplicate(key, f"menu '{ids[state]}'", loc, first) for state, key, loc, first in self.duplicate_keys]
        return Document(menu, duplicates, self._notes(ids), phrases=ConnectPhrases(names))

    def _blocks(self, ids: dict[State, str], nodes: dict[str, Node]) -> dict[str, Block]:
        """How findings name the block each node was made from (phrases.py)."""
        several = len(self.line.reached) > 1
        out: dict[str, Block] = {}
        for state, drafts in self.drafts.items():
            flow = self.line.by_path[state[0]]
            action = flow.actions[state[1]]
            loop = self.menu_loops.get(state)
            loop_block = self._block(flow, loop, several).words() if loop is not None else None
            for suffix, _ in drafts:
                node = nodes[ids[state] + suffix]
                text = next(iter(node.prompt.values()), "") if node.prompt else ""
                out[node.id] = Block(block_title(action.type, blocks.stores_input(action)), self._block(flow, action, several).name,
                                     flow.name if several else None, snippet(text) if text else None, loop_block)
        for missing, (flow, identifier) in self.missing.items():
            out[missing] = Block("block", identifier, flow.name if several else None, missing=True)
        return out

    @staticmethod
    def _block(flow: Flow, action: Action, several: bool) -> Block:
        """A block named by its designer title and, when a person named it, its Identifier."""
        return Block(block_title(action.type, blocks.stores_input(action)), None if is_generated_id(action.id) else action.id,
                     flow.name if several else None)

    def _dangling(self, nodes: dict[str, Node], start_id: str, blocks: dict[str, Block]) -> None:
        """Report each transition to a block no flow holds, at its place, and end the call there (Connect refuses such a flow)."""
        phrases = ConnectPhrases(blocks)
        for node in list(nodes.values()):
            for loc, words, target in _transitions(node):
                if target in self.missing:
                    self._stand_in(nodes, target, loc)
                    self.note("broken-entry", f"{words} of {phrases.node(node)} leads to {blocks[target].words()}; Connect refuses "
                              "a flow whose transition names no block, and ivrlint takes the call as ending there: "
                              "connect the branch to a block of the flow", loc)
        if start_id in self.missing:
            entry = self.line.entry
            self._stand_in(nodes, start_id, entry.start_loc)
            self.note("broken-entry", f"StartAction names {blocks[start_id].words()}; Connect refuses such a flow, and ivrlint "
                      "takes every call as ending at once: set StartAction to the Identifier of the first block", entry.start_loc)

    def _stand_in(self, nodes: dict[str, Node], node_id: str, loc: Location) -> None:
        if node_id not in nodes:
            identifier = self.missing[node_id][1]
            nodes[node_id] = Node(node_id, "hangup", loc=loc, label=f"broken: block '{identifier}' is not in the flow")

    def _in_file_order(self, nodes: dict[str, Node], start: str) -> dict[str, Node]:
        """The start node, then the others flow by flow (the entry flow first) and line by line."""
        rank = {flow.path: i for i, flow in enumerate(self.line.reached)}
        rank[self.line.entry.path] = -1

        def place(node: Node) -> tuple[bool, int, int, int, str]:
            if node.loc is None:  # every block's node has the block's place; one without it goes last
                return node.id != start, len(rank), 0, 0, node.id
            return node.id != start, rank[node.loc.file], node.loc.line, node.loc.column, node.id

        ordered = sorted(nodes.values(), key=place)
        return {node.id: node for node in ordered}

    def _ids(self) -> dict[State, str]:
        per_place: dict[tuple, list[State]] = {}
        for state in self.drafts:
            per_place.setdefault(state[:2], []).append(state)
        ids = {}
        for (path, action_id), states in per_place.items():
            base = f"{self.prefixes[path]}/{self.names[path][action_id]}"
            for state in states:
                ids[state] = base if len(states) == 1 else f"{base}@{state[2] or 'no-queue'}"
        return ids

    def _target(self, ref, ids: dict[State, str], own: str = ""):
        if isinstance(ref, Suffix):
            return own + ref
        if not isinstance(ref, Ref):
            return ref
        return ids[ref.state] if ref.state is not None else ref.missing

    def _notes(self, ids: dict[State, str]) -> list[Note]:
        return [Note(slug, message, loc, ids.get(state) if state else None)
                for (slug, message, loc), state in self.notes.items()]

    def unreached_flows(self) -> None:
        """One note for each flow of the files given that the entry flow never reaches."""
        reached = {flow.path for flow in self.line.reached}
        for flow in self.line.flows:
            if flow.path not in reached and not flow.runs_beside_caller:
                self.note("unreachable", f"flow '{flow.name}' is never reached from '{self.line.entry.name}' "
                          "(no TransferToFlow leads to it); check it on its own, or link to it", flow.start_loc)


def _transitions(node: Node):
    """(where it is written, words for it, target) of each way out of `node`."""
    for key, option in node.options.items():
        if option.goto is not None:
            yield option.target_loc or node.loc, f"the branch for key {key}", option.goto
    for field, words in (("next", "the next branch"), ("on_no_input", "the Timeout branch"),
                         ("on_invalid", "the Default branch"), ("on_failure", "the failure branch")):
        target = getattr(node, field)
        if target is not None:
            yield node.where(field), words, target
    for branch in node.branches:
        yield branch.loc or node.loc, f"the branch '{branch.when}'" if branch.when else "a branch", branch.goto


def _retarget(node: Node, target) -> None:
    for option in node.options.values():
        option.goto = target(option.goto)
    for field in ("next", "on_no_input", "on_invalid", "on_failure"):
        setattr(node, field, target(getattr(node, field)))
    node.branches = [Branch(target(b.goto), b.share, b.when, b.loc) for b in node.branches]


def _repeat_keys(node: Node) -> None:
    """A key that leads straight back to its own menu repeats it (Connect has no other way to say so)."""
    for option in node.options.values():
        if option.goto == node.id:
            option.goto, option.action = None, "repeat"


def _flow_prefixes(flows: list[Flow]) -> dict[str, str]:
    out: dict[str, str] = {}
    for flow in flows:
        base = _UNSAFE.sub("_", flow.name).strip("_") or "flow"
        name, n = base, 1
        while name in out.values():
            n += 1
            name = f"{base}_{n}"
        out[flow.path] = name
    return out


def _block_names(flow: Flow) -> dict[str, str]:
    """A readable name, unique in the flow, for each block (see the module docstring)."""
    hexes = {a.id: a.id.replace("-", "").lower() for a in flow.actions.values() if is_generated_id(a.id)}
    heads, tails = _distinct_lengths(list(hexes.values())), _distinct_lengths([h[::-1] for h in hexes.values()])
    out: dict[str, str] = {}
    for action_id, hexid in hexes.items():
        head, tail = heads[hexid], tails[hexid[::-1]]
        short = hexid[:head] if head <= tail else hexid[-tail:]  # hand-made ids often differ only at the end
        out[action_id] = f"{blocks.kind_word(flow.actions[action_id])}_{short}"
    taken = set(out.values())
    for action in flow.actions.values():
        if action.id not in out:
            base = _UNSAFE.sub("_", action.id).strip("_") or "block"
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}_{n}"
            out[action.id] = name
            taken.add(name)
    return out


def _distinct_lengths(ids: list[str]) -> dict[str, int]:
    """For each id, how many leading characters (at least 6) tell it from every other id."""
    ordered = sorted(ids)
    out = {}
    for i, text in enumerate(ordered):
        shared = max((_common_prefix(text, ordered[j]) for j in (i - 1, i + 1) if 0 <= j < len(ordered)), default=0)
        out[text] = max(6, shared + 1)
    return out


def _common_prefix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    return n


def _queue_names(flows: list[Flow]) -> dict[str, str]:
    """Queue ARN -> the name some block's metadata shows for it."""
    out: dict[str, str] = {}
    for flow in flows:
        for action in flow.actions.values():
            value = action.params.get("QueueId")
            if not isinstance(value, str):
                continue
            shown = display_name(action, "QueueId")
            if shown:
                out.setdefault(value.strip(), shown)
    return out


def _flow_language(flow: Flow) -> str | None:
    for action in flow.actions.values():
        if action.type in ("UpdateContactTextToSpeechVoice", "UpdateContactData") and voice_language(action):
            return voice_language(action)
    return None


def _entry_language(flow: Flow) -> str:
    """The phone line's default language: the entry flow's voice, else its first SSML xml:lang, else English."""
    found = _flow_language(flow)
    if found:
        return found
    for action in flow.actions.values():
        prompt, _, _ = block_prompt(action, "")
        tags = [tag for tag in prompt if tag]
        if tags:
            return tags[0]
    return "en"
