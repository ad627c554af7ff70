"""Related rows read in one query by the row they belong to, so that a page showing many lists of one
application costs one query more instead of one per list.

Each list becomes a column `ARRAY(SELECT <the row as a JSON object> FROM ... WHERE fk = outer.pk ORDER BY ...)`
of one query by the outer row's primary key (no UNION, no query per list; `read_lists`). `Rows.load()` turns the
column back into model instances, with the rows joined to them (select_related) and, nested, their own lists
(put into the prefetch cache, so that `obj.items.all()` reads them). Decimals travel as text, dates and times as
ISO strings: nothing is lost on the way.

`ARRAY(subquery)` is PostgreSQL's. On another database (the quick start's SQLite) each list is read in a query of
its own, with the same filter, order, joins and nested lists (`Rows.fetch`): the same objects, more queries."""

import json
from dataclasses import dataclass, field

from django.contrib.postgres.expressions import ArraySubquery
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.models import DecimalField, F, OuterRef, Prefetch, QuerySet, TextField
from django.db.models.functions import Cast, JSONObject

USER_FIELDS = ("id", "username", "first_name", "last_name")  # enough for get_full_name() and str()


def reads_along(alias: str = DEFAULT_DB_ALIAS) -> bool:
    """Whether the lists are read inside the outer query (PostgreSQL) or each in a query of its own."""
    return connections[alias].vendor == "postgresql"


def _fields(model, names=None) -> list:
    return [f for f in model._meta.concrete_fields if names is None or f.attname in names or f.name in names]


def _columns(model, prefix: str = "", names=None) -> dict:
    """The JSON object of one row: every (or each named) column; decimals as text."""
    return {f.attname: Cast(F(prefix + f.attname), TextField()) if isinstance(f, DecimalField)
            else F(prefix + f.attname) for f in _fields(model, names)}


def _instance(model, data: dict | None, names=None):
    """The model instance of a JSON object of `_columns` (None for a missing joined row)."""
    if data is None or data.get(model._meta.pk.attname) is None:
        return None
    fields = _fields(model, names)
    values = [None if data.get(f.attname) is None else f.to_python(data[f.attname]) for f in fields]
    return model.from_db(DEFAULT_DB_ALIAS, [f.attname for f in fields], values)


@dataclass
class Rows:
    """The rows of `queryset` (filtered and ordered as wanted) that point at the outer row through `link`.
    `joined`: foreign keys read along (name → field names, None for all); `children`: reverse relations of each
    row (related name → Rows); `limit`: at most that many rows."""

    queryset: QuerySet
    link: str = "application"
    joined: dict = field(default_factory=dict)
    children: dict = field(default_factory=dict)
    limit: int | None = None

    def expression(self) -> ArraySubquery:
        model = self.queryset.model
        columns = _columns(model)
        for name, names in self.joined.items():
            related = model._meta.get_field(name).related_model
            columns[f"_{name}"] = JSONObject(**_columns(related, f"{name}__", names))
        for name, rows in self.children.items():
            columns[f"_{name}"] = rows.expression()
        subquery = self.queryset.filter(**{self.link: OuterRef("pk")}).values(_row=JSONObject(**columns))
        return ArraySubquery(subquery if self.limit is None else subquery[:self.limit])

    def fetch(self, owner) -> list:
        """The same rows in a query of their own (and one per nested list), for a database without ARRAY."""
        queryset = self.queryset.filter(**{self.link: owner.pk}).select_related(*self.joined)
        for name, rows in self.children.items():
            queryset = queryset.prefetch_related(Prefetch(name, queryset=rows.queryset.select_related(*rows.joined)))
        return list(queryset if self.limit is None else queryset[:self.limit])

    def load(self, data) -> list:
        model = self.queryset.model
        result = []
        for row in data or ():
            instance = _instance(model, row)
            for name, names in self.joined.items():
                relation = model._meta.get_field(name)
                relation.set_cached_value(instance, _instance(relation.related_model, row[f"_{name}"], names))
            for name, rows in self.children.items():
                children = rows.load(row[f"_{name}"])
                link = rows.queryset.model._meta.get_field(rows.link)
                for child in children:
                    link.set_cached_value(child, instance)
                prefetched(instance, name, children)
            result.append(instance)
        return result


def prefetched(instance, name: str, objects: list) -> None:
    """Puts `objects` into `instance`'s prefetch cache for the reverse relation `name`, as prefetch_related
    does: `instance.<name>.all()` then returns them without a query."""
    queryset = getattr(instance, name).all()
    queryset._result_cache = list(objects)
    queryset._prefetch_done = True
    cache_name = instance._meta.get_field(name).cache_name
    if not hasattr(instance, "_prefetched_objects_cache"):
        instance._prefetched_objects_cache = {}
    instance._prefetched_objects_cache[cache_name] = queryset


# The compiled SQL per database and key; `_SENTINEL` marks the outer row's primary key among its parameters.
_COMPILED: dict = {}
_SENTINEL = -7_318_264_559


def read_lists(instance, key: str, rows: dict[str, "Rows"]) -> None:
    """Every list of `rows` for `instance` in one query, left where `unpack` and `unpack_first` find them.

    The SQL is compiled once per process and `key` (`rows` must not depend on the request): building some
    fifteen JSON subqueries costs Django's ORM more time than PostgreSQL needs to run them. Where the database
    cannot (SQLite), nothing is read here and `unpack` reads list by list."""
    db = instance._state.db or DEFAULT_DB_ALIAS
    if not reads_along(db):
        return
    compiled = _COMPILED.get((db, key))
    if compiled is None:
        names = [f"_rows_{name}" for name in rows]
        queryset = (type(instance)._default_manager.using(db).filter(pk=_SENTINEL)
                    .annotate(**{f"_rows_{name}": spec.expression() for name, spec in rows.items()})
                    .values_list(*names))
        sql, params = queryset.query.sql_with_params()
        if sum(1 for p in params if isinstance(p, int) and p == _SENTINEL) != 1:
            raise ValueError(f"read_lists({key!r}): the outer row's key must be the only place of {_SENTINEL}")
        compiled = _COMPILED[(db, key)] = (sql, tuple(params))
    sql, params = compiled
    with connections[db].cursor() as cursor:
        cursor.execute(sql, [instance.pk if isinstance(p, int) and p == _SENTINEL else p for p in params])
        values = cursor.fetchone()
    for name, column in zip(rows, values, strict=True):
        # A plain cursor leaves each row as JSON text; the ORM would have decoded it.
        setattr(instance, f"_rows_{name}", [json.loads(v) if isinstance(v, str) else v for v in column or ()])


def unpack(instance, rows: dict[str, "Rows"]) -> None:
    """The lists of `read_lists` into the prefetch cache of `instance`; the keys of `rows` are related names."""
    for name, spec in rows.items():
        objects = list_of(instance, name, spec)
        link = spec.queryset.model._meta.get_field(spec.link)
        for obj in objects:
            link.set_cached_value(obj, instance)
        prefetched(instance, name, objects)


def unpack_first(instance, rows: dict[str, "Rows"]) -> None:
    """The first row (or None) of each of `rows` read by `read_lists`, as the attribute of that name."""
    for name, spec in rows.items():
        setattr(instance, name, next(iter(list_of(instance, name, spec)), None))


def list_of(instance, name: str, spec: "Rows") -> list:
    """The objects of the list `name` read along with `instance` (or read now, where the database cannot)."""
    if hasattr(instance, f"_rows_{name}"):
        return spec.load(getattr(instance, f"_rows_{name}"))
    return spec.fetch(instance)
