"""Status in the graph: allowedTransitions, statusHistory, and `<noun>Transition` mutations."""

import strawberry
import strawberry_django
from strawberry.types import Info

from backend.audit.models import StatusChange

from .crud import fresh
from .errors import run_mutation
from .ids import load
from .inputs import actor
from .scoping import can_annotation, viewer_may


@strawberry.type(description="A status change the viewer may make now.")
class StatusTransition:
    verb: str
    to: str


@strawberry_django.type(StatusChange, name="StatusChange", description="One recorded status change.")
class StatusChangeType:
    field: str = strawberry_django.field(description="The status field that changed.")
    from_status: str
    to_status: str
    verb: str
    at: strawberry.auto
    reason: str

    @strawberry_django.field(only=["actor__username"], select_related=["actor"])
    def actor(self) -> str | None:
        """Username of who made the change; null for changes that followed another one."""
        return self.actor.username if self.actor_id else None


def allowed_transitions_field(model, flow_of, only=None):
    """`allowedTransitions`: the flow's steps from the current status the viewer has the permission
    for, computed from two EXISTS columns of the row's own query."""

    def resolve(root, info: Info) -> list[StatusTransition]:
        may = {action: viewer_may(root, info, action) for action in ("change", "manage")}
        flow = flow_of(root)
        return [
            StatusTransition(verb=t.verb, to=t.target)
            for t in flow.from_status(getattr(root, flow.field))
            if may.get(t.permission)
        ]

    return strawberry_django.field(
        resolver=resolve,
        only=only,
        annotate={**can_annotation(model, "change"), **can_annotation(model, "manage")},
        description="What the viewer may do with the status now (verb and target).",
    )


def status_history_field():
    return strawberry_django.field(description="Every status change, oldest first.")


def transition_mutation(model, input_type, payload_type, field: str, service, description: str):
    def resolve(info: Info, input: input_type) -> payload_type:  # type: ignore[valid-type]
        def act():
            user = actor(info)
            record = load(info, input.id, model, action="view")
            return fresh(
                service(
                    record,
                    to=input.to.value,
                    actor=user,
                    reason=input.reason or "",
                    expected_version=input.expected_version,
                )
            )

        record, errors = run_mutation(act, model=model)
        return payload_type(**{field: record, "errors": errors})

    return strawberry.mutation(resolver=resolve, description=description)


def transition_input(name: str, status_enum):
    cls = type(
        name,
        (),
        {
            "__annotations__": {
                "id": strawberry.ID,
                "to": status_enum,
                "reason": str | None,
                "expected_version": int | None,
            },
            "reason": None,
            "expected_version": None,
        },
    )
    return strawberry.input(cls, description="Move a record to another status along its flow.")
