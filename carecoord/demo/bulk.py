"""Fast inserts for the demo network: every family, episode, care plan and contact row (about
five million at 100,000 children), written straight to the database driver.

`bulk_create` spends most of its time in Python preparing each value of each model instance:
measured on SQLite, about 55–90 µs a row against about 10 µs here, which at this size is the
difference between many minutes and a few. Rows come in as plain tuples of Python values in the
order of `columns` (or as model instances, `save_new`); dates, datetimes, times, decimals and
JSON are adapted by the backend's own `connection.ops`, every field not named gets its model
default once per call (`auto_now` and `auto_now_add` fields get the time of the load), and the
new primary keys come back in row order. SQLite takes multi-row INSERT … RETURNING; PostgreSQL
takes COPY (several times faster there than a multi-row INSERT, whose parameters it plans one by
one), with the ids drawn from the table's sequence first. Like `bulk_create`, this skips
`save()`, `full_clean()` and signals: the generator builds values that are valid by construction
and the tests check them."""

import sqlite3
from collections.abc import Callable, Sequence

from django.db import connection, models
from django.utils import timezone

SQLITE_ROWS_PER_STATEMENT = 1000


def adapter(model: type[models.Model], attname: str) -> Callable:
    """What turns a Python value of this column into what the database driver takes, for
    callers that adapt values themselves (a value repeated on many rows, adapted once) and
    pass the column as `prepared`."""
    adapt = _adapter(model._meta.get_field(attname))
    return adapt or (lambda value: value)


def _adapter(field: models.Field) -> Callable | None:
    ops = connection.ops
    kind = field.get_internal_type()
    if kind == "DateTimeField":
        return ops.adapt_datetimefield_value
    if kind == "DateField":
        return ops.adapt_datefield_value
    if kind == "JSONField":
        return lambda value: ops.adapt_json_value(value, field.encoder)
    if kind == "TimeField":
        return ops.adapt_timefield_value
    if kind == "DecimalField":
        return lambda value: ops.adapt_decimalfield_value(value, field.max_digits,
                                                          field.decimal_places)
    return None


def _default(field: models.Field):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return timezone.now()
    return field.get_default()


def _cursor():
    """A driver cursor on Django's connection, inside its transaction."""
    connection.ensure_connection()
    return connection.connection.cursor()


class Inserter:
    """INSERT rows into one model's table. Columns are field attnames ("plan_id", "due_on");
    the values of `prepared` columns are already adapted (see `adapter`)."""

    def __init__(self, model: type[models.Model], columns: Sequence[str],
                 prepared: Sequence[str] = ()):
        meta = model._meta
        named = [meta.get_field(name) for name in columns]
        for name, field in zip(columns, named, strict=True):
            if field.attname != name or not field.concrete:
                raise ValueError(f"{meta.label}.{name} is not a column (use the attname).")
        rest = [field for field in meta.concrete_fields
                if not field.primary_key and field.attname not in columns]
        self.table = meta.db_table
        self.pk_column = meta.pk.column
        self.columns = [field.column for field in (*named, *rest)]
        self.adapters = [(index, adapt) for index, field in enumerate(named)
                         if field.attname not in prepared
                         and (adapt := _adapter(field)) is not None]
        self.fixed = tuple(
            adapt(value) if (adapt := _adapter(field)) and value is not None else value
            for field, value in ((field, _default(field)) for field in rest)
        )

    def _prepared(self, rows: Sequence[tuple]) -> list[tuple]:
        if not self.adapters:
            return [row + self.fixed for row in rows] if self.fixed else list(rows)
        prepared = []
        for row in rows:
            values = list(row)
            for index, adapt in self.adapters:
                if values[index] is not None:
                    values[index] = adapt(values[index])
            prepared.append((*values, *self.fixed))
        return prepared

    def insert(self, rows: Sequence[tuple], *, returning: bool = True) -> list[int]:
        """Insert the rows; the new primary keys in row order (empty when not `returning`)."""
        if not rows:
            return []
        if connection.vendor == "postgresql":
            return self._copy(self._prepared(rows), returning)
        return self._values(self._prepared(rows), returning)

    def _values(self, rows: list[tuple], returning: bool) -> list[int]:
        quote = connection.ops.quote_name
        cursor = _cursor()
        width = len(self.columns)
        limit = connection.connection.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER)
        per_statement = max(1, min(SQLITE_ROWS_PER_STATEMENT, limit // width))
        one_row = "(" + ", ".join(["?"] * width) + ")"
        head = (f"INSERT INTO {quote(self.table)} ("
                + ", ".join(quote(column) for column in self.columns) + ") VALUES ")
        tail = f" RETURNING {quote(self.pk_column)}" if returning else ""
        ids: list[int] = []
        try:
            for start in range(0, len(rows), per_statement):
                chunk = rows[start:start + per_statement]
                cursor.execute(head + ", ".join([one_row] * len(chunk)) + tail,
                               [value for row in chunk for value in row])
                if returning:
                    ids.extend(row[0] for row in cursor.fetchall())
        finally:
            cursor.close()
        return ids

    def _copy(self, rows: list[tuple], returning: bool) -> list[int]:
        quote = connection.ops.quote_name
        columns = self.columns
        ids: list[int] = []
        with _cursor() as cursor:
            if returning:
                # nextval() reserves the ids, so another session writing meanwhile cannot take
                # them; sorted, they follow the rows as an INSERT's would.
                cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, %s)) "
                               "FROM generate_series(1, %s)",
                               [self.table, self.pk_column, len(rows)])
                ids = sorted(row[0] for row in cursor.fetchall())
                columns = [self.pk_column, *columns]
                rows = [(pk, *row) for pk, row in zip(ids, rows, strict=True)]
            statement = (f"COPY {quote(self.table)} ("
                         + ", ".join(quote(column) for column in columns) + ") FROM STDIN")
            with cursor.copy(statement) as copy:
                for row in rows:
                    copy.write_row(row)
        return ids


def insert(model: type[models.Model], columns: Sequence[str], rows: Sequence[tuple], *,
           returning: bool = True, prepared: Sequence[str] = ()) -> list[int]:
    return Inserter(model, columns, prepared).insert(rows, returning=returning)


def save_new(objs: Sequence[models.Model]) -> None:
    """`bulk_create` for new instances of one model built in memory, at the speed of `insert`:
    each field's value is read with `pre_save` (so `auto_now` fields get the time of the load),
    a related instance saved after this one was built lends it its id (as `bulk_create` does),
    and every instance gets its primary key and is marked saved."""
    if not objs:
        return
    model = type(objs[0])
    fields = [field for field in model._meta.concrete_fields if not field.primary_key]
    relations = [field for field in fields if field.is_relation]
    for obj in objs:
        for field in relations:
            if getattr(obj, field.attname) is None and field.is_cached(obj):
                related = field.get_cached_value(obj)
                if related is not None:
                    if related.pk is None:
                        raise ValueError(f"{model._meta.label}.{field.name} is not saved yet.")
                    setattr(obj, field.name, related)
    ids = insert(model, [field.attname for field in fields],
                 [tuple(field.pre_save(obj, True) for field in fields) for obj in objs])
    for obj, pk in zip(objs, ids, strict=True):
        obj.pk = pk
        obj._state.adding = False
        obj._state.db = connection.alias


def set_column(model: type[models.Model], column: str, pairs: Sequence[tuple[object, int]]
               ) -> None:
    """UPDATE one column of many rows: `pairs` are (value, primary key)."""
    if not pairs:
        return
    field = model._meta.get_field(column)
    quote = connection.ops.quote_name
    mark = "?" if connection.vendor == "sqlite" else "%s"
    sql = (f"UPDATE {quote(model._meta.db_table)} SET {quote(field.column)} = {mark} "
           f"WHERE {quote(model._meta.pk.column)} = {mark}")
    cursor = _cursor()
    try:
        cursor.executemany(sql, list(pairs))
    finally:
        cursor.close()
