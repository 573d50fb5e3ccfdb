"""Status flows as data: (from, to, verb, permission) rows, checked in one place."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    verb: str
    permission: str = "change"  # the object permission the actor needs on the record


class Flow:
    def __init__(self, name: str, rows: list[tuple], *, field: str = "status"):
        self.name, self.field = name, field
        self.transitions = tuple(Transition(*row) for row in rows)

    def find(self, source: str, target: str) -> Transition | None:
        return next((t for t in self.transitions if t.source == source and t.target == target), None)

    def from_status(self, source: str) -> list[Transition]:
        return [t for t in self.transitions if t.source == source]
