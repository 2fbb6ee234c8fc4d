"""Import and export of the directory as Open Referral HSDS 3.0: JSON (one service document, a
list of them, or an API page whose `contents` lists them) and the CSV data package (one file per
table, schema/datapackage.json).

An import reads the whole file into flat records (`read`), checks it against the HSDS schema and
CareCoord's rules and works out what it would add, change and remove (`plan_import`), and only
then, if asked and if nothing is wrong, writes it in one transaction (`apply_plan`). A problem
names the file, the record (its id, or its CSV row) and the field; one problem and nothing is
written.

Whose directory an import is: the statewide one (kept by the hub) or one center's local
entries (`center`). The file is that keeper's whole directory: what the keeper has and the file
lacks is removed, unless something that stays still uses it (another center's service at a
statewide location); with `keep_others`, only what hangs under the file's records and is no
longer listed is removed. A record the file shares with another keeper (a statewide
organization embedded in a local service) must be exactly as that keeper has it.

An export writes one keeper's directory with what it points at, so importing it gives the same
records back: "the same as data" means the same records with the same fields, wherever the
nesting puts them, whether or not a link the nesting implies is also written out, in any order
(`as_data`). The CSV form carries every record; the JSON form carries what hangs from the
services (an organization without services has no place in a list of services)."""

import csv
import datetime
import json
import re
import shutil
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from django.db import models, transaction
from django.db.models import F

from carecoord.accounts.models import Center
from carecoord.audit.models import Action
from carecoord.audit.services import record_event

from . import schema, taxonomy
from .derived import Derivations, refresh_search_columns
from .models import HSDS_MODELS, Attribute, Language, Service, attname

AUDIT_OBJECT_TYPE = "directory.hsds_import"
CHUNK = 500
PAGE_KEYS = {"total_items", "total_pages", "page_number", "size", "first_page", "last_page",
             "empty", "contents"}
# Links that may point at a record another keeper keeps: a local service of a statewide
# organization or program, a local service at a statewide location, any taxonomy term. Every
# other link says what a record hangs under, and both must have the same keeper.
SHARED_LINKS = {("service", "organization_id"), ("service", "program_id"),
                ("location", "organization_id"), ("service_at_location", "location_id"),
                ("attribute", "taxonomy_term_id"), ("taxonomy_term", "taxonomy_id")}
# Where a record with several links sits in a JSON export: the first of these it has.
PLACEMENT = {
    "phone": ("contact_id", "service_at_location_id", "service_id", "location_id",
              "organization_id"),
    "contact": ("service_at_location_id", "service_id", "location_id", "organization_id"),
    "schedule": ("service_at_location_id", "service_id", "location_id"),
    "language": ("phone_id", "service_id", "location_id"),
    "funding": ("service_id", "organization_id"),
}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")


# ---------------------------------------------------------------- problems and records


@dataclass(frozen=True)
class Problem:
    """Something that stops an import: where (file, record, JSON pointer) and what."""

    file: str
    record: str
    message: str
    field: str = ""
    pointer: str = ""
    keyword: str = ""

    def __str__(self):
        where = f"{self.file}, {self.record}"
        if self.field:
            where += f", field {self.field}"
        at = f" (at {self.pointer})" if self.pointer else ""
        return f"{where}: {self.message}{at}"


@dataclass
class Record:
    """One HSDS record, flat: its own fields with the links its nesting implied filled in,
    values as Python values (text, numbers, dates); where it came from: its file, a label
    ("service 7523…", "row 4 (id …)") and, in JSON, its pointer."""

    table: str
    id: str
    fields: dict
    file: str
    label: str
    pointer: str = ""

    @property
    def place(self) -> str:
        return f"{self.file} {self.label}" + (f" at {self.pointer}" if self.pointer else "")


class Dataset:
    """The records of one file, by table and id, and what was wrong with it."""

    def __init__(self, name: str):
        self.name = name
        self.records: dict[str, dict[str, Record]] = {t: {} for t in schema.tables()}
        self.problems: list[Problem] = []
        self._top_services: dict[str, str] = {}

    def problem(self, file: str, record: str, message: str, **kwargs) -> None:
        self.problems.append(Problem(file=file, record=record, message=message, **kwargs))

    def flag(self, record: Record, message: str, **kwargs) -> None:
        """A problem with one record of the file."""
        kwargs.setdefault("pointer", record.pointer)
        self.problem(record.file, record.label, message, **kwargs)

    def add(self, record: Record, *, top: bool = False, unique: bool = False) -> None:
        """A record seen twice with the same fields is one record (an organization embedded in
        each of its services); with different fields, or a service listed twice, or a CSV row
        repeated, the id is a duplicate."""
        known = self.records[record.table].get(record.id)
        if top and record.id in self._top_services:
            self.flag(record, f"duplicate id: {self._top_services[record.id]} is another "
                      "service with the same id", field="id", keyword="duplicate_id")
            return
        if top:
            self._top_services[record.id] = record.place
        if known is None:
            self.records[record.table][record.id] = record
        elif unique or known.fields != record.fields:
            differs = sorted(k for k in set(known.fields) | set(record.fields)
                             if known.fields.get(k) != record.fields.get(k))
            detail = f" (they differ in {', '.join(differs)})" if differs else ""
            self.flag(record, f"duplicate id: {known.place} is another {record.table} with the "
                      f"same id{detail}", field="id", keyword="duplicate_id")

    def count(self) -> Counter:
        return Counter({table: len(rows) for table, rows in self.records.items() if rows})

    def as_data(self) -> dict[str, dict[str, dict]]:
        """Table → id → fields: what "the same data" compares."""
        return {table: {rid: dict(rec.fields) for rid, rec in rows.items()}
                for table, rows in self.records.items() if rows}


def _links(table: str, fields: dict):
    """(field, target table, target id) of every link a record has."""
    if table == "attribute":
        if fields.get("link_id"):
            yield "link_id", fields.get("link_entity"), fields["link_id"]
    elif table == "metadata":
        if fields.get("resource_id"):
            yield "resource_id", fields.get("resource_type"), fields["resource_id"]
    for name, target in schema.tables()[table].references.items():
        if fields.get(name):
            yield name, target, fields[name]


def _owner_links(table: str, fields: dict):
    return ((name, target, rid) for name, target, rid in _links(table, fields)
            if (table, name) not in SHARED_LINKS)


@cache
def _max_lengths() -> dict[str, dict[str, int]]:
    lengths = defaultdict(dict)
    for table, model in HSDS_MODELS.items():
        for name in schema.tables()[table].fields:
            column = model._meta.get_field(_field_name(model, table, name))
            if isinstance(column, models.CharField) and not column.is_relation:
                lengths[table][name] = column.max_length
    return dict(lengths)


def _field_name(model, table: str, name: str) -> str:
    wanted = attname(table, name)
    for column in model._meta.concrete_fields:
        if column.attname == wanted:
            return column.name
    raise LookupError(f"{model._meta.label} has no column for HSDS {table}.{name}")


def _typed(ds: Dataset, table: str, fields: dict, file: str, where: str, pointer: str) -> dict:
    """Dates become dates (YYYY-MM-DD only, as the datapackage's `date` type says); text must
    fit the columns CareCoord keeps it in."""
    types = schema.tables()[table].types
    lengths = _max_lengths().get(table, {})
    for name, value in list(fields.items()):
        at = f"{pointer}/{name}" if pointer is not None else ""
        if types[name] == "date" and isinstance(value, str):
            try:
                if not _DATE.match(value):
                    raise ValueError
                fields[name] = datetime.date.fromisoformat(value)
            except ValueError:
                ds.problem(file, where, f"{value!r} is not a date (YYYY-MM-DD)", field=name,
                           pointer=at, keyword="format")
        elif name in lengths and isinstance(value, str) and len(value) > lengths[name]:
            ds.problem(file, where, f"{len(value)} characters: CareCoord keeps at most "
                       f"{lengths[name]}", field=name, pointer=at, keyword="maxLength")
    return fields


# ---------------------------------------------------------------- reading JSON


def _pointer(path) -> str:
    return "".join("/" + str(part).replace("~", "~0").replace("/", "~1") for part in path)


def _record_at(doc, path) -> tuple[str, object]:
    """The innermost HSDS record on a JSON path: (table, its id)."""
    table, node = "service", doc
    rid = node.get("id") if isinstance(node, dict) else None
    i = 0
    while i < len(path) and isinstance(node, dict):
        key, spec = path[i], schema.tables()[table]
        if (key in spec.many and i + 1 < len(path) and isinstance(node.get(key), list)
                and isinstance(path[i + 1], int) and path[i + 1] < len(node[key])
                and isinstance(node[key][path[i + 1]], dict)):
            table, node, i = spec.many[key], node[key][path[i + 1]], i + 2
        elif key in spec.one and isinstance(node.get(key), dict):
            table, node, i = spec.one[key], node[key], i + 1
        else:
            break
        rid = node.get("id")
    return table, rid


def _error_field(error, path) -> str:
    if error.validator == "required":
        for name in error.validator_value:
            if error.message == f"{name!r} is a required property":
                return name
    strings = [part for part in path if isinstance(part, str)]
    return strings[-1] if strings and error.validator != "additionalProperties" else ""


def _describe(table: str, rid) -> str:
    if isinstance(rid, str):
        return f"{table} {rid}"
    return f"{table} without a usable id" if rid is not None else table


def _validate_document(ds: Dataset, file: str, doc, prefix: list) -> bool:
    errors = sorted(schema.validator("service").iter_errors(doc),
                    key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        path = list(error.absolute_path)
        table, rid = _record_at(doc, path)
        ds.problem(file, _describe(table, rid), error.message,
                   field=_error_field(error, path), pointer=_pointer(prefix + path) or "/",
                   keyword=str(error.validator))
    return not errors


def _agree(ds, fields, name, value, file, where, pointer, how):
    """A link the nesting implies: filled in, or checked against what the record says."""
    given = fields.get(name)
    if given is not None and given != value:
        ds.problem(file, where, f"is {given!r}, but {how} makes it {value!r}", field=name,
                   pointer=f"{pointer}/{name}", keyword="link")
    fields[name] = value


def _flatten(ds: Dataset, table: str, doc: dict, pointer: str, file: str, implied: dict,
             *, parent: str = "", top: bool = False) -> None:
    spec = schema.tables()[table]
    rid = doc["id"]
    where = f"{table} {rid}"
    fields = {name: doc[name] for name in spec.fields if name in doc}
    for key, child in spec.one.items():
        if key in doc:
            _agree(ds, fields, schema.ONE_TO_ONE_LINK[key], doc[key]["id"], file, where,
                   pointer, f"the {key} embedded in it")
    for name, value in implied.items():
        _agree(ds, fields, name, value, file, where, pointer, f"its place in {parent}")
    ds.add(Record(table, rid, _typed(ds, table, fields, file, where, pointer), file, where,
                  pointer or "/"), top=top)
    for key, child in spec.one.items():
        if key in doc:
            _flatten(ds, child, doc[key], f"{pointer}/{key}", file, {})
    for key, child in spec.many.items():
        for index, item in enumerate(doc.get(key, ())):
            if child == "attribute":
                links = {"link_id": rid, "link_entity": table}
            elif child == "metadata":
                links = {"resource_id": rid, "resource_type": table}
            else:
                links = {f"{table}_id": rid}
            _flatten(ds, child, item, f"{pointer}/{key}/{index}", file, links, parent=where)


def _reject_constant(name):
    raise ValueError(f"{name} is not a JSON number")


def read_json(path) -> Dataset:
    path = Path(path)
    file = path.name
    try:
        doc = json.loads(path.read_text(encoding="utf-8-sig"), parse_constant=_reject_constant)
    except json.JSONDecodeError as error:
        ds = Dataset(file)
        ds.problem(file, f"line {error.lineno}, column {error.colno}",
                   f"not valid JSON: {error.msg}", keyword="json")
        return ds
    except (UnicodeDecodeError, ValueError) as error:
        ds = Dataset(file)
        ds.problem(file, "the whole file", f"not valid JSON: {error}", keyword="json")
        return ds
    return read_documents(doc, file)


def read_documents(doc, file: str) -> Dataset:
    """HSDS JSON already parsed: a service document, a list of them, or an API page."""
    ds = Dataset(file)
    if isinstance(doc, list):
        documents = [([index], item) for index, item in enumerate(doc)]
    elif isinstance(doc, dict) and "contents" in doc:
        unexpected = sorted(set(doc) - PAGE_KEYS)
        if unexpected or not isinstance(doc["contents"], list):
            ds.problem(file, "the page", "an HSDS API page has `contents` (a list of "
                       "services) and the page counts only; unexpected: "
                       + (", ".join(unexpected) or "contents is not a list"), keyword="page")
            return ds
        if isinstance(doc.get("total_pages"), int) and doc["total_pages"] > 1:
            ds.problem(file, "the page", f"this is page {doc.get('page_number', '?')} of "
                       f"{doc['total_pages']}: import a file with every service, or the "
                       "services of the other pages would be removed", keyword="page")
            return ds
        documents = [(["contents", index], item) for index, item in enumerate(doc["contents"])]
    elif isinstance(doc, dict):
        documents = [([], doc)]
    else:
        ds.problem(file, "the whole file", "expected a service, a list of services or an HSDS "
                   "API page", keyword="type")
        return ds
    for prefix, document in documents:
        if _validate_document(ds, file, document, prefix):
            _flatten(ds, "service", document, _pointer(prefix), file, {}, top=True)
    return ds


# ---------------------------------------------------------------- reading CSV


def _from_text(kind: str, text: str):
    """A CSV cell as the datapackage types it: numbers become numbers (or stay text, for the
    schema to refuse by name), everything else stays text."""
    if kind == "number":
        if _INTEGER.match(text):
            return int(text)
        try:
            number = float(text)
        except ValueError:
            return text
        return number if number == number and abs(number) != float("inf") else text
    return text


def _validate_row(ds: Dataset, file: str, where: str, table: str, values: dict) -> bool:
    errors = sorted(schema.validator(table).iter_errors(values),
                    key=lambda e: [str(p) for p in e.absolute_path])
    for error in errors:
        ds.problem(file, where, error.message, field=_error_field(error, list(
            error.absolute_path)), keyword=str(error.validator))
    return not errors


def read_csv(path) -> Dataset:
    folder = Path(path)
    if folder.is_file():
        folder = folder.parent
    ds = Dataset(folder.name)
    by_file = {spec.csv: spec for spec in schema.tables().values()}
    for extra in sorted(p.name for p in folder.glob("*.csv") if p.name not in by_file):
        ds.problem(f"{folder.name}/{extra}", "the whole file", "not a table of HSDS 3.0 (see "
                   "datapackage.json for the file names)", keyword="csv")
    for spec in schema.tables().values():
        path = folder / spec.csv
        if path.exists():
            _read_table(ds, spec, path, f"{folder.name}/{spec.csv}")
    return ds


def _read_table(ds: Dataset, spec: schema.Table, path: Path, file: str) -> None:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.reader(handle)
        header = next(reader, None)
        if header is None:
            return
        unknown = [name for name in header if name not in spec.fields]
        repeated = sorted({name for name in header if header.count(name) > 1})
        for name in unknown:
            ds.problem(file, "header", f"{name!r} is not a field of {spec.name} in HSDS 3.0",
                       field=name, keyword="additionalProperties")
        for name in repeated:
            ds.problem(file, "header", "the column appears twice", field=name, keyword="csv")
        if unknown or repeated:
            return
        for number, cells in enumerate(reader, start=2):
            if not any(cells):
                continue
            if len(cells) > len(header):
                ds.problem(file, f"row {number}", f"{len(cells)} cells for {len(header)} "
                           "columns", keyword="csv")
                continue
            values = {name: _from_text(spec.types[name], text)
                      for name, text in zip(header, cells) if text != ""}
            rid = values.get("id")
            where = f"row {number}" + (f" (id {rid})" if isinstance(rid, str) else "")
            if _validate_row(ds, file, where, spec.name, values):
                ds.add(Record(spec.name, rid, _typed(ds, spec.name, values, file, where, None),
                              file, where), unique=True)


def read(path) -> Dataset:
    """A JSON file, or a folder of CSV files (or its datapackage.json, or one of its files)."""
    path = Path(path)
    if path.is_dir() or (path.exists() and (path.name == "datapackage.json"
                                            or path.suffix.lower() == ".csv")):
        return read_csv(path)
    if not path.exists():
        ds = Dataset(path.name)
        ds.problem(path.name, "the whole file", "no such file or folder", keyword="file")
        return ds
    return read_json(path)


def validate_records(ds: Dataset) -> None:
    """Check records built in code (the demo) against the schema, as a CSV row would be."""
    for table, rows in ds.records.items():
        for rec in rows.values():
            _validate_row(ds, rec.file, rec.label, table, _jsonable(rec.fields))


# ---------------------------------------------------------------- planning an import


def _center_names() -> dict[int, str]:
    return dict(Center.objects.values_list("pk", "short_name"))


def keeper_label(center_id, names: dict | None = None) -> str:
    """Whose directory: "the statewide directory (kept by the hub)", "Eastern's local
    entries"."""
    if center_id is None:
        return "the statewide directory (kept by the hub)"
    return f"{(names or _center_names())[center_id]}'s local entries"


def _kept_by(center_id, names: dict) -> str:
    return "the hub (statewide)" if center_id is None else f"{names[center_id]} (local)"


@dataclass
class Plan:
    """What an import would do, or did."""

    dataset: Dataset
    center_id: int | None
    keeper: str
    keep_others: bool = False
    add: dict[str, list[Record]] = field(default_factory=lambda: defaultdict(list))
    change: dict[str, list[tuple[Record, list[str]]]] = field(
        default_factory=lambda: defaultdict(list))
    unchanged: Counter = field(default_factory=Counter)
    remove: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    kept: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    shared: dict[tuple[str, str], int | None] = field(default_factory=dict)
    removed_names: dict[str, str] = field(default_factory=dict)
    committed: bool = False

    @property
    def problems(self) -> list[Problem]:
        return self.dataset.problems

    @property
    def ok(self) -> bool:
        return not self.problems

    def counts(self) -> dict[str, dict[str, int]]:
        return {
            "add": {t: len(rows) for t, rows in self.add.items() if rows},
            "change": {t: len(rows) for t, rows in self.change.items() if rows},
            "remove": {t: len(rows) for t, rows in self.remove.items() if rows},
        }

    def lines(self, limit: int = 50) -> list[str]:
        source = self.dataset.name
        if self.problems:
            head = [f"HSDS import of {source}: {len(self.problems)} problem"
                    f"{'s' if len(self.problems) != 1 else ''}, nothing written."]
            shown = [f"  {problem}" for problem in self.problems[:limit]]
            more = len(self.problems) - limit
            return head + shown + ([f"  … and {more} more"] if more > 0 else [])
        mode = "written" if self.committed else "dry run, nothing written"
        verb = "" if self.committed else "would "
        counts = self.counts()
        lines = [f"HSDS import of {source} into {self.keeper} ({mode}):"]
        for key, label in (("add", "add"), ("change", "change"), ("remove", "remove")):
            lines.append(f"  {verb}{label}: {_counted(counts[key]) or 'nothing'}")
        if self.unchanged:
            lines.append(f"  unchanged: {_counted(self.unchanged)}")
        if any(self.kept.values()):
            lines.append("  not removed, still used by what stays: "
                         + _counted({t: len(ids) for t, ids in self.kept.items() if ids}))
        if self.shared:
            lines.append(f"  shared with another keeper, left as it is: {len(self.shared)}")
        for title, entries in (
            ("services added", [_named(r) for r in self.add.get("service", ())]),
            ("services changed", [f"{_named(r)}: {', '.join(changed)}"
                                  for r, changed in self.change.get("service", ())]),
            ("services removed", [f"{self.removed_names.get(rid, '')} [{rid}]"
                                  for rid in self.remove.get("service", ())]),
        ):
            if entries:
                lines.append(f"  {title} ({len(entries)}):")
                lines += [f"    {entry}" for entry in sorted(entries)[:limit]]
                if len(entries) > limit:
                    lines.append(f"    … and {len(entries) - limit} more")
        if not self.committed:
            lines.append("Run again with --commit to apply it.")
        return lines


def _counted(counts) -> str:
    return ", ".join(f"{table} {count}" for table, count in counts.items() if count)


def _named(record: Record) -> str:
    return f"{record.fields.get('name', '')} [{record.id}]"


def _db_fields(table: str, row: dict) -> dict:
    return {name: row[attname(table, name)] for name in schema.tables()[table].fields
            if row.get(attname(table, name)) is not None}


def _fetch(table: str, ids, *, extra=("center_id",)) -> dict[str, dict]:
    """Rows of `ids` as {id: row} with the HSDS columns and `extra`."""
    model = HSDS_MODELS[table]
    columns = [attname(table, name) for name in schema.tables()[table].fields]
    ids = list(ids)
    rows = {}
    for start in range(0, len(ids), CHUNK):
        for row in model.objects.filter(pk__in=ids[start:start + CHUNK]).values(
                *columns, *extra):
            rows[row["id"]] = row
    return rows


def _column_values(table: str, column: str, values, *, extra=()) -> list[dict]:
    model = HSDS_MODELS[table]
    values = list(values)
    found = []
    for start in range(0, len(values), CHUNK):
        found += model.objects.filter(**{f"{column}__in": values[start:start + CHUNK]}).values(
            "id", column, *extra)
    return found


def _carecoord_taxonomy(ds: Dataset) -> None:
    """Terms of the CareCoord taxonomy are CareCoord's: a file may embed or name them, never
    change them. Those it names but neither it nor the directory has come from the data file."""
    ours = taxonomy.terms()
    for rec in list(ds.records["taxonomy_term"].values()):
        if not taxonomy.claims_carecoord(rec.fields):
            continue
        term = ours.get(rec.id)
        if term is None:
            ds.flag(rec, f"the CareCoord taxonomy has no term "
                    f"{rec.fields.get('code') or rec.id!r} (carecoord/directory/data/"
                    "carecoord_taxonomy.csv)", field="code", keyword="taxonomy")
            continue
        _same_as_ours(ds, rec, term.hsds(), "the CareCoord taxonomy")
    taxonomy_record = ds.records["taxonomy"].get(taxonomy.TAXONOMY_ID)
    if taxonomy_record:
        _same_as_ours(ds, taxonomy_record, taxonomy.TAXONOMY, "CareCoord")
    named = {rec.fields.get("taxonomy_term_id") for rec in ds.records["attribute"].values()}
    wanted = [ours[rid] for rid in sorted(named & set(ours))
              if rid not in ds.records["taxonomy_term"]]
    present = set(_fetch("taxonomy_term", [t.id for t in wanted]))
    for term in wanted:
        if term.id not in present:
            ds.add(Record("taxonomy_term", term.id, term.hsds(), "carecoord_taxonomy.csv",
                          f"term {term.code}"))
    if (taxonomy.TAXONOMY_ID not in ds.records["taxonomy"]
            and any(rec.fields.get("taxonomy_id") == taxonomy.TAXONOMY_ID
                    for rec in ds.records["taxonomy_term"].values())
            and not _fetch("taxonomy", [taxonomy.TAXONOMY_ID])):
        ds.add(Record("taxonomy", taxonomy.TAXONOMY_ID, dict(taxonomy.TAXONOMY),
                      "carecoord_taxonomy.csv", "the CareCoord taxonomy"))


def _same_as_ours(ds: Dataset, rec: Record, ours: dict, whose: str) -> None:
    differs = sorted(name for name, value in rec.fields.items() if ours.get(name) != value)
    if differs:
        ds.flag(rec, f"differs from {whose}'s own definition in {', '.join(differs)}: the "
                "CareCoord taxonomy cannot be changed by an import", field=differs[0],
                keyword="taxonomy")
    else:
        rec.fields = dict(ours)


def _why_required(name: str) -> str:
    if name in ("link_id", "link_entity"):
        return "it says which record the attribute describes"
    if name in ("resource_id", "resource_type"):
        return "it says which record the metadata is about"
    return f"it links the record to its {name.removesuffix('_id').replace('_', ' ')}"


def _is_carecoord(table: str, rid: str) -> bool:
    return (table == "taxonomy" and rid == taxonomy.TAXONOMY_ID) or (
        table == "taxonomy_term" and rid in taxonomy.terms())


def plan_import(ds: Dataset, *, center=None, keep_others: bool = False) -> Plan:
    """What importing `ds` as `center`'s local entries (None: the statewide directory) would
    add, change and remove, or the problems that stop it."""
    keeper = center.pk if center is not None else None
    names = _center_names()
    plan = Plan(dataset=ds, center_id=keeper, keeper=keeper_label(keeper, names),
                keep_others=keep_others)
    if ds.problems:
        return plan
    for table, rows in ds.records.items():
        required = schema.tables()[table].tabular_required
        for rec in rows.values():
            for name in required:
                if rec.fields.get(name) is None:
                    ds.flag(rec, f"{name!r} is a required property ({_why_required(name)})",
                            field=name, keyword="tabular_required")
    for rec in ds.records["service"].values():
        low, high = rec.fields.get("minimum_age"), rec.fields.get("maximum_age")
        if low is not None and high is not None and low > high:
            ds.flag(rec, f"is {high!r}, below the minimum_age {low!r}", field="maximum_age",
                    keyword="range")
    _carecoord_taxonomy(ds)
    if ds.problems:
        return plan
    existing = {table: _fetch(table, rows) for table, rows in ds.records.items() if rows}
    outside = _resolve_links(ds, existing)
    if ds.problems:
        return plan

    def keeper_of(table, rid):
        if _is_carecoord(table, rid):
            return None
        rec = ds.records[table].get(rid)
        if rec is not None:
            return plan.shared.get((table, rid), keeper)
        row = existing.get(table, {}).get(rid) or outside.get(table, {}).get(rid)
        return row["center_id"] if row else None

    for table, rows in ds.records.items():
        for rec in rows.values():
            row = existing.get(table, {}).get(rec.id)
            mine = keeper if not _is_carecoord(table, rec.id) else None
            if row is None or row["center_id"] == mine:
                continue
            differs = _differences(rec.fields, _db_fields(table, row))
            if differs:
                ds.flag(rec, f"is kept by {_kept_by(row['center_id'], names)}: an import into "
                        f"{plan.keeper} cannot change it (it differs in {', '.join(differs)})",
                        field=differs[0], keyword="keeper")
            else:
                plan.shared[(table, rec.id)] = row["center_id"]
    for table, rows in ds.records.items():
        for rec in rows.values():
            if (table, rec.id) in plan.shared or _is_carecoord(table, rec.id):
                continue
            for name, target, rid in _links(table, rec.fields):
                theirs = keeper_of(target, rid)
                if (table, name) in SHARED_LINKS:
                    if theirs is not None and theirs != keeper:
                        ds.flag(rec, f"points at {target} {rid}, a local entry of "
                                f"{names[theirs]}: only {names[theirs]}'s own entries may use "
                                "it", field=name, keyword="keeper")
                elif theirs != keeper:
                    ds.flag(rec, f"hangs under {target} {rid}, which {_kept_by(theirs, names)} "
                            "keeps: it can only be added or changed there", field=name,
                            keyword="keeper")
    if ds.problems:
        return plan
    for table, rows in ds.records.items():
        for rec in rows.values():
            if (table, rec.id) in plan.shared:
                plan.unchanged[table] += 1
                continue
            row = existing.get(table, {}).get(rec.id)
            if row is None:
                plan.add[table].append(rec)
            elif differs := _differences(rec.fields, _db_fields(table, row)):
                plan.change[table].append((rec, differs))
            else:
                plan.unchanged[table] += 1
    _plan_removals(plan, ds, keeper, keep_others)
    return plan


def _differences(mine: dict, theirs: dict) -> list[str]:
    return sorted(name for name in set(mine) | set(theirs) if mine.get(name) != theirs.get(name))


def _resolve_links(ds: Dataset, existing) -> dict[str, dict[str, dict]]:
    """Every link must reach a record of the file or of the directory. Returns the directory's
    records the file links to without containing them."""
    wanted = defaultdict(set)
    for table, rows in ds.records.items():
        for rec in rows.values():
            for name, target, rid in _links(table, rec.fields):
                if target not in schema.tables():
                    kind = "link_entity" if table == "attribute" else "resource_type"
                    ds.flag(rec, f"{target!r} is not an HSDS table", field=kind,
                            keyword="reference")
                elif rid not in ds.records[target]:
                    wanted[target].add(rid)
    outside = {target: _fetch(target, ids) for target, ids in wanted.items()}
    for table, rows in ds.records.items():
        for rec in rows.values():
            for name, target, rid in _links(table, rec.fields):
                if target not in schema.tables() or rid in ds.records[target] or \
                        rid in outside[target]:
                    continue
                if table == "attribute" and name == "taxonomy_term_id":
                    ds.flag(rec, f"{rid} is not a known taxonomy term: describe the term in "
                            "this file (taxonomy_term) or use a term of the CareCoord taxonomy",
                            field=name, keyword="taxonomy")
                else:
                    ds.flag(rec, f"{rid} is not a {target} of this file or of the directory",
                            field=name, keyword="reference")
    return outside


def _scope(model, keeper):
    return model.objects.filter(center__isnull=True) if keeper is None else \
        model.objects.filter(center_id=keeper)


def _plan_removals(plan: Plan, ds: Dataset, keeper, keep_others: bool) -> None:
    """What the keeper has and the file lacks goes, except what something staying still uses
    (and what hangs under that); with `keep_others`, only what hangs under the file's records."""
    listed = {table: set(rows) for table, rows in ds.records.items()}
    removal: dict[str, set] = {}
    if keep_others:
        removal = {table: set() for table in HSDS_MODELS}
        frontier = dict(listed)
        while any(frontier.values()):
            found = defaultdict(set)
            for table in HSDS_MODELS:
                for name, target in _owner_columns(table):
                    ids = frontier.get(target) or ()
                    if not ids:
                        continue
                    for row in _scoped_column_values(table, name, ids, keeper, target):
                        rid = row["id"]
                        if rid not in listed[table] and rid not in removal[table]:
                            found[table].add(rid)
            for table, ids in found.items():
                removal[table] |= ids
            frontier = found
    else:
        for table, model in HSDS_MODELS.items():
            ids = set(_scope(model, keeper).values_list("pk", flat=True)) - listed[table]
            removal[table] = {rid for rid in ids if not _is_carecoord(table, rid)}
    candidates = {table: set(ids) for table, ids in removal.items() if ids}
    if not candidates:
        return
    owners, referrers = defaultdict(dict), defaultdict(lambda: defaultdict(list))
    for table, ids in candidates.items():
        for rid, row in _fetch(table, ids, extra=()).items():
            fields = _db_fields(table, row)
            owners[table][rid] = [(target, oid) for _, target, oid in _owner_links(table, fields)]
    for target, ids in candidates.items():
        for source, column, kind in _incoming(target):
            for row in _column_values(source, column, ids, extra=(kind,) if kind else ()):
                if kind is None or row[kind] == target:
                    referrers[target][row[column]].append((source, row["id"]))
    used = defaultdict(set)
    for table, rows in ds.records.items():
        for rec in rows.values():
            for _, target, rid in _links(table, rec.fields):
                used[target].add(rid)
    changed = True
    while changed:
        changed = False
        for table, ids in candidates.items():
            for rid in list(ids):
                still_used = rid in used[table] or any(
                    sid not in candidates.get(source, ()) for source, sid in
                    referrers[table].get(rid, ()))
                under_staying = any(
                    oid not in listed.get(target, ()) and oid not in candidates.get(target, ())
                    for target, oid in owners[table].get(rid, ()))
                if still_used or under_staying:
                    ids.discard(rid)
                    plan.kept[table].append(rid)
                    changed = True
    for table in HSDS_MODELS:
        plan.remove[table] = sorted(candidates.get(table, ()))
    if plan.remove.get("service"):
        plan.removed_names = dict(HSDS_MODELS["service"].objects.filter(
            pk__in=plan.remove["service"]).values_list("pk", "name"))


def _owner_columns(table: str):
    """(column, table it points at) of the links a record hangs by."""
    if table == "attribute":
        return [("link_id", target) for target in schema.tables()]
    if table == "metadata":
        return [("resource_id", target) for target in schema.tables()]
    return [(name, target) for name, target in schema.tables()[table].references.items()
            if (table, name) not in SHARED_LINKS]


def _scoped_column_values(table, name, ids, keeper, target):
    model = HSDS_MODELS[table]
    column = attname(table, name)
    kind = {"attribute": "link_entity", "metadata": "resource_type"}.get(table)
    ids = list(ids)
    for start in range(0, len(ids), CHUNK):
        rows = _scope(model, keeper).filter(**{f"{column}__in": ids[start:start + CHUNK]})
        if kind:
            rows = rows.filter(**{kind: target})
        yield from rows.values("id")


@cache
def _incoming_links() -> dict[str, list[tuple[str, str, None]]]:
    incoming = defaultdict(list)
    for table, spec in schema.tables().items():
        for name, target in spec.references.items():
            incoming[target].append((table, attname(table, name), None))
    return dict(incoming)


def _incoming(target: str) -> list[tuple[str, str, str | None]]:
    """(table, column, the column naming the target table) of what may point at `target`."""
    return [*_incoming_links().get(target, ()), ("attribute", "link_id", "link_entity"),
            ("metadata", "resource_id", "resource_type")]


# ---------------------------------------------------------------- writing an import


def _columns(table: str, fields: dict, derivations: Derivations) -> dict:
    values = {attname(table, name): fields.get(name) for name in schema.tables()[table].fields}
    values.update(derivations.columns(table, fields))
    return values


def apply_plan(plan: Plan, *, audit: bool = True) -> Plan:
    """Write a plan without problems, in one transaction: new rows (parents first), changed
    rows, then removals (what hangs under first)."""
    if plan.problems:
        raise ValueError("A plan with problems is never written.")
    derivations = Derivations()
    with transaction.atomic():
        reindex = _services_to_reindex(plan)
        for table, model in HSDS_MODELS.items():
            new = []
            for rec in plan.add.get(table, ()):
                keeper = None if _is_carecoord(table, rec.id) else plan.center_id
                new.append(model(center_id=keeper, **_columns(table, rec.fields, derivations)))
            model.objects.bulk_create(new, batch_size=CHUNK)
            for rec, _ in plan.change.get(table, ()):
                values = _columns(table, rec.fields, derivations)
                values.pop("id")
                if table == "service":
                    values["version"] = F("version") + 1
                model.objects.filter(pk=rec.id).update(**values)
        for table, model in reversed(HSDS_MODELS.items()):
            ids = plan.remove.get(table, ())
            for start in range(0, len(ids), CHUNK):
                model.objects.filter(pk__in=ids[start:start + CHUNK]).delete()
        refresh_search_columns(reindex)
        if audit:
            record_event(action=Action.UPDATE, object_type=AUDIT_OBJECT_TYPE,
                         center_id=plan.center_id,
                         detail={"source": plan.dataset.name, **plan.counts()})
    plan.committed = True
    return plan


def _services_to_reindex(plan: Plan) -> set[str]:
    """The services whose search columns (derived.search_columns) a plan may change: its own,
    those of the organizations, programs and terms it changes, those its attributes and
    languages belong to or belonged to. Read before the plan is written, so a removed row
    still names its service."""
    def changed(table):
        return [rec.id for rec in plan.add.get(table, ())] + [
            rec.id for rec, _ in plan.change.get(table, ())]

    def touched(table):
        return [rec for rec in plan.add.get(table, ())] + [
            rec for rec, _ in plan.change.get(table, ())]

    found = set(changed("service"))
    found.update(rec.fields.get("link_id") for rec in touched("attribute")
                 if rec.fields.get("link_entity") == "service")
    found.update(rec.fields.get("service_id") for rec in touched("language"))
    before = [(Attribute, "pk", "link_id", "attribute"), (Language, "pk", "service_id",
                                                          "language")]
    lookups = [(model, column, [rec.id for rec, _ in plan.change.get(table, ())]
                + list(plan.remove.get(table, ())), value)
               for model, column, value, table in before]
    lookups += [(Attribute, "taxonomy_term_id", changed("taxonomy_term"), "link_id"),
                (Service, "organization_id", changed("organization"), "pk"),
                (Service, "program_id", changed("program"), "pk")]
    for model, column, ids, value in lookups:
        for start in range(0, len(ids), CHUNK):
            rows = model.objects.filter(**{f"{column}__in": ids[start:start + CHUNK]})
            if model is Attribute:
                rows = rows.filter(link_entity="service")
            found.update(rows.values_list(value, flat=True))
    found.discard(None)
    return found


def import_hsds(path, *, center=None, commit: bool = False, keep_others: bool = False) -> Plan:
    """Read, check and plan an import of `path`; write it when `commit` and nothing is wrong.
    The plan says what was (or would be) added, changed and removed, or what is wrong."""
    dataset = read(path)
    if not commit:
        return plan_import(dataset, center=center, keep_others=keep_others)
    with transaction.atomic():
        plan = plan_import(dataset, center=center, keep_others=keep_others)
        if plan.ok:
            apply_plan(plan)
    return plan


# ---------------------------------------------------------------- export


def _jsonable(fields: dict) -> dict:
    return {name: _json_value(value) for name, value in fields.items()}


def _json_value(value):
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def export_records(center=None) -> dict[str, dict[str, dict]]:
    """One keeper's records (table → id → HSDS fields) and, for a center, the statewide
    records its entries point at, with what hangs under those."""
    keeper = center.pk if center is not None else None
    records: dict[str, dict[str, dict]] = {table: {} for table in HSDS_MODELS}
    for table, model in HSDS_MODELS.items():
        columns = [attname(table, name) for name in schema.tables()[table].fields]
        for row in _scope(model, keeper).values(*columns).iterator(chunk_size=2000):
            records[table][row["id"]] = _db_fields(table, row)
    if keeper is None:
        return records  # statewide records never point at a center's local ones
    while True:
        wanted = defaultdict(set)
        for table, rows in records.items():
            for fields in rows.values():
                for _, target, rid in _links(table, fields):
                    if target in records and rid not in records[target]:
                        wanted[target].add(rid)
        # What hangs under a statewide record pointed at (an organization's phones) goes with
        # it, unless it also hangs under something this export does not carry.
        for table in HSDS_MODELS:
            hanging = set()
            for name, target in _owner_columns(table):
                column = attname(table, name)
                kind = {"attribute": "link_entity", "metadata": "resource_type"}.get(table)
                ids = list(records[target])
                for start in range(0, len(ids), CHUNK):
                    rows = HSDS_MODELS[table].objects.filter(
                        **{f"{column}__in": ids[start:start + CHUNK]})
                    if kind:
                        rows = rows.filter(**{kind: target})
                    hanging |= set(rows.values_list("pk", flat=True))
            hanging -= set(records[table])
            for rid, row in _fetch(table, hanging, extra=()).items():
                fields = _db_fields(table, row)
                if all(oid in records.get(target, ()) for _, target, oid in
                       _owner_links(table, fields)):
                    wanted[table].add(rid)
        if not any(wanted.values()):
            return records
        for table, ids in wanted.items():
            for rid, row in _fetch(table, ids, extra=()).items():
                records[table][rid] = _db_fields(table, row)


def service_documents(records: dict[str, dict[str, dict]]) -> list[dict]:
    """The services as HSDS JSON documents, each with what hangs from it nested (services by
    id; arrays by id)."""
    tables = schema.tables()
    at_sites = {fields["location_id"] for fields in records["service_at_location"].values()}
    placed = defaultdict(list)
    for table, rows in records.items():
        for rid, fields in rows.items():
            parent = _placement(table, fields, records, at_sites)
            if parent is not None:
                placed[parent].append(rid)
    cache_: dict[tuple[str, str], dict] = {}

    def document(table: str, rid: str) -> dict:
        if (table, rid) in cache_:
            return cache_[(table, rid)]
        spec = tables[table]
        doc = _jsonable(records[table][rid])
        for key, child in spec.one.items():
            linked = records[table][rid].get(schema.ONE_TO_ONE_LINK[key])
            if linked in records[child]:
                doc[key] = document(child, linked)
        for key, child in spec.many.items():
            ids = sorted(placed.get((table, rid, child), ()))
            if ids:
                doc[key] = [document(child, cid) for cid in ids]
        cache_[(table, rid)] = doc
        return doc

    return [document("service", rid) for rid in sorted(records["service"])]


def _placement(table: str, fields: dict, records, at_sites) -> tuple[str, str, str] | None:
    """(parent table, parent id, child table) of the array a record sits in, if any."""
    if table == "attribute":
        target = fields.get("link_entity")
        return (target, fields["link_id"], table) if fields.get("link_id") in records.get(
            target, {}) else None
    if table == "metadata":
        target = fields.get("resource_type")
        return (target, fields["resource_id"], table) if fields.get("resource_id") in \
            records.get(target, {}) else None
    if table == "location":
        if fields["id"] in at_sites or fields.get("organization_id") not in \
                records["organization"]:
            return None
        return ("organization", fields["organization_id"], table)
    spec = schema.tables()[table]
    order = PLACEMENT.get(table) or tuple(name for name in spec.references
                                          if (table, name) not in SHARED_LINKS)
    for name in order:
        target = spec.references[name]
        if fields.get(name) in records[target]:
            return (target, fields[name], table)
    return None


def export_json(path, *, center=None) -> int:
    """Write one keeper's services as a JSON list of HSDS service documents. Returns how many
    services were written."""
    documents = service_documents(export_records(center))
    with open(path, "w", encoding="utf-8") as handle:
        json.dump(documents, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
    return len(documents)


def _cell(value) -> str:
    value = _json_value(value)
    return "" if value is None else str(value)


def export_csv(folder, *, center=None) -> int:
    """Write one keeper's directory as the HSDS CSV data package (every table's file, with
    datapackage.json). Returns how many services were written."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    records = export_records(center)
    for table, spec in schema.tables().items():
        with open(folder / spec.csv, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(spec.fields)
            for rid in sorted(records[table]):
                fields = records[table][rid]
                writer.writerow([_cell(fields.get(name)) for name in spec.fields])
    shutil.copyfile(schema.DATAPACKAGE, folder / "datapackage.json")
    return len(records["service"])
