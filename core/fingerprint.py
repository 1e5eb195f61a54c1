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
