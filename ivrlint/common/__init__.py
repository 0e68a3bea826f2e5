"""Helpers every layer may use, which know nothing of menus.

``atomic`` writes files and folders so that a reader never sees half of one;
``progress`` draws a progress bar on a terminal; ``text`` writes counts and
escapes control characters; ``table`` lays out terminal tables by display
width.
"""
