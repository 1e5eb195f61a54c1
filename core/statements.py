"""Querysets whose SQL the ORM composes once per process.

On the busiest pages, composing a small query's SQL (Django's compiler: columns, joins,
quoting) costs more than the database takes to answer it. A `Statement` has the ORM compose a
values() queryset once, with a stand-in for each parameter of the call, and from then on sends
that SQL with the call's parameters and converts the columns as the ORM would. It keeps SQL
text and converters, never rows, so nothing it keeps can go stale.
"""

import functools

from django.core.exceptions import EmptyResultSet
from django.db import DEFAULT_DB_ALIAS, connections

# Stand-ins for the parameters while the SQL is composed: values no real parameter takes.
_STAND_IN = -7_213_000_001


class Statement:
    """`build(*shape, *params)` gives a values() queryset. `shape` are the hashable arguments
    that change the SQL itself (which filters, a page's slice): each shape is composed once,
    the most recent `shapes` of them kept. `params` are the values the database receives as
    parameters (a pk): they must reach the SQL unchanged, or composing refuses them."""

    def __init__(self, build, *, shapes=32):
        self._build = build
        self._composed = functools.lru_cache(maxsize=shapes)(self._compose)

    def _compose(self, alias, shape, count):
        stand_ins = [_STAND_IN - index for index in range(count)]
        query = self._build(*shape, *stand_ins).query
        compiler = query.get_compiler(using=alias)
        try:
            sql, params = compiler.as_sql()
        except EmptyResultSet:  # no row can match: the ORM reads nothing either
            return None
        # Where each stand-in went, and the type it went as (text, an int or the database
        # driver's own kind of int), which the call's value is given too.
        slots = []
        for position, value in enumerate(params):
            for index, stand_in in enumerate(stand_ins):
                if isinstance(value, int) and not isinstance(value, bool) and value == stand_in:
                    slots.append((position, index, type(value)))
                elif value == str(stand_in):
                    slots.append((position, index, str))
        if {index for _, index, _ in slots} != set(range(count)):
            raise ValueError("A parameter does not reach the SQL as it was given.")
        # The names in the order of the columns, as QuerySet.values() reads them.
        names = list(query.selected or [*query.extra_select, *query.values_select])
        if not query.selected:
            names += list(query.annotation_select)
        columns = [selected[0] for selected in compiler.select[: compiler.col_count]]
        converters = [
            (position, functions, expression)
            for position, (functions, expression) in compiler.get_converters(columns).items()
        ]
        return sql, tuple(params), tuple(slots), tuple(names), tuple(converters)

    def rows(self, *shape, params=(), using=DEFAULT_DB_ALIAS):
        """The rows as dicts, as the queryset's values() gives them."""
        composed = self._composed(using, shape, len(params))
        if composed is None:
            return []
        sql, template, slots, names, converters = composed
        values = list(template)
        for position, index, kind in slots:
            values[position] = kind(params[index])
        connection = connections[using]
        with connection.cursor() as cursor:
            cursor.execute(sql, values)
            fetched = cursor.fetchall()
        if converters:
            fetched = [_converted(row, converters, connection) for row in fetched]
        return [dict(zip(names, row, strict=True)) for row in fetched]


def columns(model):
    """Every concrete column of `model`, as `records` needs them in a values() row."""
    return [field.attname for field in model._meta.concrete_fields]


def records(model, rows, names=()):
    """Model instances from values() rows holding every column of `columns(model)`, as the ORM
    would load them, with `names` (columns beyond the model's) set as attributes."""
    attnames = columns(model)
    loaded = []
    for row in rows:
        record = model.from_db(DEFAULT_DB_ALIAS, attnames, [row[name] for name in attnames])
        for name in names:
            setattr(record, name, row[name])
        loaded.append(record)
    return loaded


def _converted(row, converters, connection):
    row = list(row)
    for position, functions, expression in converters:
        value = row[position]
        for function in functions:
            value = function(value, expression, connection)
        row[position] = value
    return row
