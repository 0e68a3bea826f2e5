"""What a Connect block says, and in which language.

A block's prompt is plain ``Text``, ``SSML``, a recorded prompt from the
instance's library (``PromptId``, an ARN) or an audio file (``Media``, an S3
URI). Text is kept as written, in any script; SSML loses its tags and keeps
its words, and its ``xml:lang`` names the language. A recording has no text
ivrlint can read: its prompt stays empty and the node's label names it
(``recording: welcome.wav``), so that the wording rules skip it rather than
judge a file name.

Languages are stored as their primary subtag (``lt-LT`` -> ``lt``), as the
menus written by hand do.
"""

from __future__ import annotations

import html
import re

from ivrlint.importers.connect.flows import Action, arn_id, display_name

_TAG = re.compile(r"<[^>]*>")
_LANG = re.compile(r"""xml:lang\s*=\s*["']([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*["']""")
_SPACES = re.compile(r"\s+")
#: A text that is only a reference to an attribute, filled in at run time.
_DYNAMIC = re.compile(r"^\$\.[\w.\[\]'\"-]+$")

#: Amazon Polly voices -> language (the voices a flow names in
#: UpdateContactTextToSpeechVoice; the ones a European contact centre meets).
VOICE_LANGUAGES = {
    "en": ("joanna", "matthew", "salli", "kendra", "kimberly", "ivy", "justin", "joey", "kevin", "ruth",
           "stephen", "danielle", "gregory", "amy", "emma", "brian", "arthur", "olivia", "aria", "ayanda",
           "raveena", "aditi", "geraint", "nicole", "russell", "niamh"),
    "ru": ("tatyana", "maxim"),
    "de": ("marlene", "vicki", "hans", "daniel", "hannah"),
    "fr": ("celine", "céline", "lea", "léa", "mathieu", "remi", "rémi", "chantal", "gabrielle", "liam"),
    "es": ("conchita", "lucia", "lucía", "enrique", "sergio", "mia", "andres", "lupe", "penelope", "miguel", "pedro"),
    "it": ("carla", "bianca", "giorgio", "adriano"),
    "pl": ("ewa", "maja", "jan", "jacek", "ola"),
    "nl": ("lotte", "ruben", "laura"),
    "ar": ("zeina", "hala", "zayd"),
    "da": ("naja", "mads", "sofie"),
    "nb": ("liv", "ida"),
    "sv": ("astrid", "elin"),
    "fi": ("suvi",),
    "pt": ("camila", "vitoria", "vitória", "ricardo", "ines", "inês", "cristiano", "thiago"),
    "tr": ("filiz", "burcu"),
    "ro": ("carmen",),
    "is": ("dora", "dóra", "karl"),
    "cy": ("gwyneth",),
    "ja": ("mizuki", "takumi", "kazuha", "tomoko"),
    "ko": ("seoyeon",),
    "zh": ("zhiyu", "hiujin"),
    "hi": ("kajal",),
}
_VOICE_TO_LANGUAGE = {voice: tag for tag, voices in VOICE_LANGUAGES.items() for voice in voices}


def language_tag(code: str) -> str | None:
    """The primary subtag of a language code (``lt-LT`` -> ``lt``), or None."""
    match = re.match(r"^([A-Za-z]{2,3})(?:[-_][A-Za-z0-9]+)*$", code.strip())
    return match.group(1).lower() if match else None


def voice_language(action: Action) -> str | None:
    """The language an UpdateContactTextToSpeechVoice (or UpdateContactData) block sets."""
    for key in ("LanguageCode", "TextToSpeechLanguage"):
        value = action.params.get(key)
        if isinstance(value, str) and language_tag(value):
            return language_tag(value)
    voice = action.params.get("TextToSpeechVoice")
    return _VOICE_TO_LANGUAGE.get(voice.strip().lower()) if isinstance(voice, str) else None


def ssml_text(ssml: str) -> tuple[str, str | None]:
    """The words of an SSML prompt, and the language its first xml:lang names."""
    match = _LANG.search(ssml)
    text = html.unescape(_TAG.sub(" ", ssml))
    return _SPACES.sub(" ", text).strip(), match.group(1).lower() if match else None


def block_prompt(action: Action, language: str) -> tuple[dict[str, str], str | None, str | None]:
    """(prompt by language, label, the parameter it came from) for a block that plays something.

    The parameter is None when the block names nothing to play.
    """
    params = action.params
    if isinstance(params.get("SSML"), str):
        text, tag = ssml_text(params["SSML"])
        return _text_prompt(text, tag or language, "SSML")
    if isinstance(params.get("Text"), str):
        return _text_prompt(" ".join(params["Text"].split()), language, "Text")
    if isinstance(params.get("PromptId"), str) and params["PromptId"].strip():
        name = display_name(action, "PromptId") or arn_id(params["PromptId"])
        return {}, f"recording: {name}", "PromptId"
    media = params.get("Media")
    if isinstance(media, dict) and isinstance(media.get("Uri"), str) and media["Uri"].strip():
        return {}, f"recording: {media['Uri'].strip().rstrip('/').rsplit('/', 1)[-1]}", "Media"
    return {}, None, None


def _text_prompt(text: str, language: str, param: str) -> tuple[dict[str, str], str | None, str]:
    if _DYNAMIC.match(text):
        return {}, f"prompt from {text}", param
    return ({language: text} if text else {}), None, param
