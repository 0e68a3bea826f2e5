"""Exact analysis of a menu's traffic: queueing formulas and Markov chains.

``analyze_menu(menu)`` answers what ``ivrlint simulate`` estimates, in
milliseconds: the caller model's absorbing chain per intent
(menu_chain.py) and Erlang A per pool (queueing.py), see traffic.py.
"""

from ivrlint.analysis.menu_chain import absorbing_chain
from ivrlint.analysis.traffic import analyze_menu

__all__ = ["absorbing_chain", "analyze_menu"]
