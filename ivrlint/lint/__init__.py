"""The linter: rules over a menu, their settings, and findings in five formats.

``run`` applies the selected rules to a document and applies its suppression
comments; ``settings`` is what a run is asked to do and ``config`` finds and
reads it from the user's files; ``findings`` is one thing a rule says about
one place; ``suppressions`` reads ``ivrlint: disable=`` comments; ``rules/``
holds one module per rule; ``formats/`` renders findings for people and CI.
"""
