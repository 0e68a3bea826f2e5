"""One replication: SimPy processes that read like the story of a call.

A caller arrives, listens, presses, waits, talks, leaves. The moves and
their times come from the caller model (caller.py); agent pools are
``simpy.Resource`` pools; patience is a timer racing the request. Every
call leaves a CallRecord; statistics are computed later (metrics.py).

Decisions worth knowing:

* Arrivals are Poisson at ``calls_per_hour``, a flat rate around the clock
  (closed hours included); with 24 hourly rates the rate is piecewise
  constant and the clock starts at midnight (exact: on crossing an hour the
  next gap is drawn afresh, as the exponential is memoryless). Where the
  clock starts otherwise is runner.default_start_hour's choice.
* Arrivals stop at the horizon; calls that arrived are followed to their end
  (the system drains), so no late caller is lost from the statistics.
  Calls arriving during the warm-up are simulated but not recorded.
* A pool with ``hours`` takes callers only while open; a caller who reaches
  it when closed is disconnected (platforms play a closed message). Callers
  already waiting at closing time are still answered.
* A call making more than MAX_MOVES moves (a trap loop with menu patience
  set to zero) is ended as a hang-up, so a run always ends.
"""

from __future__ import annotations

import gc
from bisect import bisect_right
from contextlib import contextmanager
from itertools import accumulate
from random import Random

import simpy

from ivrlint.menu.model import Menu, Queue
from ivrlint.sim import records as R
from ivrlint.sim.caller import CallerModel
from ivrlint.sim.durations import sampler
from ivrlint.sim.records import CallRecord, QueueSample, Step
from ivrlint.sim.requirements import traffic_of

MAX_MOVES = 10_000
#: Calls between sweeps of young objects while the collector is paused.
YOUNG_SWEEP = 50_000


class Pool:
    """An agent pool: the SimPy resource and what callers draw for talk time."""

    def __init__(self, env: simpy.Environment, queue: Queue, talk_cv: float, start_hour: float,
                 samples: list | None):
        self.name = queue.name
        self.env = env
        self.resource = simpy.Resource(env, capacity=max(queue.agents, 1)) if queue.agents > 0 else None
        self.talk_mean, self.talk_draw = sampler(queue.handle_time, "lognormal", talk_cv)
        self.hours = queue.hours
        self.start_hour = start_hour
        self.samples = samples

    def is_open(self, now: float) -> bool:
        if self.hours is None:
            return True
        hour = (self.start_hour + now / 3600.0) % 24.0
        return self.hours[0] <= hour < self.hours[1]

    def talk(self, rng: Random) -> float:
        return self.talk_draw(rng) if self.talk_draw is not None else self.talk_mean

    def sample(self) -> None:
        """Log the pool's state (replication 0 only: samples cost time)."""
        res, samples = self.resource, self.samples
        if res is None or samples is None:  # a pool nobody staffs has no state; samples None: not logging
            return
        samples.append(QueueSample(self.env.now, len(res.queue), res.count))


def open_spans(hours: tuple[float, float] | None, start_hour: float, length: float) -> list[tuple[float, float]]:
    """The stretches (from, until), in hours after clock hour `start_hour`,
    in which a pool open `hours` (of the day) is open during the `length`
    hours from there (hours after a midnight; runs may span days).

    >>> open_spans((9.0, 17.0), 8.0, 26.0)
    [(1.0, 9.0), (25.0, 26.0)]
    """
    if hours is None:
        return [(0.0, length)]
    opening, closing = hours
    end, day, spans = start_hour + length, 24.0 * (start_hour // 24.0), []
    while day < end:
        since, until = max(start_hour, day + opening), min(end, day + closing)
        if until > since:
            spans.append((since - start_hour, until - start_hour))
        day += 24.0
    return spans


def open_seconds(hours: tuple[float, float] | None, start_hour: float, length: float) -> float:
    """Seconds a pool open `hours` is open in the `length` hours from clock hour `start_hour`."""
    return 3600.0 * sum(until - since for since, until in open_spans(hours, start_hour, length))


def arrival_times(rates: list[float], horizon: float, rng: Random, start_hour: float = 0.0):
    """Poisson arrival times in [0, horizon) seconds at `rates` calls per hour
    (one flat rate, or 24 hourly rates from `start_hour`)."""
    t = 0.0
    if len(rates) == 1:
        rate = rates[0] / 3600.0
        if rate <= 0:
            return
        while True:
            t += rng.expovariate(rate)
            if t >= horizon:
                return
            yield t
    while t < horizon:
        clock = start_hour + t / 3600.0
        edge = min(horizon, (int(clock) + 1 - start_hour) * 3600.0)
        rate = rates[int(clock) % 24] / 3600.0
        gap = rng.expovariate(rate) if rate > 0 else float("inf")
        if t + gap >= edge:
            t = edge
            continue
        t += gap
        yield t


class Replication:
    """One run of the menu: build the pools, start the arrivals, drain."""

    def __init__(self, menu: Menu, model: CallerModel, replication: int, seed: int, hours: float,
                 warmup: float = 0.0, start_hour: float = 0.0, keep_samples: bool = False):
        self.env = simpy.Environment()
        self.rng = Random(seed)
        self.model = model
        self.replication = replication
        self.horizon = (warmup + hours) * 3600.0
        self.warm = warmup * 3600.0
        traffic = traffic_of(menu)
        self.rates = traffic.calls_per_hour
        self.start_hour = start_hour
        self.records: list[CallRecord] = []
        self.samples: dict[str, list[QueueSample]] = {name: [] for name in menu.queues} if keep_samples else {}
        talk_cv = model.behaviour.talk_cv
        self.pools = {name: Pool(self.env, q, talk_cv, start_hour, self.samples.get(name)) for name, q in menu.queues.items()}
        self.patience_mean, self.patience_draw = sampler(traffic.patience, "exponential")
        intents = traffic.intents
        languages = traffic.languages or {menu.language: 1.0}
        self.intents, self.intent_cum = list(intents), _cumulative([i.share for i in intents.values()])
        self.languages, self.language_cum = list(languages), _cumulative(list(languages.values()))
        self.chains = {(i, lang): model.chain(i, lang) for i in self.intents for lang in self.languages}

    def run(self) -> Replication:
        with collector_paused():
            self.env.process(self.arrivals())
            self.env.run()
        return self

    # -- the story -------------------------------------------------------------
    def arrivals(self):
        """Callers arrive; each draws an intent and a language and starts their call."""
        env, rng, records, warm = self.env, self.rng, self.records, self.warm
        intents, intent_cum, languages, language_cum = self.intents, self.intent_cum, self.languages, self.language_cum
        one_intent, one_language = len(intents) == 1, len(languages) == 1
        replication, chains, call = self.replication, self.chains, self.call
        for call_id, when in enumerate(arrival_times(self.rates, self.horizon, rng, self.start_hour)):
            yield env.timeout(when - env.now)
            intent = intents[0] if one_intent else intents[bisect_right(intent_cum, rng.random())]
            language = languages[0] if one_language else languages[bisect_right(language_cum, rng.random())]
            record = CallRecord(call_id, replication, when, intent, language)
            if when >= warm:
                records.append(record)
            env.process(call(record, chains[intent, language]))
            if call_id % YOUNG_SWEEP == YOUNG_SWEEP - 1:
                gc.collect(0)  # whatever cyclic garbage there is, while it is young

    def call(self, record: CallRecord, chain):
        """A caller listens, presses and moves through the menu until the
        menu part of the call ends; then they wait and talk, or leave."""
        env, rng = self.env, self.rng
        draw, sample_time = rng.random, self.model.sample_time
        states, all_moves, cumulative = chain.states, chain.moves, chain.cumulative
        i = chain.start
        now = env.now
        step = Step(states[i][0], now, now)
        record.steps.append(step)
        move = None
        for _ in range(MAX_MOVES):
            moves = all_moves[i]
            move = moves[0] if len(moves) == 1 else moves[bisect_right(cumulative[i], draw())]
            seconds = move.base if (not move.think and move.draw is None) else sample_time(move, rng)
            if seconds > 0:
                yield env.timeout(seconds)
                now = env.now
            if move.keys or move.menus or move.retries:
                record.keypresses += move.keys
                record.menus_heard += move.menus
                record.retries += move.retries
            if move.leaves:
                step.leave, step.key, step.event = now, move.key, move.event
                if move.end is not None:
                    break
                step = Step(states[move.next][0], now, now)
                record.steps.append(step)
            i = move.next
        else:
            step.leave, step.event = env.now, "hangup"
            record.outcome, record.end = R.HUNG_UP, env.now
            return
        end = move.end
        record.reached_goal = end.reached
        if end.kind == "queue":
            yield from self.wait_and_talk(record, self.pools[end.what], end.serves)
            return
        if end.kind == "transfer":
            record.reached_person = bool(end.what)
            if end.what:
                record.outcome = R.SERVED if end.serves else R.MISROUTED
            else:
                record.outcome = R.CONTAINED if end.reached else R.DISCONNECTED
        else:
            record.outcome = end.what
        record.end = env.now

    def wait_and_talk(self, record: CallRecord, pool: Pool, serves: bool):  # noqa: C901 - one SimPy process, the story of one wait, on the hot path
        """Wait for an agent until patience runs out, then talk (`serves`: the pool can serve the caller's intent)."""
        env = self.env
        entered = record.queue_enter = env.now
        record.queue = pool.name
        if not pool.is_open(entered):
            record.steps[-1].event = "closed"
            record.outcome, record.end = R.DISCONNECTED, entered
            return
        if pool.resource is None:  # nobody staffs this pool: every caller gives up
            patience = self.patience_draw(self.rng) if self.patience_draw else self.patience_mean
            yield env.timeout(patience)
            record.queue_wait, record.outcome, record.end = patience, R.ABANDONED, env.now
            return
        logging = pool.samples is not None
        request = pool.resource.request()
        if logging:
            pool.sample()
        if not request.triggered:
            process = env.active_process
            assert process is not None, "wait_and_talk runs as a SimPy process"
            patience = self.patience_draw(self.rng) if self.patience_draw else self.patience_mean
            timer = env.timeout(patience)

            def give_up(_: simpy.Event) -> None:  # patience ran out before an agent answered
                if not request.triggered:
                    process.interrupt()

            timer.callbacks.append(give_up)
            try:
                yield request
            except simpy.Interrupt:
                request.cancel()
                if logging:
                    pool.sample()
                record.queue_wait, record.outcome, record.end = env.now - entered, R.ABANDONED, env.now
                return
            if logging:
                pool.sample()
        record.queue_wait = env.now - entered
        talk = pool.talk(self.rng)
        yield env.timeout(talk)
        pool.resource.release(request)
        if logging:
            pool.sample()
        record.talk_time, record.reached_person, record.end = talk, True, env.now
        record.outcome = R.SERVED if serves else R.MISROUTED


@contextmanager
def collector_paused():
    """Pause the cyclic garbage collector while records pile up.

    Every record stays alive until the run ends, and the collector would
    keep re-scanning them (a fifth of the run's time). A run makes almost
    no cyclic garbage (reference counting frees finished calls), and the
    arrivals still sweep the young objects every YOUNG_SWEEP calls, so
    memory stays bounded.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _cumulative(weights: list[float]) -> list[float]:
    """Running sums of `weights`, normalised so that the last is exactly 1."""
    total = sum(weights)
    if total <= 0:
        weights, total = [1.0] * len(weights), float(len(weights))
    running = [w / total for w in accumulate(weights)]
    running[-1] = 1.0
    return running
