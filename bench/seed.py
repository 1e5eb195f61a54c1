"""A benchmark database at a given scale, seeded with COPY, created and migrated when needed.

    python -m bench.seed --scale 1 --database bench_1x

Scale 1 is 1,000 suppliers (three chapter signatures each), 2,000 models and 5,000 assessments
with one row per checklist item (56 in the default checklist), a few pieces of URL evidence each,
decisions for the decided ones and the audit entries the workflow writes; scale 10 is ten times
that. Item applicability is decided by the app's own rules (`diligence.applicability`).

A database whose comment says it holds a complete seed of this version and scale is reused, after
`migrate` (so new migrations, indexes included, reach it). Anything else is dropped and seeded
again. The last line printed is JSON: the records the benchmark requests, and the row counts.
"""

import argparse
import datetime
import json
import os
import sys
import time

SEED_VERSION = 4  # a change to the rows written seeds the databases again
SERVER_URL = os.environ.get("BENCH_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432")


def log(message):
    print(f"[seed] {message}", file=sys.stderr, flush=True)


# The database ----------------------------------------------------------------------------------


def _maintenance():
    import psycopg

    try:
        return psycopg.connect(f"{SERVER_URL}/postgres", autocommit=True)
    except psycopg.OperationalError as error:
        raise SystemExit(
            f"PostgreSQL is not reachable at {SERVER_URL} ({error}). Start it, or set "
            "BENCH_POSTGRES_URL to a server where this user may create databases."
        ) from None


def read_marker(database):
    """The JSON comment of a complete seed on `database`, or None (also when it does not exist)."""
    with _maintenance() as conn:
        row = conn.execute(
            "SELECT shobj_description(oid, 'pg_database') FROM pg_database WHERE datname = %s",
            [database],
        ).fetchone()
    if row is None:
        return None
    try:
        marker = json.loads(row[0] or "")
    except ValueError:
        return {"exists": True}
    return marker if isinstance(marker, dict) else {"exists": True}


def recreate_database(database):
    from psycopg import sql

    with _maintenance() as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(database))
        )
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def write_marker(database, marker):
    from psycopg import sql

    with _maintenance() as conn:
        conn.execute(
            sql.SQL("COMMENT ON DATABASE {} IS {}").format(
                sql.Identifier(database), sql.Literal(json.dumps(marker))
            )
        )


def setup_django(database):
    os.environ["DATABASE_URL"] = f"{SERVER_URL}/{database}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "procurement.settings")
    os.environ.setdefault("DEBUG", "1")  # a development command; production settings need more
    import django

    django.setup()


# COPY ------------------------------------------------------------------------------------------


class Copier:
    """Writes rows given as {attname: value} with COPY; missing fields get the model's default."""

    def __init__(self, cursor):
        self.cursor = cursor
        self.counts = {}

    def write(self, model, rows):
        from django.db import connection, models

        fields = model._meta.concrete_fields
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in fields)
        defaults = [f.get_default() for f in fields]
        names = [f.attname for f in fields]
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        count = 0
        statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
        with self.cursor.copy(statement) as copy:
            for row in rows:
                values = [
                    row.get(name, default) for name, default in zip(names, defaults, strict=True)
                ]
                for i in json_at:
                    values[i] = json.dumps(values[i])
                copy.write_row(values)
                count += 1
        label = model._meta.label
        self.counts[label] = self.counts.get(label, 0) + count
        return count


class Ids:
    """Primary keys handed out in Python, so rows can refer to each other before they are written.

    Every table is read once up front: no query may run on the connection while a COPY is open.
    """

    def __init__(self, cursor, models):
        self.next = {}
        for model in models:
            field = model._meta.pk.column
            cursor.execute(f'SELECT COALESCE(MAX("{field}"), 0) FROM "{model._meta.db_table}"')  # noqa: S608
            self.next[model] = cursor.fetchone()[0] + 1

    def __call__(self, model):
        value = self.next[model]
        self.next[model] += 1
        return value


# Seeding ---------------------------------------------------------------------------------------


def _id_models():
    from contracts.models import ClauseOverride, ClausePack
    from core.models import AuditEntry
    from diligence.models import Assessment, AssessmentItem, Decision, Evidence
    from vendors.models import GPAIModel, Signature, Supplier

    tracked = [Supplier, Signature, GPAIModel, Assessment]
    return [*tracked, *(m.history.model for m in tracked), AssessmentItem, Decision, Evidence,
            AuditEntry, ClausePack, ClauseOverride]  # fmt: skip


def seed(scale):
    from django.db import connection, transaction
    from django.utils import timezone

    from bench.data import Seeder

    started = time.monotonic()
    with transaction.atomic():
        connection.ensure_connection()
        with connection.connection.cursor() as cursor:
            seeder = Seeder(scale, Copier(cursor), Ids(cursor, _id_models()), timezone.now())
            steps = [seeder.users, seeder.suppliers, seeder.signatures, seeder.models,
                     seeder.assessments, seeder.items, seeder.rest]  # fmt: skip
            for step in steps:
                step()
                log(f"{step.__name__} done after {time.monotonic() - started:.0f} s")
            _reset_sequences(cursor)
        _refresh_progress()
        log(f"progress counters done after {time.monotonic() - started:.0f} s")
        _refresh_summaries()
        log(f"summary rows done after {time.monotonic() - started:.0f} s")
    with connection.cursor() as cursor:  # outside the transaction: fresh planner statistics
        cursor.execute("VACUUM ANALYZE")
    log(f"seeded scale {scale} in {time.monotonic() - started:.0f} s")
    counts = {label: n for label, n in seeder.copier.counts.items() if n}
    return {
        "samples": seeder.samples(),
        "counts": counts,
        "seconds": round(time.monotonic() - started),
    }


def _refresh_progress():
    """COPY bypasses the services, which keep each assessment's progress counters."""
    from diligence import progress
    from diligence.models import Assessment, AssessmentItem

    progress.refresh_queryset(Assessment.objects.all(), AssessmentItem)


def _refresh_summaries():
    """The per-supplier summary rows (the dashboard's figures, the signatures), which the services
    keep beside the rows they sum up."""
    from overview.figures import supplier_figures_rebuild
    from vendors.summaries import signature_summaries_rebuild

    supplier_figures_rebuild()
    signature_summaries_rebuild()


def _reset_sequences(cursor):
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
        cursor.execute(statement)


def set_password(username, password):
    from django.contrib.auth.models import User

    user = User.objects.get(username=username)
    user.set_password(password)
    user.save(update_fields=["password"])


def ensure(scale, database, reseed=False):
    """Create, migrate and seed `database` unless it holds a complete seed; return its marker."""
    marker = None if reseed else read_marker(database)
    complete = (
        marker is not None
        and marker.get("bench_seed") == SEED_VERSION
        and marker.get("scale") == scale
        and marker.get("complete")
    )
    if not complete:
        log(f"{database}: {'no complete seed' if marker else 'new database'}; creating it")
        recreate_database(database)
    setup_django(database)
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", interactive=False, verbosity=0)
    if complete:
        log(f"{database}: reusing the complete seed of {marker['seeded_at'][:10]} (migrated)")
        if pending:
            # A migration that rewrote rows (a backfill) leaves dead rows and stale planner
            # statistics behind; production's autovacuum would catch up, a benchmark must not
            # wait for it.
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
            log(f"{database}: vacuumed after {len(pending)} new migration(s)")
        marker["reused"] = True
        return marker
    result = seed(scale)
    marker = {"bench_seed": SEED_VERSION, "scale": scale, "complete": True,
              "seeded_at": datetime.datetime.now(datetime.UTC).isoformat(), **result}  # fmt: skip
    write_marker(database, marker)
    marker["reused"] = False
    return marker


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, required=True)
    parser.add_argument("--database", required=True)
    parser.add_argument("--reseed", action="store_true", help="drop and seed even if complete")
    args = parser.parse_args(argv)
    marker = ensure(args.scale, args.database, args.reseed)
    if password := os.environ.get("BENCH_PASSWORD"):
        set_password(marker["samples"]["bench_user"], password)
    print(json.dumps(marker))


if __name__ == "__main__":
    main()
