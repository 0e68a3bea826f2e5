"""Agent pools of imported menus.

Platforms name their queues (a FreeSWITCH ``callcenter`` queue, an Asterisk
``Queue()``, a Connect queue ARN) but never say how many agents staff them
or how long calls take. An importer creates each pool at its first use with
the defaults below, and leaves ``handle_time.loc`` empty: no file said it.
The YAML writer marks such pools with a comment asking for real figures.
"""

from __future__ import annotations

from ivrlint.location import Location
from ivrlint.menu.model import Duration, Queue

#: One agent: the pool reaches a person, so structure rules judge the menu
#: as it is; real staffing comes from the user (``--set queues.NAME.agents=N``).
DEFAULT_AGENTS = 1
#: Three minutes of talk, the handle time of the Erlang C and A validation
#: examples (docs/sources.md#validation-targets); an assumption, not a
#: measured default.
DEFAULT_HANDLE_TIME = 180.0


def pool(queues: dict[str, Queue], name: str, loc: Location | None) -> Queue:
    """The pool called `name` in `queues`, added with the defaults when new. `loc` is its first use;
    None when no file says where (an Asterisk call that starts at a FreePBX queue)."""
    if name not in queues:
        queues[name] = Queue(name, DEFAULT_AGENTS, Duration(DEFAULT_HANDLE_TIME), loc=loc)
    return queues[name]


def is_default(queue: Queue) -> bool:
    """Was this pool's staffing made up by an importer (no file wrote it)?"""
    return queue.handle_time.loc is None
