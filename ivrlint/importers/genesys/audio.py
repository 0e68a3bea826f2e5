"""What a menu, an action or the greeting says: the words of an Archy audio value.

Archy writes audio as

* ``tts: For sales, press 1.`` (text to speech);
* ``exp: AudioPlaybackOptions(ToAudioTTS("For sales, press 1."), true)``, or
  any expression made of ``ToAudioTTS("...")`` pieces (``Append(...)``,
  ``ToAudioBlank(500)`` for a pause): their words, joined;
* ``prompt: Prompt.MainMenu`` or an expression with ``ToAudio(Prompt...)``,
  ``ToAudioNumber(...)``: a recording or words chosen while the call runs,
  whose text is not in the file.

Only text the file holds in full becomes a prompt. Audio with a recording in
it, or words computed while the call runs, leaves the prompt empty and
names what plays in the node's label (``plays Prompt.MainMenu``), so that
the wording rules skip it instead of judging half a sentence.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from yaml.nodes import MappingNode, Node, ScalarNode

from ivrlint.importers.genesys.values import Reader, is_empty, text

#: One text-to-speech piece of an expression, with Archy's string escapes.
_TTS = re.compile(r'ToAudioTTS\w*\(\s*"((?:[^"\\]|\\.)*)"\s*\)')
#: A pause: silence, no words.
_BLANK = re.compile(r"ToAudioBlank\(\s*\d*\s*\)")
#: Functions that only wrap or join audio pieces.
_WRAPPERS = re.compile(r"\b(?:AudioPlaybackOptions|Append|MakeList|true|false)\b")
_LEFT = re.compile(r"[A-Za-z_][\w.]*")
_ESCAPE = re.compile(r"\\(.)")
#: A value that is only a template placeholder ({{greeting}}), filled in before the flow is published.
_PLACEHOLDER = re.compile(r"^\{\{[^{}]*\}\}$")


@dataclass(frozen=True)
class Audio:
    """What an audio value plays: its words (when the file holds them all), else what it is."""

    words: str | None  # the text callers hear; None when the file does not hold it all
    label: str | None  # what plays, when the words are not known ("plays Prompt.Welcome")
    placeholder: bool = False  # a template placeholder ({{name}}) instead of audio

    @property
    def silent(self) -> bool:
        return self.words is None and self.label is None


NOTHING = Audio(None, None)


def audio(reader: Reader, node: Node | None) -> Audio:
    """What the audio value `node` plays."""
    if node is None or is_empty(node):
        return NOTHING
    if isinstance(node, ScalarNode):  # a bare string: Archy's shorthand for text to speech
        return _words(text(node))
    fields = reader.fields(node, "the audio")
    if "tts" in fields:
        return _tts(fields["tts"][1])
    if "exp" in fields:
        return expression(text(fields["exp"][1]))
    if "prompt" in fields:
        name = text(fields["prompt"][1])
        return Audio(None, f"plays {name}" if name else "plays a recorded prompt")
    if "noValue" in fields:
        return NOTHING
    return Audio(None, "plays audio the importer does not read")


def _tts(node: Node) -> Audio:
    if isinstance(node, MappingNode):  # an unquoted {{placeholder}} reads as a YAML mapping
        return Audio(None, "a template placeholder", placeholder=True)
    return _words(text(node))


def _words(said: str) -> Audio:
    if not said:
        return NOTHING
    if _PLACEHOLDER.match(said):
        return Audio(None, f"a template placeholder {said}", placeholder=True)
    return Audio(said, None)


def expression(written: str) -> Audio:
    """The words of an audio expression, when it is made of text-to-speech pieces only."""
    if not written:
        return NOTHING
    pieces = [_ESCAPE.sub(r"\1", found) for found in _TTS.findall(written)]
    rest = _WRAPPERS.sub(" ", _BLANK.sub(" ", _TTS.sub(" ", written)))
    if _LEFT.search(rest):  # a recording, a number read out, a variable: not all words are in the file
        shown = written if len(written) <= 60 else written[:57] + "..."
        return Audio(None, f"plays {shown}")
    return _words(" ".join(" ".join(piece.split()) for piece in pieces if piece.strip()))
