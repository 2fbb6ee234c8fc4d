"""The Title V export as files: the rows (CSV, JSON), the Form 5a counts, the measures, the
validation problems and the data dictionary. The management command and the analysts' page both
render through here, so a file downloaded from the page is byte for byte the command's.

Re-running for the same year, centers and data gives the same bytes: rows and problems are
sorted, JSON objects keep the fields' order, and nothing in a data file says when it was made
(the command's manifest does)."""

import csv
import io
import json
from dataclasses import dataclass

from . import coverage, selectors
from .deidentify import person_pseudo_id, pseudonym_key, zip3
from .fields import DICTIONARY_COLUMNS, Row, dictionary, fields_for
from .periods import FederalFiscalYear

ALL_CENTERS = "all-centers"
FILES = ("export.csv", "export.json", "counts.csv", "measures.csv", "problems.csv",
         "dictionary.csv", "dictionary.json")
CSV_FILES = ("export.csv", "counts.csv", "measures.csv", "problems.csv", "dictionary.csv")
JSON_FILES = ("export.json", "dictionary.json")


@dataclass
class Export:
    ffy: FederalFiscalYear
    centers: dict  # code → Center, sorted by code
    scope: str  # a center's code, or all-centers
    identified: bool
    rows: list[dict]  # field name → value, in the fields' order
    counts: selectors.Counts
    measures: list[selectors.Measure]
    problems: list[dict]  # the problems file's rows
    found: list[selectors.Problem]  # the same problems, by record number (never written)

    @property
    def fields(self):
        return fields_for(self.identified)

    def file_name(self, name: str) -> str:
        if name in DICTIONARY_FILES:
            return DICTIONARY_FILES[name]
        stem, extension = name.rsplit(".", 1)
        suffix = "" if stem == "export" else f"-{stem}"
        return f"titlev-{self.ffy.year}-{self.scope}{suffix}.{extension}"


def scope_of(centers) -> str:
    codes = sorted(selectors.center_code(c) for c in centers)
    return codes[0] if len(codes) == 1 else ALL_CENTERS


def build(ffy: FederalFiscalYear, centers, *, identified: bool) -> Export:
    """The export for the centers' children served in the year. `identified` is decided by the
    caller (the centers' settings, and on the page who is asking)."""
    by_code = selectors.centers_by_code(centers)
    code_of = {c.pk: code for code, c in by_code.items()}
    served = selectors.served(ffy, code_of)
    key = pseudonym_key()
    field_list = fields_for(identified)
    rows = []
    for values in selectors.rows(served, ffy):
        row = Row(values=values, reporting_ffy=ffy.year, center_id=code_of[values["center_id"]],
                  person_pseudo_id=person_pseudo_id(values["child_id"], key),
                  zip3=zip3(values["child__household__zip_code"]))
        rows.append({f.name: f.value(row) for f in field_list})
    rows.sort(key=lambda r: (r["center_id"], r["person_pseudo_id"]))
    found = selectors.problems(served)
    names = selectors.child_names({p.child_id for p in found}) if identified else {}
    problem_rows = []
    for p in found:
        entry = {"center_id": code_of[p.center_id],
                 "person_pseudo_id": person_pseudo_id(p.child_id, key)}
        if identified:
            entry |= {"carecoord_child_id": p.child_id, "child": names.get(p.child_id, "")}
        problem_rows.append(entry | {"field": p.field, "problem": p.message})
    problem_rows.sort(key=lambda p: (p["center_id"], p["person_pseudo_id"],
                                     selectors.FIELD_ORDER[p["field"]], p["problem"]))
    return Export(ffy=ffy, centers=by_code, scope=scope_of(centers), identified=identified,
                  rows=rows, counts=selectors.counts(served),
                  measures=selectors.measures(served, ffy), problems=problem_rows,
                  found=found)


# ---------------------------------------------------------------- rendering


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ";".join(value)
    return str(value)


def _csv(header, rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    writer.writerows([_csv_value(v) for v in row] for row in rows)
    return out.getvalue().encode("utf-8")


def _json(data) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2) + "\n").encode()


COUNT_COLUMNS = ("center_id", "population_type", "total", *coverage.CATEGORIES)


def count_rows(export: Export) -> list[dict]:
    """Form 5a's table per center, then for all of them (sums of the centers' rows, as in the
    file), then the children counted once across centers."""
    result = []
    scopes = [(code, c.pk) for code, c in export.centers.items()]
    if len(scopes) > 1:
        scopes.append((ALL_CENTERS, None))
    for code, center_id in scopes:
        for line in export.counts.table(center_id):
            result.append({"center_id": code, "population_type": line["key"],
                           "total": line["total"],
                           **dict(zip(coverage.CATEGORIES, line["categories"], strict=True))})
    unduplicated = export.counts.unduplicated
    result.append({"center_id": ALL_CENTERS, "population_type": "children_unduplicated",
                   "total": export.counts.unduplicated_total,
                   **{k: unduplicated.get(k, 0) for k in coverage.CATEGORIES}})
    return result


MEASURE_COLUMNS = ("measure_id", "measure", "linked_title_v_measure", "numerator",
                   "denominator", "percent", "definition")


def measure_rows(export: Export) -> list[dict]:
    return [{"measure_id": m.id, "measure": m.name, "linked_title_v_measure": m.linked_to,
             "numerator": m.numerator, "denominator": m.denominator, "percent": m.percent,
             "definition": m.definition} for m in export.measures]


def problem_columns(identified: bool) -> tuple[str, ...]:
    middle = ("carecoord_child_id", "child") if identified else ()
    return ("center_id", "person_pseudo_id", *middle, "field", "problem")


def render(export: Export, name: str) -> bytes:
    if name in DICTIONARY_FILES:
        return render_dictionary(name)
    if name == "export.csv":
        names = [f.name for f in export.fields]
        return _csv(names, ([row[n] for n in names] for row in export.rows))
    if name == "counts.csv":
        return _csv(COUNT_COLUMNS, ([r[c] for c in COUNT_COLUMNS] for r in count_rows(export)))
    if name == "measures.csv":
        return _csv(MEASURE_COLUMNS,
                    ([r[c] for c in MEASURE_COLUMNS] for r in measure_rows(export)))
    if name == "problems.csv":
        columns = problem_columns(export.identified)
        return _csv(columns, ([p[c] for c in columns] for p in export.problems))
    if name == "export.json":
        return _json({
            "reporting_ffy": export.ffy.year,
            "period_start": export.ffy.start.isoformat(),
            "period_end": export.ffy.end.isoformat(),
            "centers": list(export.centers),
            "identified": export.identified,
            "fields": [f.name for f in export.fields],
            "rows": export.rows,
            "counts": count_rows(export),
            "measures": measure_rows(export),
            "problems": export.problems,
        })
    raise ValueError(f"No such file: {name}")


DICTIONARY_FILES = {"dictionary.csv": "titlev-dictionary.csv",
                    "dictionary.json": "titlev-dictionary.json"}


def render_dictionary(name: str) -> bytes:
    """The data dictionary: the same for every year and center, both kinds of file."""
    if name == "dictionary.csv":
        return _csv(DICTIONARY_COLUMNS, ([r[c] for c in DICTIONARY_COLUMNS] for r in dictionary()))
    if name == "dictionary.json":
        return _json({"fields": dictionary()})
    raise ValueError(f"No such file: {name}")


def files_for(formats: str) -> tuple[str, ...]:
    return {"csv": CSV_FILES, "json": JSON_FILES, "both": CSV_FILES + JSON_FILES}[formats]
