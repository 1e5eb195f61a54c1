"""Fingerprints of tables: one cheap query whose answer changes when their rows change.

What is kept in the cache carries the fingerprint of the rows it was made from in its key, so
a change to those rows makes the next request compute it again, in every worker, without the
workers telling each other. Each part is an aggregate that an index answers without reading
the table (the newest `updated_at`, the highest id), or one over a small table.
"""

from django.db import connection

AGGREGATES = {
    "max": "MAX({column})",
    "count": "COUNT({column})",
    # Portable: PostgreSQL has no SUM(boolean).
    "count_true": "SUM(CASE WHEN {column} THEN 1 ELSE 0 END)",
    "total_length": "SUM(LENGTH({column}))",
}


def _select(aggregate, model, column):
    quote = connection.ops.quote_name
    value = AGGREGATES[aggregate].format(column=quote(column))
    return f"(SELECT {value} FROM {quote(model._meta.db_table)})"  # noqa: S608 - names only


def fingerprint(parts):
    """The values of (aggregate, model, column) parts, read in one query, as one string."""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {', '.join(_select(*part) for part in parts)}")
        return "|".join(str(value) for value in cursor.fetchone())


def columns(parts, name):
    """The parts as columns to add to another query's SELECT, so that its row brings the
    fingerprint along instead of a query of its own; `annotated(row, parts, name)` reads it."""
    quote = connection.ops.quote_name
    return ", ".join(
        f"{_select(*part)} AS {quote(f'_{name}_{index}')}" for index, part in enumerate(parts)
    )


def annotated(instance, parts, name):
    """The fingerprint that `columns(parts, name)` brought along with `instance`, as
    `fingerprint(parts)` gives it; None if the instance was read without them."""
    try:
        values = [getattr(instance, f"_{name}_{index}") for index in range(len(parts))]
    except AttributeError:
        return None
    return "|".join(str(value) for value in values)
