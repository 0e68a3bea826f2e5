"""Prompt-wording rules (U211-U216): each fires on prompts that mislead callers, in
English, Lithuanian, Latvian, Russian, Arabic and Hungarian, and stays silent on
prompts that say what the menu does."""

from __future__ import annotations

import pytest
from conftest import findings

from ivrlint.lint.config import load_config
from ivrlint.lint.rules import all_rules
from ivrlint.lint.run import lint_document
from ivrlint.lint.settings import Settings
from ivrlint.menu.loader import read_menu

PROMPT_RULES = [r for r in all_rules() if "U211" <= r.code <= "U216"]

MENU = """
ivr: t
start: main
language: {language}
nodes:
  main:
    type: menu
    prompt: {prompt}
    options: {options}
    on_failure: agent
  hours: {{type: message, prompt: Open from nine to five., next: main}}
  sub:
    type: menu
    prompt: For cards, press 1. For an agent, press 0.
    options: {{1: agent, 0: agent}}
    on_failure: agent
  closed: {{type: message, prompt: We are closed., next: bye}}
  hold: {{type: message, prompt: Please hold., next: agent}}
  entry: {{type: input, digits: 8, next: agent, on_failure: agent}}
  task: {{type: self_service, duration: 30, success: 0.5, next: bye, on_failure: agent}}
  vm: {{type: voicemail, next: bye}}
  agent: {{type: queue, queue: q}}
  bye: {{type: hangup}}
queues:
  q: {{agents: 2, handle_time: 60}}
"""


def menu_with(prompt, options="{1: hours, 0: agent}", language="en"):
    """A small line whose menu 'main' says `prompt` (a YAML scalar or flow mapping)."""
    return MENU.format(prompt=prompt, options=options, language=language)


def found(text, rule, **options):
    settings = Settings(options={rule: options}) if options else None
    return findings(text, rule, settings)


# -- unannounced-option (U211) -------------------------------------------------


def test_unannounced_key_in_one_language_names_that_language():
    text = menu_with("{en: 'For hours, press 1. For an agent, press 0.', ar: 'لمواعيد العمل اضغط ١.'}")
    [f] = found(text, "unannounced-option")
    assert "key 0" in f.message and "its ar prompt" in f.message and (f.line, f.column) == (9, 25)


@pytest.mark.parametrize("prompt, language", [
    ("'A nyitvatartásért nyomja meg az 1-es gombot. Ügyintézőnkkel való beszélgetéshez nyomja meg a nullás gombot.'", "hu"),
    ("'Чтобы узнать часы работы, нажмите единицу. Чтобы поговорить с оператором, нажмите ноль.'", "ru"),
    ("'Lai uzzinātu darba laiku, spiediet 1. Lai runātu ar konsultantu, spiediet 0.'", "lv"),
])
def test_keys_said_as_digits_or_number_words_count_as_announced(prompt, language):
    assert found(menu_with(prompt, language=language), "unannounced-option") == []


def test_a_language_choice_menu_needs_each_key_in_one_language_only():
    prompt = "{lt: 'Lietuviškai spauskite 1.', lv: 'Latviski spiediet 2.', ru: 'Для обслуживания на русском языке нажмите 3.'}"
    assert found(menu_with(prompt, "{1: sub, 2: sub, 3: sub}"), "unannounced-option") == []


def test_hidden_keys_can_be_ignored_by_option():
    text = menu_with("'For hours, press 1.'", "{1: hours, 0: agent}")
    assert [f.message.split()[1] for f in found(text, "unannounced-option")] == ["0"]
    assert found(text, "unannounced-option", ignore_keys=["0"]) == []


def test_menu_without_written_prompt_is_not_checked():
    text = menu_with("''")
    assert found(text, "unannounced-option") == []


# -- phantom-option (U212) -----------------------------------------------------


@pytest.mark.parametrize("prompt, language, key", [
    ("'For hours, press 1. To go back, press star. For an agent, press 0.'", "en", "*"),
    ("'Darbo laikas - spauskite 1. Norėdami kalbėti su konsultantu, spauskite 0. Norėdami grįžti, spauskite žvaigždutę.'", "lt", "*"),
    ("'Lai uzzinātu darba laiku, spiediet 1. Lai runātu ar konsultantu, spiediet 0. Lai pabeigtu, spiediet restīti.'", "lv", "#"),
    ("'Чтобы узнать часы работы, нажмите 1. Чтобы узнать адрес, нажмите 2. Оператор - нажмите 0.'", "ru", "2"),
    ("'لمواعيد العمل اضغط ١. للعنوان اضغط ٣. للتحدث مع موظف اضغط ٠.'", "ar", "3"),
    ("'A nyitvatartásért nyomja meg az 1-es gombot. A címért a 2-es gombot nyomja meg. Ügyintéző: 0.'", "hu", "2"),
    ("'Press 1 for hours, 2 for our address, or 0 for an agent.'", "en", "2"),
])
def test_phantom_key_is_found_in_each_language(prompt, language, key):
    [f] = found(menu_with(prompt, language=language), "phantom-option")
    assert f"no option {key}" in f.message


@pytest.mark.parametrize("prompt", [
    "'We are open 9 to 5, 24 hours online. For hours, press 1. For an agent, press 0.'",
    "'Call 1-800-555-0199 from 8:30. On the 1st of May we are closed. For hours, press 1. For an agent, press 0.'",
    "'To pay, press 1, then enter your account number followed by the pound key. For an agent, press 0.'",
    "'To pay, press 1, then enter your 8 digit number and press the hash key. For an agent, press 0.'",
])
def test_numbers_in_passing_and_end_of_entry_are_no_phantoms(prompt):
    assert found(menu_with(prompt), "phantom-option") == []


def test_prompts_of_input_nodes_may_ask_for_the_end_key():
    text = menu_with("'For hours, press 1. For an agent, press 0.'").replace(
        "entry: {type: input,", "entry: {type: input, prompt: 'Įveskite kodą ir paspauskite groteles.',")
    assert found(text, "phantom-option") == []


def test_phantom_points_at_the_language_that_says_it():
    prompt = "\n      en: For hours, press 1. For an agent, press 0.\n      ru: Часы работы - нажмите 1. Адрес - нажмите 2."
    [f] = found(menu_with(prompt), "phantom-option")
    assert "the ru prompt" in f.message and "\"нажмите 2\"" in f.message and f.line == 10


# -- misleading-human-option (U213) -------------------------------------------


@pytest.mark.parametrize("prompt, language, target, instead", [
    ("'For hours, press 1. To speak with an operator, press 0.'", "en", "{action: repeat}", "repeats the menu"),
    ("'Darbo laikas - spauskite 1. Norėdami kalbėti su konsultantu, spauskite 0.'", "lt", "closed", "hang-up ('bye')"),
    ("'Lai uzzinātu darba laiku, spiediet 1. Lai runātu ar konsultantu, spiediet 0.'", "lv", "{action: back}", "goes back"),
    ("'Часы работы - нажмите 1. Чтобы поговорить с оператором, нажмите 0.'", "ru", "sub", "menu 'sub'"),
    ("'لمواعيد العمل اضغط ١. للتحدث مع أحد ممثلي خدمة العملاء، اضغط ٠.'", "ar", "vm", "voicemail 'vm'"),
    ("'A nyitvatartásért nyomja meg az 1-es gombot. Ügyintézőnkkel való beszélgetéshez nyomja meg a 0-s gombot.'",
     "hu", "task", "self_service 'task'"),
])
def test_person_offer_that_reaches_no_person_is_reported(prompt, language, target, instead):
    [f] = found(menu_with(prompt, f"{{1: hours, 0: {target}}}", language), "misleading-human-option")
    assert f.message.startswith("option 0 of menu 'main' is offered as a person") and instead in f.message


def test_person_offer_after_a_greeting_in_the_same_sentence_is_read():
    text = menu_with("'Thank you for calling, if you are new here, to speak with an operator, press 0.'", "{0: sub}")
    [f] = found(text, "misleading-human-option")
    assert "(\"to speak with an operator\")" in f.message


def test_person_offer_in_a_label_is_reported():
    text = menu_with("'For hours, press 1. For more, press 2.'", "{1: hours, 2: {goto: sub, label: Konsultantas}}")
    [f] = found(text, "misleading-human-option")
    assert "(\"Konsultantas\")" in f.message


@pytest.mark.parametrize("target", ["agent", "hold", "entry"])
def test_person_reached_directly_or_through_hold_and_account_steps_is_fine(target):
    text = menu_with("'For hours, press 1. To speak with an operator, press 0.'", f"{{1: hours, 0: {target}}}")
    assert found(text, "misleading-human-option") == []


def test_person_words_belong_to_their_own_key_in_a_list():
    text = menu_with("'Press 1 for hours, or 0 to speak to an agent.'", "{1: sub, 0: agent}")
    assert found(text, "misleading-human-option") == []
    text = menu_with("'Press 1 for hours and to speak to an agent press 0.'", "{1: sub, 0: agent}")
    assert found(text, "misleading-human-option") == []


@pytest.mark.parametrize("prompt, options", [
    ("'If someone has used your card without asking, press 1. For an agent, press 0.'", "{1: sub, 0: agent}"),
    ("'If you are an insurance agent or a broker, press 1. For an agent, press 0.'", "{1: sub, 0: agent}"),
    ("'Jei esate draudimo atstovas, spauskite 1. Norėdami kalbėti su konsultantu, spauskite 0.'", "{1: sub, 0: agent}"),
    ("'Press 1 for hours, or hold for an agent.'", "{1: hours, 0: agent}"),
    ("'To leave a message for an adviser, press 1. For an agent, press 0.'", "{1: vm, 0: agent}"),
    ("'Для оплаты лично в офисе нажмите 1. Оператор - нажмите 0.'", "{1: hours, 0: agent}"),
])
def test_no_person_offer_or_a_callback_offer_stays_silent(prompt, options):
    assert found(menu_with(prompt, options), "misleading-human-option") == []


# -- key-before-action (U214) -------------------------------------------------


@pytest.mark.parametrize("prompt, language", [
    ("'Press 1 for hours, press 2 for the address, press 0 for an agent.'", "en"),
    ("'Нажмите 1, чтобы узнать часы работы. Нажмите 2, чтобы узнать адрес. Нажмите 0 для связи с оператором.'", "ru"),
    ("'اضغط ١ لمواعيد العمل. اضغط ٢ للعنوان. اضغط ٠ للتحدث مع موظف.'", "ar"),
    ("'Nyomja meg az 1-es gombot a nyitvatartásért. Nyomja meg a 2-es gombot a címért. Nyomja meg a 0-s gombot az ügyintézőért.'", "hu"),
])
def test_key_said_before_its_action_is_reported(prompt, language):
    [f] = found(menu_with(prompt, "{1: hours, 2: hours, 0: agent}", language), "key-before-action")
    assert f.severity == "info" and "says the key before the action" in f.message


@pytest.mark.parametrize("prompt, language", [
    ("'Darbo laikui spauskite 1. Adresui spauskite 2. Norėdami kalbėti su konsultantu, spauskite 0.'", "lt"),
    ("'Lai uzzinātu darba laiku, spiediet 1. Adresei spiediet 2. Lai runātu ar konsultantu, spiediet 0.'", "lv"),
    ("'A nyitvatartásért az 1-es gombot nyomja meg. A címért a 2-es gombot nyomja meg. Ügyintézőért nyomja meg a 0-t.'", "hu"),
    ("'For hours, press 1. For the address, press 2. To speak with an agent, press 0.'", "en"),
])
def test_action_first_prompts_are_fine(prompt, language):
    assert found(menu_with(prompt, "{1: hours, 2: hours, 0: agent}", language), "key-before-action") == []


def test_two_option_menus_may_say_the_key_first():
    text = menu_with("'Press 1 to hear the hours again, or 0 for an agent.'")
    assert found(text, "key-before-action") == []
    assert len(found(text, "key-before-action", min_options=2)) == 1


# -- long-prompt (U215) --------------------------------------------------------

LONG_LV = ("'Lai uzzinātu mūsu darba laiku un svētku dienu grafiku, spiediet 1. Lai pieteiktu jaunu pieslēgumu vai "
           "mainītu esošo līgumu, spiediet 2. Lai ziņotu par traucējumiem jūsu mājā, kāpņu telpā vai ielā, spiediet 3. Lai "
           "uzzinātu par rēķiniem un maksājumiem, spiediet 4. Lai runātu ar konsultantu, spiediet 0.'")


def test_menu_prompt_over_twenty_seconds_is_reported_with_its_estimate():
    text = menu_with(LONG_LV, "{1: hours, 2: hours, 3: hours, 4: hours, 0: agent}", "lv")
    [f] = found(text, "long-prompt")
    assert "the lv prompt of menu 'main' lasts about" in f.message and "words at 160 words a minute" in f.message
    assert found(text, "long-prompt", menu_seconds=40) == []


def test_thresholds_and_ignored_keys_are_read_from_a_configuration_file(write):
    config = write("setup.cfg", "[ivrlint:long-prompt]\nmenu_seconds = 40\n\n"
                                "[ivrlint:unannounced-option]\nignore-keys = *, 9\n")
    settings, _ = load_config(str(config))
    text = menu_with(LONG_LV, "{1: hours, 2: hours, 3: hours, 4: hours, 0: agent, 9: {action: repeat}}", "lv")
    assert findings(text, "long-prompt", settings) == [] and findings(text, "unannounced-option", settings) == []
    assert len(findings(text, "unannounced-option")) == 1


def test_measured_prompt_seconds_override_the_estimate():
    text = menu_with("'For hours, press 1. For an agent, press 0.'").replace("    on_failure: agent\n  hours",
                                                                            "    prompt_seconds: 25\n    on_failure: agent\n  hours", 1)
    [f] = found(text, "long-prompt")
    assert "(prompt_seconds: 25)" in f.message


def test_a_measured_start_menu_without_text_is_timed_as_a_menu_only():
    text = menu_with("''").replace("    on_failure: agent\n  hours", "    prompt_seconds: 15\n    on_failure: agent\n  hours", 1)
    assert found(text, "long-prompt") == []
    [f] = found(text.replace("prompt_seconds: 15", "prompt_seconds: 21"), "long-prompt")
    assert "the prompt of menu 'main' lasts about 21 s (prompt_seconds: 21)" in f.message


def test_greeting_before_the_first_option_of_a_start_menu_is_measured():
    greeting = ("Thank you for calling the Riverside Water Company, proudly serving the valley since 1921, where "
                "every drop counts. Calls may be recorded for quality.")
    text = menu_with(f"'{greeting} For hours, press 1. For an agent, press 0.'")
    [f] = found(text, "long-prompt")
    assert f.message.startswith("the greeting (the en prompt of menu 'main')")
    assert found(menu_with("'Thank you for calling. For hours, press 1. For an agent, press 0.'"), "long-prompt") == []


def test_greeting_is_found_past_a_silent_business_hours_branch():
    welcome = ("Добро пожаловать в городскую справочную службу. Звонки записываются для контроля качества "
               "обслуживания. Пожалуйста, внимательно прослушайте всё меню, так как оно изменилось.")
    nodes = f"  open: {{type: branch, branches: [{{goto: hello}}]}}\n  hello: {{type: message, prompt: {{ru: '{welcome}'}}, next: main}}\n"
    text = menu_with("'For hours, press 1. For an agent, press 0.'").replace("start: main", "start: open")
    [f] = found(text.replace("queues:", nodes + "queues:"), "long-prompt")
    assert f.message.startswith("the greeting (the ru prompt of message 'hello')")


def test_a_language_choice_menu_is_measured_as_all_its_languages_in_turn():
    each = "For hours, press {k}. For the address, press {k}. To speak with an adviser, press {k}. To hear this again, press {k}."
    prompt = "{" + ", ".join(f"{tag}: '{name} {each.format(k=k)}'" for k, (tag, name) in
                             enumerate([("en", "English"), ("lt", "Lietuviškai"), ("lv", "Latviski")], 1)) + "}"
    text = menu_with(prompt, "{1: sub, 2: sub, 3: sub}")
    [f] = found(text, "long-prompt")
    assert f.message.startswith("the prompt of menu 'main'")


# -- missing-language-choice (U216) ---------------------------------------------


def test_prompts_in_two_languages_need_a_choice_first():
    prompt = "{lt: 'Darbo laikas - spauskite 1. Konsultantas - spauskite 0.', ru: 'Часы работы - нажмите 1. Оператор - нажмите 0.'}"
    [f] = found(menu_with(prompt, language="lt"), "missing-language-choice")
    assert "prompts are written in lt, ru" in f.message and (f.line, f.column) == (3, 8)


def test_traffic_languages_alone_ask_for_a_choice():
    text = menu_with("'For hours, press 1. For an agent, press 0.'") + (
        "traffic:\n  calls_per_hour: 10\n  patience: 60\n  languages: {en: 0.7, ar: 0.3}\n"
        "  intents: {x: {share: 1, goal: agent}}\n")
    [f] = found(text, "missing-language-choice")
    assert "traffic.languages has callers of en, ar" in f.message


def test_a_choice_found_by_labels_by_keys_or_by_where_options_lead():
    mains = ("  main_en: {type: menu, prompt: {en: 'For an agent, press 0.'}, options: {0: agent}}\n"
             "  main_ar: {type: menu, prompt: {ar: 'للتحدث مع موظف اضغط ٠.'}, options: {0: agent}}\n")
    by_target = menu_with("'1 or 2.'", "{1: main_en, 2: main_ar}").replace("queues:", mains + "queues:")
    by_label = menu_with("{en: 'Press 1 or 2.', ar: 'اضغط 1 أو 2'}", "{1: {goto: sub, label: English}, 2: {goto: sub, label: العربية}}")
    by_keys = menu_with("{hu: 'Magyar nyelvhez nyomja meg az 1-est.', en: 'Then press 2.'}", "{1: sub, 2: sub}")
    for text in (by_target, by_label, by_keys):
        assert found(text, "missing-language-choice") == []


def test_a_choice_after_the_first_menu_is_too_late():
    prompt = "{en: 'For English, press 1.', ru: 'Для обслуживания на русском языке нажмите 2.'}"
    text = menu_with("'For hours, press 1. For another language, press 2.'", "{1: hours, 2: choose}").replace(
        "queues:", f"  choose: {{type: menu, prompt: {prompt}, options: {{1: sub, 2: sub}}}}\nqueues:")
    [f] = found(text, "missing-language-choice")
    assert "menu 'choose' does, but only after it" in f.message


def test_regional_variants_of_one_language_need_no_choice():
    text = menu_with("{en-GB: 'For hours, press 1. For an agent, press 0.', en-US: 'For hours, press 1. For an agent, press 0.'}")
    assert found(text, "missing-language-choice") == []


# -- bundled menus --------------------------------------------------------------

# file, rule, line, column of the finding each bad menu exists to show
EXPECTED_BAD = {
    "unannounced-option.yaml": ("unannounced-option", 24, 7),
    "phantom-option.yaml": ("phantom-option", 19, 11),
    "misleading-human-option.yaml": ("misleading-human-option", 15, 7),
    "key-before-action.yaml": ("key-before-action", 8, 13),
    "long-prompt.yaml": ("long-prompt", 9, 13),
    "missing-language-choice.yaml": ("missing-language-choice", 5, 8),
}


def test_every_prompt_rule_has_a_bad_menu():
    assert {rule for rule, _, _ in EXPECTED_BAD.values()} == {r.slug for r in PROMPT_RULES}


@pytest.mark.parametrize("name", sorted(EXPECTED_BAD))
def test_bad_menu_shows_its_prompt_rule_at_the_right_place(name):
    rule, line, column = EXPECTED_BAD[name]
    shown = [(f.rule, f.line, f.column) for f in lint_document(read_menu(f"menus/bad/{name}")) if f.code.startswith("U21")]
    assert shown == [(rule, line, column)]
