"""How callers behave: the parameters of the caller model, with their sources.

Every parameter has a default here and can be set per menu under
``traffic.behaviour`` (or ``--set traffic.behaviour.NAME=VALUE``). Values
marked *assumption* have no published source (docs/sources.md#simulator-defaults
says so for think time, wrong keys and pressing 0 at once); they
are plausible round numbers, meant to be tuned to a line's own call logs.

The caller model (caller.py) turns these numbers into move probabilities;
the simulation and the exact analysis both read them from there.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Iterator
from dataclasses import dataclass, fields

from ivrlint.errors import InputError
from ivrlint.location import Location
from ivrlint.menu.model import Menu


@dataclass(frozen=True)
class Behaviour:
    #: Median seconds a caller thinks before pressing a key once the option
    #: they want has been announced. Lognormal. *Assumption*
    #: (docs/sources.md#simulator-defaults: "lognormal, median about 2 s",
    #: unsourced).
    think_median: float = 2.0
    #: Shape (sigma of the log) of the think time; 0.5 puts 90% of callers
    #: between 0.9 and 4.6 s. *Assumption*.
    think_sigma: float = 0.5
    #: Chance of pressing a wrong key in a menu with one option. *Assumption*;
    #: the direction (more options, more errors) is from Suhm et al. and
    #: Commarford et al. 2008.
    wrong_key: float = 0.02
    #: Added to the wrong-key chance for every option beyond the first
    #: (a six-option menu: 0.02 + 5 x 0.01 = 0.07). *Assumption*.
    wrong_key_per_option: float = 0.01
    #: Share of wrong presses that hit a key the menu does not offer (an
    #: invalid key); the rest land on another option. *Assumption*.
    invalid_share: float = 0.3
    #: Chance per menu prompt that the caller says nothing until the
    #: timeout. *Assumption*.
    silence: float = 0.02
    #: Chance that a caller presses 0 at once at a menu, without listening
    #: for the options ("zeroing out"). *Assumption*
    #: (docs/sources.md#simulator-defaults: unsourced).
    zero_out: float = 0.05
    #: A caller who lands where their need cannot be met notices it at the
    #: next prompt and goes back (the menu's back or top key), presses the
    #: key that leads to a person, or hangs up, in these proportions (taken
    #: among the reactions the menu allows). *Assumption*.
    lost_back: float = 0.5
    lost_zero: float = 0.3
    lost_hangup: float = 0.2
    #: Menu patience: the chance that a caller hangs up instead of hearing a
    #: new menu prompt, and the (higher) chance after a failed attempt. A
    #: constant chance per prompt keeps patience memoryless, so the exact
    #: analysis stays a small Markov chain. *Assumption*; real hang-up rates
    #: in a bank's menu were 19.7% overall (Brown et al. 2005), which
    #: includes callers who got what they came for.
    menu_hangup: float = 0.01
    retry_hangup: float = 0.1
    #: Seconds a caller takes to leave a voicemail message. *Assumption*.
    voicemail_seconds: float = 30.0
    #: cv of talk (handle) time when a pool names no distribution: lognormal
    #: with standard deviation equal to the mean. Brown et al. 2005 (JASA)
    #: found talk times lognormal with roughly this spread.
    talk_cv: float = 1.0
    #: cv of self-service and input durations when the menu names no
    #: distribution (lognormal). *Assumption*: tasks vary less than talk.
    task_cv: float = 0.5

    def wrong_chance(self, options: int) -> float:
        """Chance of a wrong press in a menu with `options` options (capped at 0.5)."""
        return min(0.5, self.wrong_key + self.wrong_key_per_option * max(0, options - 1))

    def think_cdf(self, seconds: float) -> float:
        """P(think time < seconds)."""
        if seconds <= 0:
            return 0.0
        if self.think_sigma <= 0:
            return 1.0 if seconds > self.think_median else 0.0
        z = (math.log(seconds) - math.log(self.think_median)) / self.think_sigma
        return 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))

    def think_mean_below(self, seconds: float) -> float:
        """E[think | think < seconds]: the lognormal's partial expectation."""
        mu, sigma = math.log(self.think_median), self.think_sigma
        if sigma <= 0:
            return self.think_median
        below = self.think_cdf(seconds)
        if below <= 0:
            return 0.0
        z = (math.log(seconds) - mu - sigma * sigma) / sigma
        partial = math.exp(mu + sigma * sigma / 2) * 0.5 * (1.0 + math.erf(z / math.sqrt(2.0)))
        return partial / below


#: Parameters that are probabilities (must lie in [0, 1]).
PROBABILITIES = ("wrong_key", "wrong_key_per_option", "invalid_share", "silence", "zero_out",
                 "lost_back", "lost_zero", "lost_hangup", "menu_hangup", "retry_hangup")
NAMES = tuple(f.name for f in fields(Behaviour))


def defaults() -> dict[str, float]:
    """Every parameter and its default, in the order of the class."""
    base = Behaviour()
    return {name: getattr(base, name) for name in NAMES}


def behaviour_problems(menu: Menu) -> Iterator[tuple[Location | None, str]]:
    """Each unknown name (at the name, with a did-you-mean) and impossible
    value (at the value) under `traffic.behaviour`.

    The one check of these parameters: the simulation and the analysis stop
    at the first problem (behaviour_of), `ivrlint check` reports them all
    (the behaviour rule, T306).
    """
    given = menu.traffic.behaviour if menu.traffic else {}
    locs = menu.traffic.locs if menu.traffic else {}
    for name, value in given.items():
        at_name = locs.get(f"behaviour.{name}") or locs.get("behaviour")
        if name not in NAMES:
            yield at_name, f"unknown behaviour parameter '{name}'{_suggest(name)}"
            continue
        problem = _problem(name, value)
        if problem:
            yield locs.get(f"behaviour.{name}.value") or at_name, f"behaviour '{name}' {problem}; got {value:g}"


def behaviour_of(menu: Menu) -> Behaviour:
    """The menu's caller behaviour: defaults, with `traffic.behaviour` on top.

    An unknown name or an impossible value is an InputError pointing at the
    line that sets it.
    """
    for loc, message in behaviour_problems(menu):
        raise InputError.at(loc, message, menu.file)
    given = menu.traffic.behaviour if menu.traffic else {}
    return Behaviour(**{name: float(value) for name, value in given.items()})


def _problem(name: str, value: float) -> str | None:
    if name in PROBABILITIES and not 0.0 <= value <= 1.0:
        return "is a chance and must be between 0 and 1"
    if name == "think_median" and value <= 0:
        return "must be above 0 seconds"
    if value < 0:
        return "must not be negative"
    return None


def _suggest(name: str) -> str:
    close = difflib.get_close_matches(name, NAMES, n=1, cutoff=0.6)
    return f"; did you mean '{close[0]}'?" if close else "; known parameters: " + ", ".join(NAMES)
