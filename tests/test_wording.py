"""Reading prompts in any language: words, key announcements, what each option is for."""

from __future__ import annotations

import pytest

from ivrlint.language import lexicon
from ivrlint.language.prompts import key_mentions, speaking_seconds
from ivrlint.language.tokens import tokens
from ivrlint.language.wording import languages_named, offers_person, read_prompt


def announced(text, language="en", keys=()):
    return [a.key for a in read_prompt(text, language, keys).announcements]


def test_arabic_with_tashkeel_is_one_word_and_matches_without_it():
    [press, digit] = tokens("اضْغَطْ ١")
    assert press in lexicon.PRESS_VERBS and digit.digit == "1"


def test_arabic_article_and_clitics_come_off():
    assert "للتحدث" in lexicon.TALK_WORDS  # ل + ال + تحدث
    assert "بالنجمة" in lexicon.SPOKEN_KEYS["*"]  # ب + ال + نجمة


def test_decomposed_lithuanian_reads_like_composed():
    assert "z\u030cvaigz\u030cdute\u0328" in lexicon.SPOKEN_KEYS["*"]  # žvaigždutę in NFD
    assert speaking_seconds("Spauskite z\u030cvaigz\u030cdute\u0328.") == speaking_seconds("Spauskite žvaigždutę.")


@pytest.mark.parametrize("text, language, keys", [
    ("For billing, press 1. To speak with an agent, press 0.", "en", ["1", "0"]),
    ("Dėl sąskaitų spauskite 2. Norėdami grįžti, spauskite žvaigždutę.", "lt", ["2", "*"]),
    ("Lai runātu ar konsultantu, spiediet 0. Lai atgrieztos, spiediet zvaigznīti.", "lv", ["0", "*"]),
    ("Чтобы поговорить с оператором, нажмите ноль. Для оплаты нажмите на клавишу 1.", "ru", ["0", "1"]),
    ("للفواتير اضغط ٢. للعودة إلى القائمة السابقة، اضغط على النجمة.", "ar", ["2", "*"]),
    ("A számlázáshoz nyomja meg az 1-es gombot. A visszalépéshez az csillag gombot nyomja meg.", "hu", ["1", "*"]),
    ("Press 1 for billing, 2 for support, or 0 for an operator.", "en", ["1", "2", "0"]),
])
def test_keys_asked_for_are_announced_in_each_language(text, language, keys):
    assert announced(text, language) == keys


@pytest.mark.parametrize("text", [
    "We are open 9 to 5, Monday to Friday.",
    "Call us on 1-800-555-0199, 24/7, or from 9:30.",
    "Our offices close on the 1st of May.",
    "Please enter your 8 digit account number.",
    "Please press one of the following keys.",
])
def test_numbers_in_passing_announce_nothing(text):
    assert announced(text) == []


def test_a_press_verb_belongs_to_the_key_after_it():
    assert announced("To report a fault on line 2, press 3.") == ["3"]
    assert announced("A számlázáshoz az 1-es gombot nyomja meg.", "hu") == ["1"]


def test_hash_after_an_entry_is_marked_as_ending_the_entry():
    reading = read_prompt("To submit a reading, press 3, then enter it and press the hash key.")
    [three, hash_key] = reading.announcements
    assert (three.key, three.while_entering) == ("3", False)
    assert (hash_key.key, hash_key.while_entering) == ("#", True)


def test_each_key_gets_the_words_of_its_own_option():
    reading = read_prompt("Press 1 for billing and to speak to an agent press 0.")
    assert [(a.key, a.description, a.key_first) for a in reading.announcements] == [
        ("1", "for billing", True), ("0", "to speak to an agent", False)]


def test_words_after_an_action_first_key_belong_to_no_key():
    reading = read_prompt("For billing, press 1, or stay on the line for an agent.")
    assert [(a.key, a.description) for a in reading.announcements] == [("1", "For billing")]


def test_press_verb_of_an_unknown_language_is_learned_from_the_menus_keys():
    text = "Laskutusasioissa paina 1. Tekninen tuki, paina 2. Avoinna 9 - 17."
    assert announced(text, "fi", keys={"1", "2"}) == ["1", "2"]
    assert announced(text, "fi", keys=set()) == []


@pytest.mark.parametrize("text", [
    "to speak with an operator", "norėdami kalbėti su konsultantu", "lai runātu ar konsultantu",
    "чтобы поговорить с оператором", "للتحدث مع أحد ممثلي خدمة العملاء", "ügyintézőnkkel való beszélgetéshez",
    "um mit einem Kundenberater zu sprechen", "pour parler à un conseiller", "para hablar con un asesor",
    "aby porozmawiać z konsultantem", "to talk to someone",
])
def test_person_offers_in_many_languages(text):
    assert offers_person(text)


@pytest.mark.parametrize("text", ["if someone has used your card", "to pay in person", "for billing", "to hear these options again"])
def test_someone_without_talking_is_not_a_person_offer(text):
    assert not offers_person(text)


def test_language_names_in_their_own_and_other_languages():
    assert languages_named("Lietuviškai. Latviski. На русском языке. For English. بالعربية. Magyarul.") == {
        "lt", "lv", "ru", "en", "ar", "hu"}


def test_key_mentions_skip_phone_numbers_but_keep_spoken_keys():
    assert [k for k, _, _ in key_mentions("Call 1-800-555-0199. Press one, or press star.")] == ["1", "*"]
