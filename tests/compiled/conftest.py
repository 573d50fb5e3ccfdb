"""A small company with every shape the compiled path reads, the viewers that see different parts of
it, and `same_answer`: one query through both paths, the two responses compared."""

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser, Group
from django.test import override_settings
from guardian.shortcuts import assign_perm

from backend.shipping.models import Shipment, ShipmentKind
from backend.work.models import Job
from backend.work.services import log_time
from schema.compiled.run import answer
from tests.conftest import GraphQLClient


@dataclass
class Tree:
    projects: list
    orders: list
    jobs: list
    costs: list
    tasks: list
    entries: list
    shipments: list


def build(company) -> Tree:
    tree = Tree([], [], [], [], [], [], [])
    currencies = ["USD", "JPY", "BHD"]
    for p in range(3):
        project = company.project(budget=Decimal("1234.5") if p != 1 else None, currency=currencies[p])
        tree.projects.append(project)
        for o in range(2 if p else 3):
            currency = currencies[(p + o) % 3]
            order = company.order(
                project,
                currency=currency,
                lines=((Decimal("3"), Decimal("10.005")), (Decimal(1), Decimal(7))),
            )
            tree.orders.append(order)
            tree.shipments.append(company.shipment(order))
            parent = None
            for j in range(2):
                job = company.job(
                    order,
                    parent=parent,
                    budgeted_cost=Decimal("100.125"),
                    start_date=date(2026, 1, 5 + j) if j else None,
                )
                parent = job
                tree.jobs.append(job)
                for c in range(2 if j == 0 else 1):
                    cost = company.cost(job, unit_cost=Decimal("1.23456") if c else Decimal("5.00"))
                    tree.costs.append(cost)
                    task = company.task(cost, title=f"Task {p}.{o}.{j}.{c}", due_date=date(2026, 2, 1))
                    tree.tasks.append(task)
                    start = datetime(2026, 3, 2, 9, 0, 0, 0 if c else 123400, tzinfo=UTC)
                    tree.entries.append(
                        log_time(
                            actor=None,
                            task=task,
                            party=company.employee,
                            from_at=start,
                            hours=Decimal(2),
                            cost_rate=Decimal("40.12345"),
                            currency=currency,
                        )
                    )
                    shipment = company.shipment(order, ship_task=task, kind=ShipmentKind.INCOMING)
                    Shipment.objects.filter(pk=shipment.pk).update(
                        shipped_at=datetime(2026, 3, 3, 10, 30, tzinfo=UTC), cost=Decimal("12.5")
                    )
                    tree.shipments.append(shipment)
            tree.tasks.append(company.task(order, title=f"Order task {p}.{o}"))
    # An order outside every project, with a deep chain of sub-jobs.
    loose = company.order(None, currency="EUR")
    tree.orders.append(loose)
    parent = None
    for _ in range(5):
        parent = Job.objects.create(order=loose, parent=parent, name="Deep")
        tree.jobs.append(parent)
    tree.tasks.append(company.task(tree.projects[0], title="Project task"))
    return tree


@pytest.fixture(autouse=True)
def compiled_reads(settings):
    """These tests exercise the compiled path whatever the setting's default."""
    settings.GRAPHQL_COMPILED_READS = True


@pytest.fixture
def tree(company) -> Tree:
    return build(company)


VIEWERS = ("superuser", "project_group", "order_grant", "nothing", "anonymous")
# The viewers who see rows: long page walks run for them (the others see one empty page each, which
# the corpus and the generated tests cover).
VIEWERS_WITH_ROWS = VIEWERS[:3]


class Viewer(GraphQLClient):
    """A client that remembers its user (the compiled path is asked directly in some tests)."""

    def __init__(self, user=None):
        super().__init__(user)
        self.user = user or AnonymousUser()


@pytest.fixture
def viewers(tree, django_user_model) -> dict[str, Viewer]:
    superuser = django_user_model.objects.create_superuser("root", password="pw-root-123")
    member = django_user_model.objects.create_user("member", password="pw-member-123")
    group = Group.objects.create(name="project team")
    member.groups.add(group)
    assign_perm("projects.view_project", group, tree.projects[1])
    clerk = django_user_model.objects.create_user("clerk", password="pw-clerk-123")
    assign_perm("orders.view_order", clerk, tree.orders[0])
    assign_perm("orders.view_order", clerk, tree.orders[-1])
    nobody = django_user_model.objects.create_user("nobody", password="pw-nobody-123")
    return {
        "superuser": Viewer(superuser),
        "project_group": Viewer(member),
        "order_grant": Viewer(clerk),
        "nothing": Viewer(nobody),
        "anonymous": Viewer(),
    }


def compiles(viewer: Viewer, query: str, variables: dict | None = None) -> bool:
    """Whether the compiled path answers the query itself (rather than leaving it to the general one)."""
    return answer(viewer, query, variables, None) is not None


def _comparable(content: bytes) -> dict:
    """The response, less the request id of each error (every request has its own)."""
    response = json.loads(content)
    for error in response.get("errors") or ():
        (error.get("extensions") or {}).pop("requestId", None)
    return response


def same_answer(settings, client: GraphQLClient, query: str, variables: dict | None = None) -> dict:
    """Both paths' responses to the query, asserted equal; the general path's, parsed.

    Each path is switched on for its request only (`override_settings` leaves nothing behind, where
    every assignment to pytest-django's `settings` adds a layer: a test comparing hundreds of
    queries would run out of stack)."""
    with override_settings(GRAPHQL_COMPILED_READS=False):
        general = client.raw(query, variables)
    with override_settings(GRAPHQL_COMPILED_READS=True):
        compiled = client.raw(query, variables)
    assert compiled.status_code == general.status_code
    expected, got = _comparable(general.content), _comparable(compiled.content)
    assert got == expected, f"{query}\n{json.dumps(variables)}\ncompiled: {got}\ngeneral: {expected}"
    return expected
