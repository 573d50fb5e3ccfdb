"""manage.py bench: nested reads over HTTP against the production server, and against their floor."""

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from backend.bench import data, grants, queries
from backend.bench.report import machine, source, table, write_document
from backend.bench.run import Options, measure


class Command(BaseCommand):
    help = (
        "Load the benchmark data set (1,000 projects at --scale 1) with set-based SQL, start the "
        "production server (gunicorn), and measure each nested read as a superuser and as a user "
        "with object grants: latency over sequential keep-alive requests, throughput at a given "
        "concurrency, SQL statements per request, and the same answer from one prepared SQL "
        "statement (the floor). JSON on stdout (or --out), a table on stderr. PostgreSQL only; "
        "meant for a throwaway database."
    )

    def add_arguments(self, parser):
        o = Options()
        parser.add_argument("--scale", type=float, default=1.0, help="1 = 1,000 projects; 0.01 = 10.")
        parser.add_argument("--seed", type=int, default=1, help="Seed of the data set's values.")
        parser.add_argument(
            "--runs", type=int, default=o.runs, help="Timed sequential runs per read and user."
        )
        parser.add_argument("--warmup", type=int, default=o.warmup, help="Untimed runs before them.")
        parser.add_argument(
            "--duration", type=float, default=o.duration, help="Seconds of load per read and user (0: none)."
        )
        parser.add_argument("--concurrency", type=int, default=o.concurrency, help="Connections under load.")
        parser.add_argument("--reads", default=",".join(o.reads), help="Of: tree20, tree1, node.")
        parser.add_argument("--users", default=",".join(o.users), help="Of: superuser, bench.")
        parser.add_argument(
            "--reuse", action="store_true", help="Measure a data set loaded earlier instead of loading one."
        )
        parser.add_argument("--out", help="Write the JSON here instead of stdout.")

    def handle(self, *args, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The benchmark needs PostgreSQL (DATABASE_URL).")
        if options["runs"] < 1:
            raise CommandError("--runs must be at least 1.")
        picked = Options(
            runs=options["runs"],
            warmup=options["warmup"],
            duration=options["duration"],
            concurrency=options["concurrency"],
            reads=_subset(options["reads"], [r.name for r in queries.READS], "--reads"),
            users=_subset(options["users"], list(queries.USERS), "--users"),
        )
        scale = data.Scale(options["scale"], options["seed"])
        log = self.stderr.write
        loaded = None
        if options["reuse"]:
            if not data.loaded():
                raise CommandError("No benchmark data set to reuse; run without --reuse.")
        else:
            if data.loaded():
                raise CommandError("A benchmark data set is already loaded; pass --reuse to measure it.")
            log(f"loading scale {scale.factor} (seed {scale.seed}):")
            loaded = data.Loader(scale, log).run()
            log(f"loaded in {loaded.seconds:.1f}s")
        tokens = grants.create_tokens()
        document = {
            "benchmark": "nested reads against the floor",
            "machine": machine(),
            "code": source(),
            "options": {
                "scale": scale.factor,
                "seed": scale.seed,
                "runs": picked.runs,
                "warmup": picked.warmup,
                "duration_s": picked.duration,
                "concurrency": picked.concurrency,
            },
            "data": {
                "rows": data.row_counts(),
                "inserted": loaded.inserted if loaded else None,
                "load_seconds": round(loaded.seconds, 1) if loaded else None,
                "load_steps": {k: round(v, 2) for k, v in loaded.steps.items()} if loaded else None,
            },
        }
        document.update(measure(tokens, picked, log))
        write_document(document, options["out"])
        self.stderr.write("\n" + table(document["results"]))


def _subset(value: str, allowed: list[str], flag: str) -> tuple[str, ...]:
    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = set(chosen) - set(allowed)
    if unknown or not chosen:
        raise CommandError(f"{flag}: choose from {', '.join(allowed)}.")
    return chosen
