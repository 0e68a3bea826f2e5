"""Fix hints in the words of the Amazon Connect flow designer.

A finding on a Connect flow tells the author which block to change and
how, as the flow designer shows it: a block by its name in the designer
("Get customer input") and, when a person named it, its Identifier, else
the start of what it says; a key is a condition of Get customer input whose
branch is connected to a block; retries are a Loop block (Loop count) on
the Timeout and Default branches; the failure path is the branch callers
leave by. Node ids the importer builds (``Main/menu_3f2a9c``) never show.
"""

from __future__ import annotations

from dataclasses import dataclass

from ivrlint.menu.model import Node
from ivrlint.menu.phrases import Phrases

#: Flow language Type -> the block's name in the flow designer.
TITLES = {
    "GetParticipantInput": "Get customer input", "MessageParticipant": "Play prompt",
    "TransferContactToQueue": "Transfer to queue", "TransferParticipantToThirdParty": "Transfer to phone number",
    "DisconnectParticipant": "Disconnect / hang up", "EndFlowExecution": "End flow / Resume", "Loop": "Loop",
    "Compare": "Check contact attributes", "CheckHoursOfOperation": "Check hours of operation",
    "CheckStaffing": "Check staffing", "CheckMetricData": "Check queue status",
    "DistributeByPercentage": "Distribute by percentage", "TransferToFlow": "Transfer to flow",
    "UpdateContactTargetQueue": "Set working queue", "ConnectParticipantWithLexBot": "Get customer input",
    "InvokeLambdaFunction": "Invoke AWS Lambda function", "UpdateContactAttributes": "Set contact attributes",
    "Wait": "Wait", "InvokeFlowModule": "Invoke module",
}
#: How much of a block's prompt names it when no person named the block.
_SNIPPET = 40


@dataclass(frozen=True)
class Block:
    """How findings name one block (or a block a transition names that is not in the flow)."""

    title: str  # "Get customer input"; "Store customer input" for one that stores the digits
    name: str | None  # the Identifier, when a person gave it (not a generated id)
    flow: str | None  # the flow's name, when the line has several flows
    says: str | None = None  # the start of its prompt, to tell unnamed blocks apart
    loop: str | None = None  # for a menu whose retries are a Loop block: how that Loop is named
    missing: bool = False  # a block that transitions name but the flow does not hold

    def words(self) -> str:
        if self.missing:
            where = f" of flow '{self.flow}'" if self.flow else ""
            return f"block '{self.name}', which is not in the flow{where}"
        named = f" '{self.name}'" if self.name else f' "{self.says}"' if self.says else ""
        where = f" in flow '{self.flow}'" if self.flow else ""
        return f"the {self.title} block{named}{where}"


def block_title(kind: str, stores_input: bool = False) -> str:
    if kind == "GetParticipantInput" and stores_input:
        return "Store customer input"
    return TITLES.get(kind, kind or "untyped")


def snippet(text: str) -> str:
    return text if len(text) <= _SNIPPET else text[:_SNIPPET].rstrip() + "..."


class ConnectPhrases(Phrases):
    """Fix hints as blocks, conditions and branches of the Connect flow designer."""

    platform = "Amazon Connect flow JSON"

    def __init__(self, blocks: dict[str, Block] | None = None):
        self.blocks = blocks or {}

    def named(self, node_id: str | None) -> str:
        block = self.blocks.get(node_id or "")
        return block.words() if block else f"'{node_id}'"

    def name(self, node: Node) -> str:
        return self.node(node)

    def node(self, node: Node) -> str:
        return self.named(node.id) if node.id in self.blocks else super().node(node)

    def add_option(self, node: Node, key: str, target: str | None) -> str:
        to = self.named(target) if target is not None else "a Transfer to queue block (with a Set working queue before it)"
        return f'add a condition "{key}" to {self.node(node)} whose branch leads to {to}'

    def add_repeat(self, node: Node, key: str | None) -> str:
        # Connect has no repeat action: a branch back to the block plays its prompt again
        return f'add a condition "{key or "KEY"}" to {self.node(node)} whose branch leads back to that block'

    def add_failure(self, node: Node, target: str | None) -> str:
        to = self.named(target) if target is not None else "an agent's Transfer to queue block or a voicemail"
        block = self.blocks.get(node.id)
        if block is not None and block.loop:
            return f"connect the Complete branch of {block.loop} to {to}"
        branches = "Timeout and Default" if node.type == "menu" else "Timeout and Error"
        return f"connect the {branches} branches of {self.node(node)} to {to}"

    def set_timeout(self, node: Node | None, seconds: float) -> str:
        if node is None:
            return f"set Timeout to {seconds:g} seconds in each Get customer input block"
        return f"set Timeout to {seconds:g} seconds in {self.node(node)}"

    def set_retries(self, node: Node | None, retries: int) -> str:
        block = self.blocks.get(node.id) if node is not None else None
        if block is not None and block.loop:
            return f"set Loop count to {retries} in {block.loop}"
        what = self.node(node) if node is not None else "each Get customer input block"
        return f"lead the Timeout and Default branches of {what} back to it through a Loop block with Loop count {retries}"
