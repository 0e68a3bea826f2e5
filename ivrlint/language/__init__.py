"""Prompt language: what a prompt says and how long it takes, in any script.

``tokens`` cuts text into words in any script, ``lexicon`` holds the words
phone menus use per language, ``prompts`` times and reads one prompt,
``wording`` finds what a prompt offers (keys and what each is for), and
``hearing`` says which version of a node's prompt a caller hears. Both the
linter's wording rules and the simulation's caller read prompts through it.
"""
