"""What a Studio widget says, and in which language.

``say-play`` and ``gather-input-on-call`` speak their ``say`` text, play a
recording (``play``, a URL) or, for say-play, tones (``digits``). Text is
kept as written, Liquid ``{{...}}`` and all; a text that is nothing but
one Liquid expression is filled in while the call runs, so the node's
label names it and its prompt stays empty (the wording rules skip it). A
recording has no text ivrlint can read: the label names its file.

The language is the widget's ``language`` (``en-US`` -> ``en``), else the
one of its ``voice`` (Amazon Polly's ``Polly.Tatyana`` -> ``ru``, Google's
``Google.de-DE-Standard-A`` -> ``de``), else the
flow's; the flow's is that of its first speaking widget, else English.
"""

from __future__ import annotations

import re

from ivrlint.importers.connect.prompts import VOICE_LANGUAGES, language_tag
from ivrlint.importers.twilio.flows import Flow, Widget

_LIQUID_ONLY = re.compile(r"^\{\{[^{}]*\}\}$")
_VOICES = {voice: tag for tag, voices in VOICE_LANGUAGES.items() for voice in voices}
#: Widgets that speak to the caller.
SPEAKING = ("say-play", "gather-input-on-call")


def widget_language(widget: Widget) -> str | None:
    """The language the widget's own properties name, if any."""
    code = widget.prop("language")
    if isinstance(code, str) and language_tag(code):
        return language_tag(code)
    voice = widget.prop("voice")
    if not isinstance(voice, str):
        return None
    vendor, _, name = voice.strip().lower().rpartition(".")
    if vendor == "google":  # "Google.en-US-Standard-C": the voice names its locale
        return language_tag("-".join(name.split("-")[:2]))
    return _VOICES.get(name.split("-")[0])  # "Polly.Joanna-Neural" -> "joanna" -> "en"


def flow_language(flow: Flow) -> str:
    for widget in flow.widgets.values():
        if widget.type in SPEAKING and widget_language(widget):
            return widget_language(widget) or "en"
    return "en"


def widget_prompt(widget: Widget, language: str) -> tuple[dict[str, str], str | None, str | None]:
    """(prompt by language, label, the property it came from) of a widget that speaks; the property is None when it says nothing."""
    say = widget.prop("say")
    if isinstance(say, str) and say.strip():
        text = " ".join(say.split())
        if _LIQUID_ONLY.match(text):
            return {}, f"prompt from {text}", "say"
        return {widget_language(widget) or language: text}, None, "say"
    play = widget.prop("play")
    if isinstance(play, str) and play.strip():
        return {}, f"recording: {play.strip().split('?')[0].rstrip('/').rsplit('/', 1)[-1]}", "play"
    digits = widget.prop("digits")
    if isinstance(digits, str) and digits.strip():
        return {}, f"plays the tones {digits.strip()}", "digits"
    return {}, None, None
