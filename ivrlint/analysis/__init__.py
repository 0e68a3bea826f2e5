"""Exact analysis of a menu's traffic: queueing formulas and Markov chains."""
