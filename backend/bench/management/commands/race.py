"""manage.py race: concurrent money mutations over HTTP against the production server, under faults."""

from argparse import BooleanOptionalAction

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backend.bench.report import write_document
from backend.race.data import Scale
from backend.race.run import Options, race


class Command(BaseCommand):
    help = (
        "Start the production server (gunicorn) and race concurrent clients over HTTP on a few shared "
        "invoices and payments: apply, unapply, refund, invoice and payment transitions (cancel, void, "
        "unpay), with idempotency keys and deliberate repeats of them. A worker is killed with SIGKILL "
        "a third into the run and PostgreSQL restarted at two thirds (--no-kill-worker, "
        "--no-restart-postgres). Then audits stored totals against the rows and each key against its "
        "one result. JSON on stdout (or --out); exits 1 when the audit fails or a client saw an "
        "internal error, an HTML page, a deadlock or an undocumented 5xx. PostgreSQL only; meant for a "
        "throwaway local database (the restart stops and starts it with pg_ctl)."
    )

    def add_arguments(self, parser):
        o, s = Options(), Scale()
        parser.add_argument("--clients", type=int, default=o.clients, help="Concurrent clients.")
        parser.add_argument("--duration", type=float, default=o.duration, help="Seconds of racing.")
        parser.add_argument("--workers", type=int, default=o.workers, help="Gunicorn worker processes.")
        parser.add_argument("--threads", type=int, default=o.threads, help="Threads per worker.")
        parser.add_argument("--seed", type=int, default=o.seed, help="Seed of the clients' choices.")
        parser.add_argument("--invoices", type=int, default=s.invoices, help="Shared invoices.")
        parser.add_argument("--payments", type=int, default=s.payments, help="Shared payments.")
        parser.add_argument("--refunds", type=int, default=s.refunds, help="Shared refund payments.")
        parser.add_argument("--kill-worker", action=BooleanOptionalAction, default=o.kill_worker)
        parser.add_argument("--restart-postgres", action=BooleanOptionalAction, default=o.restart_postgres)
        parser.add_argument("--outage", type=float, default=o.outage, help="Seconds PostgreSQL stays down.")
        parser.add_argument("--out", help="Write the JSON here instead of stdout.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The race needs PostgreSQL (DATABASE_URL).")
        if options["clients"] < 1 or options["duration"] <= 0:
            raise CommandError("--clients and --duration must be positive.")
        picked = Options(
            clients=options["clients"],
            duration=options["duration"],
            workers=options["workers"],
            threads=options["threads"],
            seed=options["seed"],
            kill_worker=options["kill_worker"],
            restart_postgres=options["restart_postgres"],
            outage=options["outage"],
            scale=Scale(options["invoices"], options["payments"], options["refunds"]),
        )
        try:
            document = race(picked, self.stderr.write)
        except RuntimeError as exc:  # the server, the clients or a fault could not start
            raise CommandError(str(exc)) from exc
        write_document(document, options["out"])
        if not document["passed"]:
            raise CommandError(f"The race failed. {summary(document)}")
        self.stderr.write(summary(document))


def summary(document: dict) -> str:
    failed = [check["check"] for check in document["audit"] if not check["ok"]]
    bad = {name: n for name, n in document["client_failures"].items() if n}
    return (
        f"{sum(document['requests'].values())} requests, {sum(document['operations'].values())} operations"
        f" in {document['seconds']} s; deadlocks in the database: {document['deadlocks_in_database']};"
        f" client failures: {bad or 0}; audit: {'failed: ' + ', '.join(failed) if failed else 'passed'}"
    )
