"""Which way calls went: the share of calls that visited each node and took each move.

Computed from the call records alone (each record lists the nodes a call
went through, in order), so the picture of a menu can show where callers
really go, not just where they could go. A call counts once per node, once
per move and once per key pressed at a node, however often it looped there, so every share is between 0
and 1 and reads as "x% of calls".
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import pairwise

from ivrlint.sim.records import CallRecord


@dataclass
class Flows:
    calls: int = 0
    node_calls: Counter = field(default_factory=Counter)  # node -> calls that visited it
    edge_calls: Counter = field(default_factory=Counter)  # (from, to) -> calls that moved so
    key_calls: Counter = field(default_factory=Counter)  # (node, key) -> calls that pressed key there

    def node_share(self, node: str) -> float:
        return self.node_calls[node] / self.calls if self.calls else 0.0

    def key_share(self, node: str, key: str) -> float:
        return self.key_calls[node, key] / self.calls if self.calls else 0.0

    def edge_share(self, source: str, target: str) -> float:
        return self.edge_calls[source, target] / self.calls if self.calls else 0.0


def call_flows(records: Iterable[CallRecord]) -> Flows:
    """Count, over `records`, the calls that visited each node and took each move.

    >>> from ivrlint.sim.records import CallRecord, Step
    >>> call = CallRecord(1, 0, 0.0, "pay", "en", steps=[Step("main", 0, 5, "1"), Step("pay", 5, 9)])
    >>> call_flows([call]).edge_share("main", "pay")
    1.0
    """
    flows = Flows()
    for record in records:
        flows.calls += 1
        nodes = [step.node for step in record.steps]
        flows.node_calls.update(set(nodes))
        flows.edge_calls.update(set(pairwise(nodes)))
        flows.key_calls.update({(step.node, step.key) for step in record.steps if step.key is not None})
    return flows
