"""The caller model: for a caller with a given need at a given point of the
menu, the moves they can make, how likely each is and how long it takes.

This is the one place where caller behaviour is decided. The simulation
draws moves from it; the exact analysis (analysis/menu_chain.py) solves the
same moves as an absorbing Markov chain. They agree by construction.

A caller's state is ``(node, came_from, flag, failures)``: where they are,
the menu a ``back`` key returns to, how their need stands (SEEKING it,
REACHED its goal but still needing a person after the task there failed, or
SATISFIED) and the failed attempts of this visit. The story per node type:

* menu: the prompt plays; the caller may press as soon as the option they
  want has been announced, after a think time. They may instead stay silent
  (the timeout passes), press a wrong key (more often in wider menus), or at
  a new menu press 0 at once. Thinking too long is a silence. Silences and
  invalid keys count against ``retries``, then ``on_failure`` (or the menu
  disconnects). A caller for whom no option leads anywhere useful is lost:
  they go back, press the key toward a person, or hang up. Before each
  prompt a caller may give up (menu patience, parameters.py).
* input / self_service: prompt plus a random duration, succeeding with
  ``success`` (default 1); input failures are retried like a menu's.
* message, branch: the prompt plays, the call moves on (branches by share).
* queue, transfer, voicemail, hangup: the menu part of the call ends. At a
  person, the end says whether they can serve the caller's intent (the
  pools of serving.py) or the caller is misrouted.

A satisfied caller follows messages to the end of the call and hangs up at
the next node that asks something of them.
"""

from __future__ import annotations

import math
from random import Random
from statistics import NormalDist

from ivrlint.errors import InputError
from ivrlint.language.hearing import Hearing
from ivrlint.language.prompts import announced_at, prompt_seconds, prompt_text, speaking_seconds
from ivrlint.menu.model import DEFAULT_TIMEOUT, KEYS, Menu, Node, Redial
from ivrlint.sim import records
from ivrlint.sim.durations import Draw, sampler
from ivrlint.sim.moves import Chain, End, Move, outcome
from ivrlint.sim.parameters import Behaviour, behaviour_of
from ivrlint.sim.requirements import traffic_of
from ivrlint.sim.routes import Routes, back_key
from ivrlint.sim.serving import serving_people

SEEKING, REACHED, SATISFIED = 0, 1, 2
#: Node types where arriving at a goal meets the need at once.
MET_ON_ARRIVAL = ("message", "menu", "branch", "hangup")
#: States one intent may need before the menu is too large to model.
MAX_STATES = 200_000
#: Outcomes after which the caller's need is still there: they may call again (traffic.redial).
UNMET = (records.ABANDONED, records.HUNG_UP, records.DISCONNECTED, records.MISROUTED)


State = tuple  # (node id, came_from menu or None, flag, failures this visit)


class CallerModel:
    """Caller moves for one menu (see the module docstring)."""

    def __init__(self, menu: Menu, behaviour: Behaviour | None = None):
        self.menu = menu
        self.behaviour = behaviour or behaviour_of(menu)
        self.routes = Routes(menu)
        self._prompts: dict = {}
        self._hearing = Hearing(menu)
        self._tasks: dict = {}
        self._chains: dict = {}
        b = self.behaviour
        self._think_mu, self._think_sigma = math.log(b.think_median), b.think_sigma
        self.redialling = Redialling(menu.traffic.redial if menu.traffic is not None else None)

    # -- chains ------------------------------------------------------------
    def chain(self, intent: str, language: str) -> Chain:
        """The compiled chain of an intent in a language (cached)."""
        key = (intent, language)
        if key not in self._chains:
            need = traffic_of(self.menu).intents[intent]
            self._chains[key] = self._compile(frozenset(need.goals), serving_people(self.menu, need), language)
        return self._chains[key]

    def _compile(self, goals: frozenset, serving: frozenset, language: str) -> Chain:
        """The chain of a caller heading for `goals`, whom the people at the
        person nodes `serving` can serve (each person end says whether it does)."""
        first = self._enter(self.menu.start, None, SEEKING, goals)
        if isinstance(first, End):
            raise InputError.at(self.menu.where("start"), f"the start node '{self.menu.start}' is not defined", self.menu.file)
        states, index = [first], {first: 0}
        all_moves: list[list[Move]] = []
        cumulative: list[list[float]] = []
        while len(all_moves) < len(states):
            state = states[len(all_moves)]
            moves = [m for m in self.moves(state, goals, language) if m.prob > 0]
            total, running = 0.0, []
            for move in moves:
                if move.end is not None and move.end.kind != "outcome":  # a queue or a transfer: the call is at state[0]
                    move.end = move.end._replace(serves=state[0] in serving)
                if move.next is not None:
                    if move.next not in index:
                        index[move.next] = len(states)
                        states.append(move.next)
                    move.next = index[move.next]
                total += move.prob
                running.append(total)
            running[-1] = 1.0  # absorb rounding so a draw below 1 always lands
            all_moves.append(moves)
            cumulative.append(running)
            if len(states) > MAX_STATES:
                raise InputError.at(self.menu.loc, f"the menu needs more than {MAX_STATES} caller states; too large to simulate",
                                    self.menu.file)
        return Chain(states, all_moves, cumulative)

    # -- sampling ------------------------------------------------------------
    def sample_time(self, move: Move, rng: Random) -> float:
        """Draw the seconds a move takes (the simulation's side of `Move.mean`)."""
        seconds = move.base
        if move.think:
            seconds += self.think_below(move.think, rng)
        if move.draw is not None:
            seconds += move.draw(rng)
        return seconds

    def think_below(self, limit: float, rng: Random, inside: float | None = None) -> float:
        """A think time, given that it is below `limit` (rejection, else inverse CDF);
        `inside` is ``behaviour.think_cdf(limit)`` when the caller has it at hand."""
        mu, sigma = self._think_mu, self._think_sigma
        if sigma <= 0:
            return self.behaviour.think_median
        if inside is None:
            inside = self.behaviour.think_cdf(limit)
        if inside > 0.25:
            while True:
                x = rng.lognormvariate(mu, sigma)
                if x < limit:
                    return x
        u = min(max(rng.random() * inside, 1e-300), 1 - 1e-16)
        return min(math.exp(NormalDist(mu, sigma).inv_cdf(u)), limit)

    # -- moves -----------------------------------------------------------------
    def moves(self, state: State, goals: frozenset, language: str) -> list[Move]:
        """Every move from `state`; their chances sum to 1."""
        node = self.menu.nodes[state[0]]
        if state[2] == SATISFIED and node.type not in ("message", "branch", "hangup"):
            return [Move(1.0, "done", end=outcome(records.CONTAINED, True))]
        return self._HANDLERS[node.type](self, state, node, goals, language)

    def _menu(self, state, node, goals, language):
        node_id, came, flag, fails = state
        b = self.behaviour
        seconds, announced = self.prompt(node, language)
        cap = seconds + (node.timeout if node.timeout is not None else DEFAULT_TIMEOUT)
        hang = b.menu_hangup if fails == 0 else b.retry_hangup
        out = [Move(hang, "hangup", end=outcome(records.HUNG_UP, flag >= REACHED))]
        rest = 1.0 - hang
        press = lambda key, prob, at: self._press(state, node, goals, key, prob, at, cap)  # noqa: E731
        if fails == 0 and flag == SEEKING and b.zero_out > 0:
            out += press("0", rest * b.zero_out, 0.0)
            rest *= 1.0 - b.zero_out
        wanted = self.wanted_key(node, self.targets(flag, goals), announced)
        if wanted is not None:
            at = announced.get(wanted, 1.0) * seconds
            out.append(self._fail(state, node, goals, "no_input", rest * b.silence, cap))
            rest *= 1.0 - b.silence
            wrong = b.wrong_chance(len(node.options))
            others = [k for k in node.options if k != wanted]
            invalid = 0.0 if len(node.options) >= len(KEYS) else (b.invalid_share if others else 1.0)
            out += press(wanted, rest * (1.0 - wrong), at)
            out += press(None, rest * wrong * invalid, at)
            for key in others:
                out += press(key, rest * wrong * (1.0 - invalid) / len(others), at)
            return out
        reactions = [(b.lost_back, self.back_key(node)), (b.lost_zero, self.person_key(node, announced))]
        total = b.lost_hangup + sum(w for w, key in reactions if key is not None)
        for weight, key in reactions:
            if key is not None and total > 0:
                out += press(key, rest * weight / total, announced.get(key, 1.0) * seconds)
        give_up = rest * (b.lost_hangup / total if total > 0 else 1.0)
        out.append(Move(give_up, "lost", end=outcome(records.HUNG_UP, flag >= REACHED), base=seconds, mean=seconds, menus=1))
        return out

    def _press(self, state, node, goals, key, prob, at, cap) -> list[Move]:
        """A press of `key` (None: a key the menu does not offer) intended at
        `at` seconds into the prompt plus a think time; thinking past the
        timeout is a no-input instead."""
        limit = cap - at
        in_time = self.behaviour.think_cdf(limit)
        event, target, leaves, retries = self._key_target(state, node, goals, key)
        pressed = Move(prob * in_time, event, key if key is not None else "?", base=at, think=limit,
                       mean=at + self.behaviour.think_mean_below(limit), keys=1, menus=1, retries=retries, leaves=leaves)
        self._aim(pressed, target)
        return [pressed, self._fail(state, node, goals, "no_input", prob * (1.0 - in_time), cap)]

    def _key_target(self, state, node, goals, key):
        """(event, next state or End, leaves the visit, counts as a retry) for a key."""
        node_id, came, flag, _ = state
        option = node.options.get(key) if key is not None else None
        if option is None:
            return self._after_fail(state, node, goals, "invalid")
        if option.action == "repeat" or (option.action == "back" and came is None):
            return option.action, (node_id, came, flag, 0), True, 0
        if option.action == "back":
            return "back", self._enter(came, self.routes.parent_menu(came), flag, goals), True, 0
        if option.action == "top":
            return "top", self._enter(self.menu.start, None, flag, goals), True, 0
        return "key", self._enter(option.goto, node_id, flag, goals), True, 0

    def _fail(self, state, node, goals, event, prob, seconds) -> Move:
        event, target, leaves, retries = self._after_fail(state, node, goals, event)
        move = Move(prob, event, base=seconds, mean=seconds, menus=int(node.type == "menu"), retries=retries, leaves=leaves)
        return self._aim(move, target)

    def _after_fail(self, state, node, goals, event, allowed=None):
        """Where a failed attempt leads: another attempt, a handler, or on_failure."""
        node_id, came, flag, fails = state
        allowed = node.retries if allowed is None else allowed
        came_next = node_id if node.type == "menu" else came
        if allowed is None:  # unlimited: the prompt plays again until the caller answers or hangs up
            handler = node.on_no_input if event == "no_input" else node.on_invalid
            if handler is not None:
                return event, self._enter(handler, came_next, flag, goals), True, 1
            return event, (node_id, came, flag, 1), False, 1  # one state for every later attempt: the chain stays finite
        if fails + 1 > allowed:
            if node.on_failure is None:
                return "failure", outcome(records.DISCONNECTED, flag >= REACHED), True, 1
            return "failure", self._enter(node.on_failure, came_next, flag, goals), True, 1
        handler = node.on_no_input if event == "no_input" else node.on_invalid
        if handler is not None:
            return event, self._enter(handler, came_next, flag, goals), True, 1
        return event, (node_id, came, flag, fails + 1), False, 1

    @staticmethod
    def _aim(move: Move, target) -> Move:
        if isinstance(target, End):
            move.end = target
        else:
            move.next = target
        return move

    def _task(self, state, node, goals, language, attempts):
        node_id, came, flag, fails = state
        b = self.behaviour
        seconds, _ = self.prompt(node, language)
        hang = b.retry_hangup if fails else 0.0
        out = [Move(hang, "hangup", end=outcome(records.HUNG_UP, flag >= REACHED))]
        rest = 1.0 - hang
        if node_id not in goals and node_id not in self.routes.distances(self.targets(flag, goals)):
            lost = b.lost_hangup + b.lost_back + b.lost_zero
            quit_ = b.lost_hangup / lost if lost > 0 else 1.0
            out.append(Move(rest * quit_, "lost", end=outcome(records.HUNG_UP, flag >= REACHED), base=seconds, mean=seconds))
            out.append(self._fail(state, node, goals, "failure", rest * (1.0 - quit_), seconds))
            out[-1].menus = 0
            return out
        mean, draw = self.task_duration(node)
        base = seconds if draw is not None else seconds + mean  # a fixed duration is part of the base
        success = 1.0 if node.success is None else node.success
        after = SATISFIED if node_id in goals else flag
        if node.next is None:
            done = outcome(records.CONTAINED if after == SATISFIED else records.DISCONNECTED, after >= REACHED)
        else:
            done = self._enter(node.next, came, after, goals)
        out.append(self._aim(Move(rest * success, "success", base=base, draw=draw, mean=seconds + mean), done))
        event, target, leaves, retries = self._after_fail(state, node, goals, "failure", attempts)
        failed = Move(rest * (1.0 - success), event, base=base, draw=draw, mean=seconds + mean, retries=retries, leaves=leaves)
        out.append(self._aim(failed, target))
        return out

    def _input(self, state, node, goals, language):
        return self._task(state, node, goals, language, node.retries)

    def _self_service(self, state, node, goals, language):
        return self._task(state, node, goals, language, 0)

    def _message(self, state, node, goals, language):
        _, came, flag, _ = state
        seconds, _ = self.prompt(node, language)
        if node.next is None:
            target = outcome(records.CONTAINED if flag == SATISFIED else records.DISCONNECTED, flag >= REACHED)
        else:
            target = self._enter(node.next, came, flag, goals)
        return [self._aim(Move(1.0, "next", base=seconds, mean=seconds), target)]

    def _branch(self, state, node, goals, language):
        _, came, flag, _ = state
        if not node.branches:
            return [Move(1.0, "branch", end=outcome(records.DISCONNECTED, flag >= REACHED))]
        return [self._aim(Move(share, "branch"), self._enter(branch.goto, came, flag, goals))
                for share, branch in zip(branch_shares(node), node.branches, strict=True)]

    def _queue(self, state, node, goals, language):
        seconds, _ = self.prompt(node, language)
        reached = state[2] >= REACHED
        end = End("queue", node.queue, reached) if node.queue in self.menu.queues else outcome(records.DISCONNECTED, reached)
        return [Move(1.0, "queue", end=end, base=seconds, mean=seconds)]

    def _transfer(self, state, node, goals, language):
        seconds, _ = self.prompt(node, language)
        return [Move(1.0, "transfer", end=End("transfer", node.human, state[2] >= REACHED), base=seconds, mean=seconds)]

    def _voicemail(self, state, node, goals, language):
        seconds = self.prompt(node, language)[0] + self.behaviour.voicemail_seconds
        return [Move(1.0, "voicemail", end=outcome(records.VOICEMAIL, state[2] >= REACHED), base=seconds, mean=seconds)]

    def _hangup(self, state, node, goals, language):
        seconds, _ = self.prompt(node, language)
        what = records.CONTAINED if state[2] == SATISFIED else records.DISCONNECTED
        return [Move(1.0, "end", end=outcome(what, state[2] >= REACHED), base=seconds, mean=seconds)]

    #: Each node type's moves, by the method that makes them (one per type of MENU_FORMAT.md).
    _HANDLERS = {"menu": _menu, "input": _input, "self_service": _self_service, "message": _message,
                 "branch": _branch, "queue": _queue, "transfer": _transfer, "voicemail": _voicemail,
                 "hangup": _hangup}

    # -- what the caller knows -------------------------------------------------

    def _enter(self, node_id: str | None, came: str | None, flag: int, goals: frozenset):
        """The state of a caller arriving at `node_id` (an End if it does not exist)."""
        node = self.menu.nodes.get(node_id) if node_id is not None else None
        if node is None:
            return outcome(records.DISCONNECTED, flag >= REACHED)
        if flag == SEEKING and node_id in goals:
            flag = SATISFIED if node.type in MET_ON_ARRIVAL else REACHED
        if node.type == "menu" and self.back_key(node) is None:
            came = None  # no back key here: where the caller came from no longer matters
        return (node_id, came, flag, 0)

    def targets(self, flag: int, goals: frozenset) -> frozenset:
        """What the caller heads for: their goals, or a person once a goal task failed."""
        return goals if flag == SEEKING else self.routes.persons if flag == REACHED else frozenset()

    def wanted_key(self, node: Node, targets: frozenset, announced: dict) -> str | None:
        """The option a caller heading for `targets` presses (routes.py)."""
        return self.routes.best_key(node, targets, announced)

    def person_key(self, node: Node, announced: dict) -> str | None:
        """The key a lost caller presses for a person (0 when it is one of the nearest)."""
        return self.routes.best_key(node, self.routes.persons, announced, prefer_zero=True)

    back_key = staticmethod(back_key)

    def prompt(self, node: Node, language: str) -> tuple[float, dict]:
        """(seconds the prompt plays, share of it played when each key is announced).

        A language-choice menu plays every language's version in turn (the
        caller has not chosen yet), as the prompt rules hear it too."""
        key = (node.id, language)
        if key not in self._prompts:
            rate = self.menu.defaults.speech_rate
            if len(node.prompt) > 1 and self._hearing.is_language_choice(node):
                text = "\n\n".join(node.prompt.values())  # a blank line ends a sentence
                seconds = node.prompt_seconds if node.prompt_seconds is not None else speaking_seconds(text, rate)
            else:
                text, seconds = prompt_text(node, language), prompt_seconds(node, language, rate)
            self._prompts[key] = (seconds, announced_at(text))
        return self._prompts[key]

    def task_duration(self, node: Node) -> tuple[float, Draw | None]:
        if node.id not in self._tasks:
            self._tasks[node.id] = sampler(node.duration, "lognormal", self.behaviour.task_cv)
        return self._tasks[node.id]


class Redialling:
    """Whether a caller whose need was not met calls again, and after how long (``traffic.redial``).

    A call is unmet when it ended in one of UNMET (abandoned, hung up in the
    menu, disconnected, closed pools included, or misrouted); contained,
    served and voicemail calls met the need. After an unmet call the caller
    calls again with chance ``share`` (one draw, none when the share is 0 or
    1), if they have made fewer than ``max_attempts`` calls, after a delay
    drawn from ``after`` (exponential unless the menu names a distribution).
    The simulation draws this; the analysis reads the same definition.
    """

    def __init__(self, redial: Redial | None):
        self.share = redial.share if redial is not None else 0.0
        self.max_attempts = redial.max_attempts if redial is not None else 1
        self.delay_mean, self.delay_draw = sampler(redial.after, "exponential") if redial is not None else (0.0, None)

    @property
    def active(self) -> bool:
        """Does anybody ever call again?"""
        return self.share > 0 and self.max_attempts > 1

    @staticmethod
    def unmet(outcome: str) -> bool:
        """Is the caller's need still there after a call that ended `outcome`?"""
        return outcome in UNMET

    def chance(self, outcome: str, attempt: int) -> float:
        """The chance that a caller whose call number `attempt` ended `outcome` calls again."""
        return self.share if outcome in UNMET and attempt < self.max_attempts else 0.0

    def again(self, outcome: str, attempt: int, rng: Random) -> float | None:
        """Seconds until the caller whose call number `attempt` ended `outcome` calls again; None if they do not."""
        if outcome not in UNMET or attempt >= self.max_attempts or self.share <= 0:
            return None
        if self.share < 1 and rng.random() >= self.share:
            return None
        return self.delay_draw(rng) if self.delay_draw is not None else self.delay_mean


def branch_shares(node: Node) -> list[float]:
    """The chance of each branch: shares as written, the rest split evenly
    over branches without a share, normalised to sum to 1."""
    given = [b.share for b in node.branches]
    known = sum(s for s in given if s is not None)
    unknown = sum(1 for s in given if s is None)
    filled = [s if s is not None else max(0.0, 1.0 - known) / unknown for s in given]
    total = sum(filled)
    if total <= 0:
        return [1.0 / len(filled)] * len(filled)
    return [s / total for s in filled]
