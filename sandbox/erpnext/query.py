"""``GET /api/resource/{doctype}`` and ``frappe.client.get_list``/``get_count``: fields, filters,
or_filters, order_by and paging, with the database's habits (reference §2.2, §4.2).

- ``fields``: a JSON list; ``["*"]`` is every column of the parent; ``"`tabChild`.field"`` (a
  child table's column) joins the child rows, one result row per matching child row; ``"x as y"``
  renames. The default is ``["name"]``. Child tables never appear in list rows.
- ``filters`` / ``or_filters``: the list form ``[[field, op, value], [doctype, field, op, value]]``
  (the 4-element form filters on a child table, e.g. ``["Dynamic Link", "link_name", "=", x]``)
  or the dict form ``{field: value}`` / ``{field: [op, value]}``. Operators: ``= != < > <= >=
  like, not like, in, not in, is (set / not set), between``. Text compares case-insensitively
  (MariaDB's collation), timestamps as timestamps, numbers as numbers; a missing value counts as
  ``""`` as Frappe's ``ifnull`` makes it.
- ``order_by``: ``"modified asc, name asc"`` (several keys, asc/desc, optional ```tabX`.``
  prefix); the default is the doctype's sort field, descending. Rows equal on every key come back
  in an order that may differ between requests, like a database's: page with a unique last key.
- ``limit_start``, ``limit_page_length`` (default 20, ``0`` = no limit), ``limit`` as an alias.
"""

from __future__ import annotations

import itertools
import json
import operator
import random
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, Callable, Iterable, Mapping

from .clock import parse_timestamp
from .doctypes import CHECK, DATETIME, DOCTYPES, FLOAT, INT, TABLE, DocType
from .errors import FrappeError, validation

OPERATORS = ("=", "!=", "<", ">", "<=", ">=", "like", "not like", "in", "not in", "is", "between")
DEFAULT_PAGE_LENGTH = 20

_FIELD_RE = re.compile(r"^(?:`?tab(?P<doctype>[^`.]+)`?\.)?`?(?P<field>[A-Za-z_][\w]*|\*)`?"
                       r"(?:\s+as\s+`?(?P<alias>\w+)`?)?$", re.IGNORECASE)
_ORDER_RE = re.compile(r"^(?:`?tab(?P<doctype>[^`.]+)`?\.)?`?(?P<field>[A-Za-z_]\w*)`?(?:\s+(?P<dir>asc|desc))?$",
                       re.IGNORECASE)


@dataclass(frozen=True)
class FieldRef:
    doctype: str
    field: str
    alias: str


@dataclass(frozen=True)
class Condition:
    doctype: str
    field: str
    op: str
    value: Any


@dataclass(frozen=True)
class OrderKey:
    doctype: str
    field: str
    descending: bool


@dataclass
class ListQuery:
    doctype: str
    fields: list[FieldRef]
    filters: list[Condition]
    or_filters: list[Condition]
    order_by: list[OrderKey]
    start: int
    page_length: int | None  # None: every row
    as_dict: bool = True

    def describe(self) -> dict[str, Any]:
        """A JSON-ready summary (what the simulator's query log keeps)."""
        return {
            "doctype": self.doctype,
            "fields": [f"{ref.doctype}.{ref.field}" if ref.doctype != self.doctype else ref.field
                       for ref in self.fields],
            "filters": [[c.doctype, c.field, c.op, c.value] for c in self.filters],
            "or_filters": [[c.doctype, c.field, c.op, c.value] for c in self.or_filters],
            "order_by": ", ".join(f"{k.field} {'desc' if k.descending else 'asc'}" for k in self.order_by),
            "limit_start": self.start,
            "limit_page_length": self.page_length or 0,
        }


def data_error(message: str) -> FrappeError:
    return FrappeError("DataError", message)


# --- parsing ----------------------------------------------------------------------------------


def parse_list_query(doctype: str, params: Mapping[str, Any], *, default_page_length: int = DEFAULT_PAGE_LENGTH
                     ) -> ListQuery:
    meta = DOCTYPES[doctype]
    fields = parse_fields(meta, params.get("fields"))
    filters = parse_filters(meta, params.get("filters"))
    or_filters = parse_filters(meta, params.get("or_filters"))
    order_by = parse_order_by(meta, params.get("order_by"))
    start = _int(params.get("limit_start") or params.get("start") or 0, "limit_start")
    if params.get("limit_page_length") not in (None, ""):
        length = _int(params["limit_page_length"], "limit_page_length")
    elif params.get("limit") not in (None, "") and _int(params["limit"], "limit"):
        length = _int(params["limit"], "limit")  # limit=0 counts as "not given": the default applies (§2.2)
    else:
        length = default_page_length
    as_dict = str(params.get("as_dict", "true")).strip().lower() not in ("0", "false", "no")
    return ListQuery(doctype, fields, filters, or_filters, order_by, max(0, start), length or None, as_dict)


def parse_fields(meta: DocType, raw: Any) -> list[FieldRef]:
    items = _json_value(raw, "fields") if raw not in (None, "") else ["name"]
    if isinstance(items, str):
        items = [items]
    if not isinstance(items, list) or not items:
        raise data_error("fields must be a list of field names")
    refs: list[FieldRef] = []
    for item in items:
        match = _FIELD_RE.match(str(item).strip())
        if not match:
            raise data_error(f"Field not permitted in query: {item}")
        target = _target_doctype(meta, match["doctype"])
        field = match["field"]
        if field == "*":
            if target.name != meta.name:
                raise data_error(f"Field not permitted in query: {item}")
            refs.extend(FieldRef(meta.name, name, name) for name in all_columns(meta))
            continue
        if not target.has_column(field):
            raise data_error(f"Field not permitted in query: {item}")
        refs.append(FieldRef(target.name, field, match["alias"] or field))
    return refs


def parse_filters(meta: DocType, raw: Any) -> list[Condition]:
    if raw in (None, "", [], {}):
        return []
    value = _json_value(raw, "filters")
    conditions: list[Condition] = []
    if isinstance(value, dict):
        for field, spec in value.items():
            if isinstance(spec, (list, tuple)) and spec and isinstance(spec[0], str) and spec[0].lower() in OPERATORS:
                conditions.append(_condition(meta, meta.name, field, spec[0], spec[1] if len(spec) > 1 else None))
            else:
                conditions.append(_condition(meta, meta.name, field, "=", spec))
        return conditions
    if not isinstance(value, list):
        raise validation("filters must be a list or an object")
    for item in value:
        if not isinstance(item, (list, tuple)):
            raise validation(f"Filter must be a list: {item!r}")
        if len(item) == 3:
            conditions.append(_condition(meta, meta.name, *item))
        elif len(item) >= 4:
            conditions.append(_condition(meta, *item[:4]))
        else:
            raise validation(f"Filter must have 4 values (doctype, fieldname, operator, value): {list(item)}")
    return conditions


def parse_order_by(meta: DocType, raw: Any) -> list[OrderKey]:
    text = str(raw).strip() if raw not in (None, "") else f"{meta.sort_field} {meta.sort_order}"
    keys = []
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        match = _ORDER_RE.match(part)
        if not match:
            raise data_error(f"Invalid order_by: {part}")
        target = _target_doctype(meta, match["doctype"])
        if not target.has_column(match["field"]):
            raise data_error(f"Field not permitted in query: {match['field']}")
        keys.append(OrderKey(target.name, match["field"], (match["dir"] or "asc").lower() == "desc"))
    return keys


def all_columns(meta: DocType) -> list[str]:
    standard = ["name", "owner", "creation", "modified", "modified_by", "docstatus", "idx"]
    return standard + [name for name, f in meta.fields.items() if f.type != TABLE]


def _condition(meta: DocType, doctype: str, field: Any, op: Any, value: Any) -> Condition:
    target = _target_doctype(meta, doctype)
    if not isinstance(field, str) or not target.has_column(field):
        raise data_error(f"Field not permitted in query: {field}")
    operator = str(op).strip().lower()
    if operator == "==":
        operator = "="
    if operator not in OPERATORS:
        raise validation(f"Operator must be one of {', '.join(OPERATORS)}")
    if operator in ("in", "not in") and isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    if operator == "between" and (not isinstance(value, (list, tuple)) or len(value) != 2):
        raise validation("between needs a list of two values")
    return Condition(target.name, field, operator, value)


def _target_doctype(meta: DocType, name: str | None) -> DocType:
    if not name or name == meta.name:
        return meta
    if name in meta.tables.values():
        return DOCTYPES[name]
    raise data_error(f"{name} is not a child table of {meta.name}")


def _json_value(raw: Any, what: str) -> Any:
    if isinstance(raw, (list, dict)):
        return raw
    text = str(raw).strip()
    if not text.startswith(("[", "{", '"')):
        return text
    try:
        return json.loads(text)
    except ValueError:
        raise validation(f"{what} is not valid JSON") from None


def _int(value: Any, what: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise validation(f"{what} must be an integer") from None


# --- running ----------------------------------------------------------------------------------

Row = tuple[dict[str, Any], tuple[dict[str, Any] | None, ...]]  # (parent doc, joined child rows)


class QueryRunner:
    def __init__(self, docs: Iterable[dict[str, Any]], rng: random.Random | None = None,
                 lookup: Callable[[Any], dict[str, Any] | None] | None = None) -> None:
        """``lookup(name)`` finds one document by name (case-insensitively), for ``name in`` filters."""
        self.docs = list(docs)
        self.rng = rng
        self.lookup = lookup

    def matches(self, query: ListQuery, *, joined_output: bool) -> list[Row]:
        meta = DOCTYPES[query.doctype]
        child_doctypes = _child_doctypes(query)
        child_fields = {dt: [name for name, child in meta.tables.items() if child == dt] for dt in child_doctypes}
        index = {dt: i for i, dt in enumerate(child_doctypes)}
        filters = [_compile(c, index) for c in query.filters]
        or_filters = [_compile(c, index) for c in query.or_filters]
        result: list[Row] = []
        for doc in self._candidates(query):
            options = [[row for field in child_fields[dt] for row in doc.get(field) or []] or [None]
                       for dt in child_doctypes]
            seen_parent = False
            for combo in itertools.product(*options) if options else [()]:
                if not all(test(doc, combo) for test in filters):
                    continue
                if or_filters and not any(test(doc, combo) for test in or_filters):
                    continue
                if not joined_output and seen_parent:
                    break
                result.append((doc, combo))
                seen_parent = True
        return result

    def _candidates(self, query: ListQuery) -> Iterable[dict[str, Any]]:
        """Every document, or only those a ``name in [...]`` filter names (found by index)."""
        if self.lookup is not None:
            for condition in query.filters:
                if condition.doctype == query.doctype and condition.field == "name" and condition.op == "in":
                    wanted = condition.value if isinstance(condition.value, (list, tuple)) else [condition.value]
                    found = {}
                    for value in wanted:
                        doc = self.lookup(value)
                        if doc is not None:
                            found[doc["name"]] = doc
                    return list(found.values())
        return self.docs

    def rows(self, query: ListQuery, tie_order: str = "random") -> list[Any]:
        meta = DOCTYPES[query.doctype]
        joined_output = any(ref.doctype != meta.name for ref in query.fields)
        found = self.matches(query, joined_output=joined_output)
        index = {dt: i for i, dt in enumerate(_child_doctypes(query))}
        unique_key = any(k.field == "name" and k.doctype == meta.name for k in query.order_by)
        if tie_order == "random" and not unique_key and self.rng is not None:
            self.rng.shuffle(found)
        for key in reversed(query.order_by):
            kind = _kind(key.doctype, key.field)
            found.sort(key=lambda row, key=key, kind=kind: _sort_value(
                _value(row[0], row[1], index, key.doctype, key.field), kind), reverse=key.descending)
        end = None if query.page_length is None else query.start + query.page_length
        page = found[query.start:end]
        out = []
        for doc, combo in page:
            values = {ref.alias: _value(doc, combo, index, ref.doctype, ref.field) for ref in query.fields}
            out.append(values if query.as_dict else list(values.values()))
        return out

    def count(self, query: ListQuery) -> int:
        return len({doc["name"] for doc, _ in self.matches(query, joined_output=False)})


def _child_doctypes(query: ListQuery) -> list[str]:
    referenced = ({c.doctype for c in query.filters + query.or_filters} | {ref.doctype for ref in query.fields}
                  | {k.doctype for k in query.order_by})
    return sorted(referenced - {query.doctype})


def _value(doc: dict[str, Any], combo: tuple, index: dict[str, int], doctype: str, field: str) -> Any:
    if doctype == doc["doctype"]:
        return doc.get(field)
    row = combo[index[doctype]]
    return row.get(field) if row is not None else None


def _kind(doctype: str, field: str) -> str:
    if field in ("creation", "modified"):
        return "datetime"
    if field in ("docstatus", "idx"):
        return "number"
    f = DOCTYPES[doctype].fields.get(field)
    if f is None:
        return "text"
    if f.type == DATETIME:
        return "datetime"
    if f.type in (CHECK, INT, FLOAT):
        return "number"
    return "text"


@lru_cache(maxsize=131072)
def _cached_timestamp(text: str) -> datetime:
    return parse_timestamp(text)


def _coerce(value: Any, kind: str) -> Any:
    if kind == "datetime":
        if value in (None, ""):
            return datetime.min
        if isinstance(value, datetime):
            return value
        try:
            return _cached_timestamp(str(value))
        except ValueError:
            raise validation(f"{value!r} is not a valid date or time") from None
    if kind == "number":
        if value in (None, ""):
            return 0.0
        try:
            return float(value)
        except (TypeError, ValueError):
            raise validation(f"{value!r} is not a number") from None
    return "" if value is None else str(value).casefold().rstrip()


def _sort_value(value: Any, kind: str) -> Any:
    return _coerce(value, kind)


def _like(pattern: str) -> re.Pattern[str]:
    regex = "".join(".*" if ch == "%" else "." if ch == "_" else re.escape(ch) for ch in pattern)
    return re.compile(f"^{regex}$", re.IGNORECASE | re.DOTALL)


def _compile(condition: Condition, index: dict[str, int]) -> Callable[[dict[str, Any], tuple], bool]:
    """A predicate ``(doc, joined rows) -> bool`` with the wanted value coerced once."""
    kind = _kind(condition.doctype, condition.field)
    op, wanted, field = condition.op, condition.value, condition.field
    position = index.get(condition.doctype)

    def actual_of(doc: dict[str, Any], combo: tuple) -> tuple[bool, Any]:
        if position is None:
            return True, doc.get(field)
        row = combo[position]
        return (False, None) if row is None else (True, row.get(field))  # no child row: NULL never matches

    if op == "is":
        want_set = str(wanted).lower() == "set"
        return lambda doc, combo: (lambda found, value: found and (value not in (None, "")) == want_set)(
            *actual_of(doc, combo))
    if op in ("like", "not like"):
        pattern, positive = _like(str(wanted or "")), op == "like"
        return lambda doc, combo: (lambda found, value: found and bool(
            pattern.match("" if value is None else str(value))) == positive)(*actual_of(doc, combo))
    if op in ("in", "not in"):
        values = wanted if isinstance(wanted, (list, tuple)) else [wanted]
        wanted_set, positive = {_coerce(v, kind) for v in values}, op == "in"
        return lambda doc, combo: (lambda found, value: found and (_coerce(value, kind) in wanted_set) == positive)(
            *actual_of(doc, combo))
    if op == "between":
        low, high = (_coerce(v, kind) for v in wanted)
        if kind == "datetime" and isinstance(wanted[1], str) and len(wanted[1].strip()) <= 10:
            high += timedelta(days=1) - timedelta(microseconds=1)  # a date includes its whole day
        return lambda doc, combo: (lambda found, value: found and low <= _coerce(value, kind) <= high)(
            *actual_of(doc, combo))
    right = _coerce(wanted, kind)
    compare = {"=": operator.eq, "!=": operator.ne, "<": operator.lt, ">": operator.gt, "<=": operator.le,
               ">=": operator.ge}[op]
    return lambda doc, combo: (lambda found, value: found and compare(_coerce(value, kind), right))(
        *actual_of(doc, combo))
