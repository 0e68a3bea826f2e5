"""Analysis of a menu's traffic without simulating: Markov chains and queue models.

``analyze_menu(menu)`` answers what ``ivrlint simulate`` estimates, in
milliseconds: the caller model's absorbing chain per intent
(menu_chain.py, exact) and a queue model per pool (general_queue.py:
Erlang A from queueing.py when talk time and patience are exponential,
exact for exponential talk or one agent, approximate otherwise and marked
so), through the day hour by hour (hourly.py, Lag-SIPP), with redials by
fixed point (redials.py) and pools' callbacks, announcements and overflow
(features.py, approximate); see traffic.py.
"""

from ivrlint.analysis.menu_chain import absorbing_chain
from ivrlint.analysis.traffic import analyze_menu

__all__ = ["absorbing_chain", "analyze_menu"]
