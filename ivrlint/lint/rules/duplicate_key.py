"""duplicate-key (S107): the same key written twice in one mapping.

What it checks
    Two options with the same key in one menu, two nodes with the same id,
    or any key repeated in one mapping. Reported at the second one's line;
    the first one is the one ivrlint uses.

Why it matters
    Plain YAML loading silently keeps only the last of the two, so the
    menu that runs is not the menu the author reviewed: "press 2" may go
    somewhere nobody expected.

Options
    None.

Fails::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For returns, press 2. For an agent, press 0.
        options:
          1: agent
          2: agent
          2: main
          0: agent
        on_failure: agent
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}

Passes::

    ivr: shop
    start: main
    nodes:
      main:
        type: menu
        prompt: For orders, press 1. For returns, press 2. For an agent, press 0.
        options:
          1: agent
          2: agent
          0: agent
        on_failure: agent
      agent: {type: queue, queue: general}
    queues:
      general: {agents: 2, handle_time: 120}
"""

CODE = "S107"
SLUG = "duplicate-key"
SEVERITY = "error"
SUMMARY = "the same key twice in one menu (or any mapping)"
OPTIONS: dict = {}


def check(ctx, options):
    for dup in ctx.document.duplicates:
        yield dup.loc, None, (
            f"'{dup.key}' appears twice in {dup.where} (first at line {dup.first.line}); this one is ignored, remove or renumber it"
        )
