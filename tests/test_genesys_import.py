"""Genesys Cloud Archy YAML: each construct's mapping, with its place in the flow file."""

from __future__ import annotations

import json
import textwrap

import pytest
from conftest import ROOT, menu_shape, run_cli

from ivrlint.importers import detect, load_any, read_any
from ivrlint.importers.genesys import sniff
from ivrlint.importers.yaml_out import menu_to_yaml
from ivrlint.lint.run import lint_document
from ivrlint.menu.loader import load_text

GOOD = ROOT / "menus" / "platforms" / "genesys" / "Acme Support.yaml"
BAD = ROOT / "menus" / "bad" / "platforms" / "genesys" / "Helpdesk.yaml"


def flow(write, body: str, name: str = "line/flow.yaml"):
    """An Archy flow file (dedented) in a folder of its own."""
    return write(name, textwrap.dedent(body).lstrip("\n"))


def menu_flow(write, choices: str, menu: str = "", top: str = "", name: str = "line/flow.yaml", menus: str = ""):
    """A flow starting at menu 'Main Menu' (refId main) with these choices; `top` is more of the flow's
    settings, `menu` more of the menu's, `menus` more menus after it (each block written unindented)."""
    def block(text: str, indent: int) -> str:
        text = textwrap.dedent(text).strip("\n")
        return textwrap.indent(text, " " * indent) + "\n" if text else ""
    head = ("inboundCall:\n  name: Test Line\n  defaultLanguage: en-us\n  startUpRef: /inboundCall/menus/menu[main]\n"
            + block(top, 2) + "  menus:\n    - menu:\n        name: Main Menu\n        refId: main\n        audio:\n"
            "          tts: For sales, press 1. For an agent, press 0.\n" + block(menu, 8) + "        choices:\n")
    return write(name, head + block(choices, 10) + block(menus, 4))


def line_of(path, text: str, nth: int = 0) -> int:
    """The line number of the `nth` line of the file at `path` that holds `text`."""
    return [n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1) if text in line][nth]


def found(document, rule):
    return [(f.line, f.column, f.message) for f in lint_document(document) if f.rule == rule]


SALES_AND_AGENT = """
- menuTransferToAcd:
    name: Sales
    dtmf: digit_1
    targetQueue:
      lit:
        name: Sales
- menuTransferToAcd:
    name: Agent
    refId: agent
    dtmf: digit_0
    targetQueue:
      lit:
        name: Support
"""


# -- recognised from the content, never by the name ------------------------------------

def test_an_archy_flow_is_recognised_by_its_first_key_and_a_yaml_menu_is_not(write):
    archy = menu_flow(write, SALES_AND_AGENT)
    menu = write("menus/shop.yaml", "ivr: shop\nstart: main\nnodes:\n  main: {type: hangup}\n")
    assert (detect(str(archy)), detect(str(menu))) == ("genesys", None)


@pytest.mark.parametrize("head, ours", [
    (b"inboundCall:\n  name: x\n", True),
    (b"\xef\xbb\xbf# exported by archy\n---\ninQueueCall:\n  name: x\n", True),
    (b"inboundCall:  # the main line\n\n  name: x\n", True),
    (b"ivr: shop\ninboundCall:\n  name: x\n", False),  # a key further down is not the flow
    (b"inboundCall: yes\n", False),
    (b"inboundCallers:\n  name: x\n", False),
    (b"services:\n  web:\n    image: x\n", False),
])
def test_sniffing_reads_only_the_head_of_the_file(head, ours):
    assert sniff("f.yaml", head) is ours


# -- the flow ------------------------------------------------------------------------

def test_the_greeting_plays_before_the_startup_menu_and_names_come_from_the_flow(write):
    path = menu_flow(write, SALES_AND_AGENT, top="""
        initialGreeting:
          tts: Thank you for calling.
    """)
    menu = load_any(str(path))
    assert (menu.ivr, menu.start, menu.language) == ("Test Line", "Test Line", "en")
    greeting = menu.nodes["Test Line"]
    assert (greeting.type, greeting.prompt, greeting.next) == ("message", {"en": "Thank you for calling."}, "Main Menu")
    assert list(menu.nodes) == ["Test Line", "Main Menu", "Main Menu/Sales", "Main Menu/Agent"]


def test_menus_give_their_choices_as_keys_with_the_choice_name_as_label_at_the_dtmf(write):
    path = menu_flow(write, SALES_AND_AGENT)
    main = load_any(str(path)).nodes["Main Menu"]
    assert {k: (o.goto, o.label) for k, o in main.options.items()} == {
        "1": ("Main Menu/Sales", "Sales"), "0": ("Main Menu/Agent", "Agent")}
    text = path.read_text().splitlines()
    assert text[main.options["1"].loc.line - 1].strip() == "dtmf: digit_1"
    assert main.options["1"].loc.column == text[main.options["1"].loc.line - 1].index("digit_1") + 1
    assert text[main.options["1"].target_loc.line - 1].strip() == "- menuTransferToAcd:"


def test_transfer_to_acd_is_a_queue_of_its_target_queue_with_the_pre_transfer_audio(write):
    path = menu_flow(write, """
        - menuTransferToAcd:
            name: Sales
            dtmf: digit_1
            targetQueue:
              lit:
                name: Sales Queue
            preTransferAudio:
              tts: Connecting you to sales.
    """)
    menu = load_any(str(path))
    queue = menu.nodes["Main Menu/Sales"]
    assert (queue.type, queue.queue, queue.prompt) == ("queue", "Sales Queue", {"en": "Connecting you to sales."})
    assert list(menu.queues) == ["Sales Queue"] and menu.queues["Sales Queue"].agents == 1


@pytest.mark.parametrize("key, written", [("*", "digit_star"), ("#", "digit_pound"), ("7", "digit_7")])
def test_star_and_pound_are_archys_digit_star_and_digit_pound(write, key, written):
    path = menu_flow(write, SALES_AND_AGENT.replace("digit_1", written))
    assert key in load_any(str(path)).nodes["Main Menu"].options


def test_disconnect_repeat_and_previous_menu_choices(write):
    path = menu_flow(write, """
        - menuDisconnect:
            name: Goodbye
            dtmf: digit_8
        - menuRepeatMenu:
            name: Again
            dtmf: digit_9
        - menuPreviousMenu:
            name: Back
            dtmf: digit_star
    """)
    menu = load_any(str(path))
    options = menu.nodes["Main Menu"].options
    assert menu.nodes[options["8"].goto].type == "hangup"
    assert (options["9"].action, options["*"].action) == ("repeat", "back")


def test_jumps_go_to_the_menu_or_the_first_action_of_the_task_they_name(write):
    path = menu_flow(write, """
        - menuJumpToMenu:
            name: Billing
            dtmf: digit_1
            targetMenuRef: ../../../menu[billing]
        - menuJumpToTask:
            name: Hours
            dtmf: digit_2
            targetTaskRef: /inboundCall/tasks/task[hours]
    """, menus="""
        - menu:
            name: Billing
            refId: billing
            audio:
              tts: To hang up, press 0.
            choices:
              - menuDisconnect:
                  name: Bye
                  dtmf: digit_0
    """, top="""
        tasks:
          - task:
              name: Opening Hours
              refId: hours
              actions:
                - updateData:
                    name: Remember
                - playAudio:
                    name: Hours Message
                    audio:
                      tts: We are open from nine to five.
                - jumpToMenu:
                    name: Back to the menu
                    targetMenuRef: /inboundCall/menus/menu[main]
    """)
    menu = load_any(str(path))
    options = menu.nodes["Main Menu"].options
    assert options["1"].goto == "Billing"  # from the choice: its list, its menu, the list of menus
    assert options["2"].goto == "Opening Hours/Hours Message"  # updateData is passed through
    assert menu.nodes["Opening Hours/Hours Message"].next == "Main Menu"


def test_a_menu_task_runs_its_actions_and_previous_menu_goes_back_to_the_menu(write):
    path = menu_flow(write, """
        - menuTask:
            name: Opening Hours
            dtmf: digit_1
            task:
              actions:
                - playAudio:
                    name: Hours
                    audio:
                      exp: AudioPlaybackOptions(ToAudioTTS("We are open from \\"nine\\" to five."), true)
                - previousMenu:
                    name: Back
        - menuTask:
            name: News
            dtmf: digit_2
            task:
              actions:
                - playAudio:
                    name: News Item
                    audio:
                      tts: Nothing new today.
    """)
    menu = load_any(str(path))
    hours = menu.nodes["Main Menu/Opening Hours/Hours"]
    assert (hours.prompt, hours.next) == ({"en": 'We are open from "nine" to five.'}, "Main Menu")
    news = menu.nodes["Main Menu/News/News Item"]
    assert menu.nodes[news.next].type == "hangup"  # a task whose actions run out ends the call


def test_a_sub_menu_is_a_menu_of_its_own_and_its_previous_menu_goes_back(write):
    path = menu_flow(write, """
        - menuSubMenu:
            name: Billing
            dtmf: digit_1
            audio:
              tts: To pay a bill, press 1. To go back, press star.
            choices:
              - menuTransferToAcd:
                  name: Payments
                  dtmf: digit_1
                  targetQueue:
                    lit:
                      name: Billing
              - menuPreviousMenu:
                  name: Back
                  dtmf: digit_star
    """)
    menu = load_any(str(path))
    billing = menu.nodes["Billing"]
    assert menu.nodes["Main Menu"].options["1"].goto == "Billing"
    assert (billing.type, billing.options["*"].action, billing.prompt["en"].startswith("To pay")) == ("menu", "back", True)


def test_menu_settings_give_the_timeout_and_the_plays_and_a_menu_overrides_the_flow(write):
    settings = """
        settingsMenu:
          menuSelectionTimeout:
            lit:
              seconds: 6
          repeatCount:
            lit: 4
    """
    own = """
        settingsMenu:
          menuSelectionTimeout:
            lit:
              ms: 2500
          repeatCount:
            noValue: true
    """
    flow_wide = load_any(str(menu_flow(write, SALES_AND_AGENT, top=settings, name="a/flow.yaml")))
    overridden = load_any(str(menu_flow(write, SALES_AND_AGENT, top=settings, menu=own, name="b/flow.yaml")))
    assert (flow_wide.nodes["Main Menu"].timeout, flow_wide.nodes["Main Menu"].retries) == (6.0, 3)  # 4 plays
    assert (overridden.nodes["Main Menu"].timeout, overridden.nodes["Main Menu"].retries) == (2.5, 3)
    assert (flow_wide.defaults.timeout, flow_wide.defaults.retries) == (6.0, 3)


def test_architects_defaults_apply_when_the_flow_sets_nothing(write):
    main = load_any(str(menu_flow(write, SALES_AND_AGENT))).nodes["Main Menu"]
    assert (main.timeout, main.retries) == (10.0, 2)  # 10 s, the prompt plays 3 times


def test_the_default_choice_is_what_runs_after_the_last_play(write):
    path = menu_flow(write, SALES_AND_AGENT, menu="defaultChildMenuRef: ./choices/menuTransferToAcd[agent]")
    main = load_any(str(path)).nodes["Main Menu"]
    assert main.on_failure == "Main Menu/Agent"
    assert path.read_text().splitlines()[main.locs["on_failure"].line - 1].strip().startswith("defaultChildMenuRef:")


def test_a_default_choice_that_repeats_the_menu_never_gives_up(write):
    path = menu_flow(write, SALES_AND_AGENT + "- menuRepeatMenu:\n    name: Again\n    refId: again\n    dtmf: digit_9\n",
                     menu="defaultChildMenuRef: ./choices/menuRepeatMenu[again]")
    main = load_any(str(path)).nodes["Main Menu"]
    assert (main.retries, main.on_failure) == (None, None)


@pytest.mark.parametrize("handling, target", [
    ("disconnect:\n  none: true", None),
    ("transferToAcd:\n  targetQueue:\n    lit:\n      name: Support", "queue"),
    ("jumpToMenu:\n  targetMenuRef: /inboundCall/menus/menu[main]", "Main Menu"),
])
def test_without_a_default_choice_the_flows_error_handling_is_the_failure(write, handling, target):
    top = "settingsErrorHandling:\n  errorHandling:\n" + textwrap.indent(handling, "    ") + "\n"
    menu = load_any(str(menu_flow(write, SALES_AND_AGENT, top=top)))
    failure = menu.nodes["Main Menu"].on_failure
    assert (failure if target in (None, "Main Menu") else menu.nodes[failure].type) == target


def test_the_pre_handling_audio_plays_before_the_error_handling(write):
    top = """
        settingsErrorHandling:
          errorHandling:
            disconnect:
              none: true
          preHandlingAudio:
            tts: Sorry, an error occurred.
    """
    menu = load_any(str(menu_flow(write, SALES_AND_AGENT, top=top)))
    sorry = menu.nodes[menu.nodes["Main Menu"].on_failure]
    assert (sorry.type, sorry.prompt["en"], menu.nodes[sorry.next].type) == ("message", "Sorry, an error occurred.", "hangup")


def test_collect_input_is_an_input_whose_outputs_are_next_and_on_failure(write):
    path = flow(write, """
        inboundCall:
          name: Account
          startUpRef: /inboundCall/tasks/task[ask]
          tasks:
            - task:
                name: Ask
                refId: ask
                actions:
                  - collectInput:
                      name: Account Number
                      inputAudio:
                        tts: Please enter your account number.
                      noEntryTimeout:
                        lit:
                          seconds: 8
                      digits:
                        range:
                          min: 4
                          max: 8
                      outputs:
                        failure:
                          actions:
                            - transferToAcd:
                                name: Help
                                targetQueue:
                                  lit:
                                    name: Support
                  - transferToAcd:
                      name: Accounts
                      targetQueue:
                        lit:
                          name: Accounts
    """)
    menu = load_any(str(path))
    asked = menu.nodes["Ask/Account Number"]
    assert (asked.type, asked.timeout, asked.digits, asked.retries) == ("input", 8.0, 8, 0)
    assert (asked.next, asked.on_failure) == ("Ask/Accounts", "Ask/Help")  # success falls through to the next action


def test_a_decision_is_a_branch_and_an_output_not_written_falls_through(write):
    path = flow(write, """
        inboundCall:
          name: Hours
          startUpRef: /inboundCall/tasks/task[t]
          tasks:
            - task:
                name: Route
                refId: t
                actions:
                  - decision:
                      name: Is VIP
                      condition:
                        exp: Call.Ani == "+15551230000"
                      outputs:
                        "yes":
                          actions:
                            - transferToAcd:
                                name: VIP
                                targetQueue:
                                  lit:
                                    name: VIP
                  - disconnect:
                      name: Bye
    """)
    branch = load_any(str(path)).nodes["Route/Is VIP"]
    assert branch.type == "branch"
    assert [(b.goto, b.when) for b in branch.branches] == [
        ("Route/VIP", 'yes: Call.Ani == "+15551230000"'), ("Route/Bye", 'no: Call.Ani == "+15551230000"')]


def test_a_decision_with_both_ways_ending_does_not_build_what_follows(write):
    path = flow(write, """
        inboundCall:
          name: Hours
          startUpRef: /inboundCall/tasks/task[t]
          tasks:
            - task:
                name: Route
                refId: t
                actions:
                  - decision:
                      name: Open
                      condition:
                        exp: Flow.open
                      outputs:
                        "yes":
                          actions:
                            - disconnect:
                                name: A
                        "no":
                          actions:
                            - disconnect:
                                name: B
                  - playAudio:
                      name: Never Heard
                      audio:
                        tts: Nobody hears this.
    """)
    menu = load_any(str(path))
    assert "Route/Never Heard" not in menu.nodes and len(menu.nodes["Route/Open"].branches) == 2


def test_transfers_to_numbers_users_and_groups_reach_a_person_and_voicemail_takes_a_message(write):
    path = menu_flow(write, """
        - menuTransferToNumber:
            name: Head Office
            dtmf: digit_1
            targetNumber:
              lit: "+15551234567"
        - menuTransferToUser:
            name: Manager
            dtmf: digit_2
            targetUser:
              lit:
                name: Ann Smith
        - menuTransferToGroup:
            name: Team
            dtmf: digit_3
            targetGroup:
              lit:
                name: Night Team
        - menuTransferToVoicemail:
            name: Message
            dtmf: digit_4
            destination:
              queue:
                targetQueue:
                  lit:
                    name: Support
    """)
    nodes = load_any(str(path)).nodes
    assert [(nodes[f"Main Menu/{n}"].type, nodes[f"Main Menu/{n}"].destination) for n in ("Head Office", "Manager", "Team")] == [
        ("transfer", "number +15551234567"), ("transfer", "user Ann Smith"), ("transfer", "group Night Team")]
    assert (nodes["Main Menu/Message"].type, nodes["Main Menu/Message"].label) == ("voicemail", "voicemail of queue Support")


def test_a_data_action_is_an_opaque_step_kept_as_a_branch_over_its_outputs(write):
    path = flow(write, """
        inboundCall:
          name: Lookup
          startUpRef: /inboundCall/tasks/task[t]
          tasks:
            - task:
                name: Start
                refId: t
                actions:
                  - callData:
                      name: Find Caller
                      outputs:
                        failure:
                          actions:
                            - transferToAcd:
                                name: Help
                                targetQueue:
                                  lit:
                                    name: Support
                  - transferToAcd:
                      name: Main
                      targetQueue:
                        lit:
                          name: Support
    """)
    document = read_any(str(path))
    step = document.menu.nodes["Start/Find Caller"]
    assert (step.type, [b.goto for b in step.branches]) == ("branch", ["Start/Help", "Start/Main"])
    assert [m for _, _, m in found(document, "opaque-step")] == [
        "callData 'Find Caller' in task 'Start': a data action is not modelled; its ways out are kept as an even split"]


def test_an_unknown_action_is_an_opaque_step_that_goes_on_and_never_disappears(write):
    path = flow(write, """
        inboundCall:
          name: Odd
          startUpRef: /inboundCall/tasks/task[t]
          tasks:
            - task:
                name: Start
                refId: t
                actions:
                  - callLexV3Bot:
                      name: Future Bot
                  - disconnect:
                      name: Bye
    """)
    document = read_any(str(path))
    step = document.menu.nodes["Start/Future Bot"]
    assert (step.type, step.label, step.next) == ("message", "opaque: callLexV3Bot", "Start/Bye")
    assert [line for line, _, _ in found(document, "opaque-step")] == [line_of(path, "- callLexV3Bot:")]


# -- what callers hear ------------------------------------------------------------------

@pytest.mark.parametrize("audio, prompt, label", [
    ('tts: Press 1 for sales.', {"en": "Press 1 for sales."}, None),
    ('exp: AudioPlaybackOptions(Append(ToAudioTTS("Press 1"), ToAudioBlank(500), ToAudioTTS("for sales.")), true)',
     {"en": "Press 1 for sales."}, None),
    ("prompt: Prompt.MainMenu", {}, "plays Prompt.MainMenu"),
    ('exp: Append(ToAudio(Prompt.Welcome), ToAudioTTS("press 1"))', {}, 'plays Append(ToAudio(Prompt.Welcome), ToAudioTTS("press 1"))'),
])
def test_only_words_the_file_holds_in_full_become_the_prompt(write, audio, prompt, label):
    path = menu_flow(write, SALES_AND_AGENT)
    path.write_text(path.read_text().replace("tts: For sales, press 1. For an agent, press 0.", audio))
    main = load_any(str(path)).nodes["Main Menu"]
    assert (main.prompt, main.label) == (prompt, label)


def test_the_flows_language_tags_the_prompts(write):
    path = menu_flow(write, SALES_AND_AGENT)
    path.write_text(path.read_text().replace("defaultLanguage: en-us", "defaultLanguage: lt-lt"))
    assert load_any(str(path)).nodes["Main Menu"].prompt.keys() == {"lt"}


def test_a_template_placeholder_is_not_read_as_words(write):
    path = menu_flow(write, SALES_AND_AGENT, top="initialGreeting:\n  tts: {{greeting}}\n")
    document = read_any(str(path))
    greeting = [n for n in document.menu.nodes.values() if n.type == "message"]
    assert greeting == [] or greeting[0].prompt == {}
    assert any("template placeholder" in m for _, _, m in found(document, "opaque-step"))


# -- what the platform refuses or skips, at its line --------------------------------------

def test_a_reference_to_nothing_is_a_broken_entry_that_lists_the_refids(write):
    path = menu_flow(write, """
        - menuJumpToMenu:
            name: Printers
            dtmf: digit_2
            targetMenuRef: /inboundCall/menus/menu[printers]
    """)
    [(line, column, message)] = found(read_any(str(path)), "broken-entry")
    assert path.read_text().splitlines()[line - 1].strip().startswith("targetMenuRef:")
    assert "'/inboundCall/menus/menu[printers]', which is no menu of this flow" in message
    assert "(refIds here: main)" in message


def test_a_startup_reference_to_nothing_starts_at_the_first_menu_and_says_so(write):
    path = menu_flow(write, SALES_AND_AGENT)
    path.write_text(path.read_text().replace("menu[main]", "menu[mian]"))
    document = read_any(str(path))
    assert document.menu.start == "Main Menu"
    assert [line for line, _, _ in found(document, "broken-entry")] == [line_of(path, "startUpRef:")]


def test_a_key_written_twice_is_a_duplicate_key_and_the_first_is_read(write):
    path = menu_flow(write, SALES_AND_AGENT + "- menuDisconnect:\n    name: Bye\n    dtmf: digit_1\n")
    document = read_any(str(path))
    assert document.menu.nodes["Main Menu"].options["1"].goto == "Main Menu/Sales"
    [(line, _, message)] = found(document, "duplicate-key")
    assert message.startswith("'digit_1' appears twice in menu 'Main Menu' (first at line")
    assert path.read_text().splitlines()[line - 1].strip() == "dtmf: digit_1" and line > 20


def test_a_yaml_key_written_twice_is_a_duplicate_key_not_last_wins(write):
    path = menu_flow(write, SALES_AND_AGENT.replace("    dtmf: digit_1\n", "    dtmf: digit_1\n    dtmf: digit_5\n"))
    document = read_any(str(path))
    assert "1" in document.menu.nodes["Main Menu"].options and "5" not in document.menu.nodes["Main Menu"].options
    assert [m.split(" (")[0] for _, _, m in found(document, "duplicate-key")] == [
        "'dtmf' appears twice in menuTransferToAcd 'Sales'"]


def test_a_menu_with_no_audio_is_a_platform_warning_reported_as_an_error(write):
    path = menu_flow(write, SALES_AND_AGENT)
    path.write_text(path.read_text().replace("        audio:\n          tts: For sales, press 1. For an agent, press 0.\n", ""))
    findings = [f for f in lint_document(read_any(str(path))) if f.rule == "platform-warning"]
    assert [(f.severity, f.line) for f in findings] == [("error", line_of(path, "- menu:"))]


@pytest.mark.parametrize("dtmf, rule", [("digit_11", "broken-entry"), (None, "opaque-step")])
def test_a_choice_without_a_phone_key_is_reported_and_has_no_option(write, dtmf, rule):
    written = f"\n    dtmf: {dtmf}" if dtmf else ""
    path = menu_flow(write, SALES_AND_AGENT + f"- menuDisconnect:\n    name: Bye{written}\n")
    document = read_any(str(path))
    assert set(document.menu.nodes["Main Menu"].options) == {"1", "0"}
    assert [m for _, _, m in found(document, rule) if "Bye" in m]


def test_a_menu_and_a_task_nothing_reaches_are_reported_once_at_their_entry(write):
    path = menu_flow(write, SALES_AND_AGENT, menus="""
        - menu:
            name: Old Menu
            choices:
              - menuSubMenu:
                  name: Older
                  dtmf: digit_1
                  choices: []
    """, top="""
        tasks:
          - task:
              name: Forgotten
              refId: forgotten
              actions:
                - playAudio:
                    name: Old Message
                    audio:
                      tts: This is never heard.
    """)
    document = read_any(str(path))
    text = path.read_text().splitlines()
    reported = [(text[line - 1].strip(), text[line].strip(), m.split(" is")[0]) for line, _, m in found(document, "unreachable")]
    assert reported == [("- task:", "name: Forgotten", "task 'Forgotten'"), ("- menu:", "name: Old Menu", "menu 'Old Menu'")]
    assert "Forgotten/Old Message" not in document.menu.nodes  # its nodes are not built (the sub-menu is not reported again)


# -- several flows, other flow types -------------------------------------------------------

def test_another_flow_type_alone_is_one_clear_error(write):
    path = flow(write, "inqueueCall:\n  name: Hold\n  startUpTaskActions: []\n")
    result = run_cli("check", path)
    assert result.code == 2 and "Traceback" not in result.err
    assert result.err.startswith(f"{path}:1:1: error: an Archy inqueueCall flow, not an inboundCall flow")


def test_another_flow_type_beside_a_call_flow_is_noted_and_skipped(write):
    main = menu_flow(write, SALES_AND_AGENT)
    flow(write, "inqueueCall:\n  name: Hold\n  startUpTaskActions: []\n", "line/hold.yaml")
    document = read_any(str(main))
    assert [m for _, _, m in found(document, "opaque-step")] == [
        "an Archy inqueueCall flow: not read (ivrlint reads the menus of inboundCall flows)"]


def test_a_transfer_to_a_flow_given_beside_it_goes_to_that_flows_start(write):
    main = menu_flow(write, SALES_AND_AGENT + "- menuTransferToFlow:\n    name: Spanish\n    dtmf: digit_2\n"
                     "    targetFlow:\n      lit:\n        name: Linea Espanol\n")
    flow(write, """
        inboundCall:
          name: Linea Espanol
          startUpRef: /inboundCall/menus/menu[m]
          menus:
            - menu:
                name: Principal
                refId: m
                audio:
                  tts: Para ventas, marque 1.
                choices:
                  - menuDisconnect:
                      name: Adios
                      dtmf: digit_1
    """, "line/spanish.yaml")
    flow(write, "inboundCall:\n  name: Lonely\n  menus: []\n", "line/zz-other.yaml")
    document = read_any(str(main))
    assert document.menu.nodes["Main Menu"].options["2"].goto == "Linea Espanol: Principal"
    assert [m.split(":")[0] for _, _, m in found(document, "unreachable")] == ["flow 'Lonely' is never reached from flow 'Test Line'"]


def test_a_transfer_to_a_flow_not_given_is_an_opaque_step(write):
    path = menu_flow(write, SALES_AND_AGENT + "- menuTransferToFlow:\n    name: Other\n    dtmf: digit_2\n"
                     "    targetFlow:\n      lit:\n        name: Somewhere Else\n")
    document = read_any(str(path))
    assert any("flow 'Somewhere Else', which is not among the files read" in m for _, _, m in found(document, "opaque-step"))


# -- the Done-when line, the examples, the command line -----------------------------------

def test_a_menu_that_announces_one_of_its_three_keys_loads_and_the_other_two_are_unannounced(write):
    path = menu_flow(write, SALES_AND_AGENT + "- menuDisconnect:\n    name: Goodbye\n    dtmf: digit_9\n")
    path.write_text(path.read_text().replace("For sales, press 1. For an agent, press 0.", "For sales, press 1."))
    result = run_cli("check", "--no-config", path)
    assert result.code in (0, 1), result.err
    unannounced = [line for line in result.out.splitlines() if " unannounced-option " in line]
    assert [line.split(" key ")[1].split(" ")[0] for line in unannounced] == ["0", "9"]
    assert all(line.startswith(f"{path}:") for line in unannounced)


def test_the_good_example_lints_clean_and_the_bad_one_is_pinned_at_its_lines():
    assert run_cli("check", "--no-config", GOOD).out.strip() == "no problems in 1 file"
    at = {(f.rule, f.line) for f in lint_document(read_any(str(BAD)))}
    assert {("unannounced-option", line_of(BAD, "dtmf: digit_2")), ("unannounced-option", line_of(BAD, "dtmf: digit_3")),
            ("broken-entry", line_of(BAD, "targetMenuRef: \"/inboundCall/menus/menu[Printers_30]")),
            ("duplicate-key", line_of(BAD, "dtmf: digit_3", 1)), ("platform-warning", line_of(BAD, "name: Hardware", 1) - 1),
            ("timeout-range", line_of(BAD, "seconds: 30")), ("unreachable", line_of(BAD, "name: Promotions") - 1),
            ("opaque-step", line_of(BAD, "- callData:")), ("hangup-on-failure", line_of(BAD, "errorHandling:") + 1),
            ("no-zero-out", line_of(BAD, "choices:"))} <= at
    assert ("no-repeat", line_of(BAD, "choices:", 1)) not in at  # its suppression comment covers the Hardware menu


def test_the_yaml_it_writes_reads_back_as_the_same_menu():
    document = read_any(str(GOOD))
    assert menu_shape(load_text(menu_to_yaml(document.menu, document.notes), "line.yaml")) == menu_shape(document.menu)


def test_import_writes_yaml_that_says_where_each_node_came_from(tmp_path):
    out = tmp_path / "line.yaml"
    result = run_cli("import", "genesys", GOOD, "-o", out)
    assert result.code == 0, result.err
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Imported by ivrlint from Acme Support.yaml.")
    assert f"  # from Acme Support.yaml:{line_of(GOOD, 'name: Main Menu') - 1}\n  Main Menu:\n" in text


def test_a_switch_is_a_branch_with_a_way_per_case_and_one_that_falls_through(write):
    path = flow(write, """
        inboundCall:
          name: Lines
          startUpRef: /inboundCall/tasks/task[t]
          tasks:
            - task:
                name: Route
                refId: t
                actions:
                  - switch:
                      name: By Number
                      evaluate: firstTrue
                      cases:
                        - case:
                            value:
                              exp: Call.CalledAddress == "tel:+15550001"
                            actions:
                              - transferToAcd:
                                  name: Sales
                                  targetQueue:
                                    lit:
                                      name: Sales
                        - case:
                            value:
                              exp: Call.CalledAddress == "tel:+15550002"
                            actions:
                              - disconnect:
                                  name: Closed Line
                  - transferToAcd:
                      name: Everyone Else
                      targetQueue:
                        lit:
                          name: Support
    """)
    branch = load_any(str(path)).nodes["Route/By Number"]
    assert [(b.goto, b.when) for b in branch.branches] == [
        ("Route/Sales", "case 1"), ("Route/Closed Line", "case 2"), ("Route/Everyone Else", "otherwise")]


@pytest.mark.parametrize("written, seconds", [("lit:\n      minutes: 1", 60.0), ("lit: PT7.5S", 7.5), ("noValue: true", 10.0)])
def test_durations_are_read_in_any_of_archys_units(write, written, seconds):
    top = "settingsMenu:\n  menuSelectionTimeout:\n    " + written + "\n"
    assert load_any(str(menu_flow(write, SALES_AND_AGENT, top=top))).nodes["Main Menu"].timeout == seconds


def test_a_setting_written_as_an_expression_is_an_opaque_step_and_architects_default_is_assumed(write):
    top = "settingsMenu:\n  repeatCount:\n    exp: Flow.plays\n"
    document = read_any(str(menu_flow(write, SALES_AND_AGENT, top=top)))
    assert document.menu.nodes["Main Menu"].retries == 2
    assert [m for _, _, m in found(document, "opaque-step")] == [
        "the repeatCount of the flow is not a literal the importer reads (an expression?); 3 is assumed"]


def test_a_folder_of_yaml_menus_and_archy_flows_lints_each_as_what_it_is(write):
    flow_path = menu_flow(write, SALES_AND_AGENT, name="repo/flow.yaml")
    write("repo/shop.yaml", "ivr: shop\nstart: main\nnodes:\n  main: {type: hangup, prompt: Goodbye.}\n")
    result = run_cli("check", "--no-config", "--format", "json", flow_path.parent)
    assert result.code == 1, result.err
    files = {item["file"].rsplit("/", 1)[-1] for item in json.loads(result.out)}
    assert files == {"flow.yaml", "shop.yaml"}
