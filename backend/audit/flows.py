"""Status flows as data: (from, to, verb, permission) rows, checked in one place."""

from collections import deque
from collections.abc import Callable
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

    def path(self, source: str, target: str, *, through: Callable[[Transition], bool] | None = None):
        """The statuses of a shortest walk from source to target (taking only the transitions
        `through` accepts), or None when there is none."""
        queue, seen = deque([(source, [])]), {source}
        while queue:
            status, path = queue.popleft()
            if status == target:
                return path
            for step in self.from_status(status):
                if step.target not in seen and (through is None or through(step)):
                    seen.add(step.target)
                    queue.append((step.target, [*path, step.target]))
        return None
