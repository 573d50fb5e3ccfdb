"""manage.py seed_demo --scale N [--seed S]: load a demo company in one transaction."""

import time
from collections import Counter
from datetime import date

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from backend.catalog.models import Product
from backend.demo.build import build_demo
from backend.demo.bulk import BulkWriter
from backend.demo.catalogue import INTERNAL_EXTERNAL_ID
from backend.parties.models import Party
from backend.projects.models import Project
from backend.work.models import TaskTemplate

DEMO_USERNAME = "demo"
DEMO_PASSWORD = "demo"


class _Unterminated:
    """Writes through a command's output wrapper without the line ending it adds."""

    def __init__(self, wrapper):
        self.wrapper = wrapper

    def write(self, text: str) -> None:
        self.wrapper.write(text, ending="")

    def flush(self) -> None:
        self.wrapper.flush()

    def isatty(self) -> bool:
        return self.wrapper.isatty()


class Command(BaseCommand):
    help = (
        "Load a demo company: parties, facilities, products, assets, projects, sales and purchase "
        "orders, jobs, costs, tasks, time entries and shipments, plus a 'demo' superuser. "
        "Does nothing when the demo data is already loaded."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=float,
            default=1.0,
            help="Size multiplier; 1 gives about 10 customers, 100 orders and 2,400 time entries.",
        )
        parser.add_argument(
            "--seed", type=int, default=1, help="Random seed; the same seed gives the same data."
        )
        parser.add_argument(
            "--as-of",
            type=date.fromisoformat,
            default=None,
            help="The date the demo is built around (YYYY-MM-DD); defaults to today.",
        )

    def handle(self, *args, scale: float, seed: int, as_of: date | None = None, **options):
        if scale <= 0:
            raise CommandError("--scale must be greater than zero.")
        if Party.objects.filter(external_id=INTERNAL_EXTERNAL_ID).exists():
            self.stdout.write(
                f"The demo data is already loaded (party {INTERNAL_EXTERNAL_ID!r} exists); nothing created."
            )
            return
        as_of = as_of or timezone.localdate()
        started = time.monotonic()
        writer = BulkWriter(_Unterminated(self.stderr))
        with transaction.atomic():
            user, user_created = self._demo_user()
            demo = build_demo(seed=seed, scale=scale, as_of=as_of, writer=writer, taken=self._taken())
            if not Party.objects.filter(user=user).exists():
                Party.objects.filter(pk=demo.login_party.pk).update(user=user)
        elapsed = time.monotonic() - started
        self._report(demo, writer.counts, user_created, elapsed, seed, scale, as_of)

    def _demo_user(self):
        users = get_user_model()
        user = users.objects.filter(username=DEMO_USERNAME).first()
        if user is not None:
            return user, False
        return users.objects.create_superuser(DEMO_USERNAME, "demo@example.com", DEMO_PASSWORD), True

    def _taken(self) -> dict[str, set]:
        """Values of unique columns already in use, so demo rows never collide with them."""
        return {
            "external_id": set(
                Party.objects.filter(external_id__startswith="demo-").values_list("external_id", flat=True)
            ),
            "sku": set(Product.objects.filter(sku__startswith="DEMO-").values_list("sku", flat=True)),
            "project": set(Project.objects.values_list("code", flat=True)),
            "template": set(TaskTemplate.objects.values_list("name", flat=True)),
        }

    def _report(self, demo, counts: Counter, user_created: bool, elapsed: float, seed, scale, as_of) -> None:
        out = self.stdout
        out.write(f"Demo data created (seed {seed}, scale {scale:g}, as of {as_of.isoformat()}):")
        costs = Counter(cost.kind for cost in demo.rows["job costs"] + demo.rows["time costs"])
        for name, number in counts.items():
            detail = ""
            if name == "job costs":
                detail = "  (" + ", ".join(f"{kind} {costs[kind]}" for kind in sorted(costs)) + ")"
            out.write(f"  {name:<22} {number:>8}{detail}")
        out.write(f"  {'users':<22} {int(user_created):>8}")
        out.write(f"  {'total rows':<22} {sum(counts.values()) + int(user_created):>8}")
        out.write(f"Elapsed: {elapsed:.2f} s")
        if user_created:
            out.write(f"Demo login: username {DEMO_USERNAME!r}, password {DEMO_PASSWORD!r} (superuser).")
        else:
            out.write(f"Demo login: user {DEMO_USERNAME!r} already existed; its password was left unchanged.")
