"""The population engine: classify every child of a claims or EHR extract.

Input: a CSV (comma separated, UTF-8, one header row) or Parquet file with the columns
`child_id, service_date, code, code_system` (`ICD-10-CM`, `ICD-10-PCS`, `ICD-9-CM`,
`ICD-9-PCS`) and optionally `claim_id` (without it, a child's codes of one service date are one
claim) and `as_of` (the end of that child's look-back window, overriding the `as_of` argument;
an empty value falls back to it; each row is judged against its own, and the child's output
shows the latest). Header names are matched ignoring case and surrounding blanks; other
columns are ignored. Identifiers are taken as written.

Output, in `out_dir`:

- `classification.csv` and `classification.parquet`: one row per child, in no particular order:
  `child_id`, the twelve CCC v2 columns and `ccc_flag` (0/1), `pmca_less` and `pmca_more`
  (`complex_chronic`, `non_complex_chronic`, `non_chronic`), `pmca_systems_less` and
  `pmca_systems_more` (body systems, `;`-separated, alphabetical), `behavioral_health` (0/1),
  and `as_of` (the end of the child's window);
- `rejects.csv`: `row, column, reason, value, child_id`, one line per problem in a row the
  engine could not use (malformed code, unknown code system, impossible or future date, empty
  child or claim id). `row` counts the header as row 1, as a spreadsheet shows the file
  (blank lines are not counted). A rejected row counts for nothing; its child still gets a
  row if it has a child_id.

CCC v2, PMCA and the behavioral health flag all use the PMCA's look-back window,
`as_of - 3 years < service_date <= as_of`, as `child.classify_child` does for one child. A
file that cannot be read as a whole (missing column, not UTF-8, empty, wrong delimiter, a row
with the wrong number of fields) raises `PopulationFileError` naming the row and column.

How it stays fast: the file is read in full by DuckDB through Ibis once (twice when rows are
rejected: the second pass lists them). Codes are classified in Python per distinct
`(code, code_system)` pair, never per row: first the pairs of the file's first rows (a sample
read before the pass), then the few pairs the pass met that the sample lacked. A file sorted
by code makes the sample poor and the pass slower, never wrong. The pass groups rows by
child, keeping apart only what the classes need later: the claims of rows that carry a PMCA
body system, and the rows whose code was not yet classified. Those groups are small, and the
claim counts and classes are computed from them.
"""

import codecs
import csv
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import ibis
import ibis.backends.duckdb  # noqa: F401  loaded here rather than on the first run
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute  # noqa: F401  (pa.compute)

from . import behavioral_health, ccc, codes, pmca
from .child import COLUMNS as CHILD_COLUMNS
from .child import SYSTEMS_SEPARATOR, ChildClassification
from .codes import ICD10CM, Pattern

REQUIRED_COLUMNS = ("child_id", "service_date", "code", "code_system")
OPTIONAL_COLUMNS = ("claim_id", "as_of")
OUTPUT_COLUMNS = ("child_id", *CHILD_COLUMNS, "as_of")
REJECT_COLUMNS = ("row", "column", "reason", "value", "child_id")
PARQUET_SUFFIXES = (".parquet", ".parq", ".pq")
EARLIEST_SERVICE_DATE = date(1900, 1, 1)
SAMPLE_ROWS = 500_000
DUCKDB, SPARK = "duckdb", "spark"
BACKENDS = (DUCKDB, SPARK)

# A code's flags, one integer: the CCC categories, then the PMCA body systems, then
# progressive, malignancy and behavioral health.
CCC_BITS = {name: 1 << i for i, name in enumerate(ccc.CATEGORIES)}
SYSTEMS_SHIFT = len(ccc.CATEGORIES)
SYSTEM_BITS = {name: 1 << (SYSTEMS_SHIFT + i) for i, name in enumerate(pmca.BODY_SYSTEMS)}
PROGRESSIVE = 1 << (SYSTEMS_SHIFT + len(pmca.BODY_SYSTEMS))
MALIGNANCY = PROGRESSIVE << 1
BEHAVIORAL_HEALTH = PROGRESSIVE << 2
PMCA_BITS = sum(SYSTEM_BITS.values())
CCC_MASK = sum(CCC_BITS.values())

STEPS = (
    "checking the file",
    "sampling the codes",
    "reading the rows",
    "classifying the codes the sample missed",
    "classifying the children",
    "writing the results",
    "listing the rejected rows",
)

# progress(step, steps_done, steps_total): called as each step starts, and once at the end
# with step "done".
Progress = Callable[[str, int, int], None]


class PopulationFileError(ValueError):
    """The file cannot be read as a whole; the message names the row and column."""


@dataclass
class Summary:
    path: Path
    out_dir: Path
    mode: str
    as_of: date
    rows: int = 0
    rows_rejected: int = 0
    rows_outside_window: int = 0
    children: int = 0
    children_with_ccc: int = 0
    children_with_behavioral_health: int = 0
    pmca_less: dict[str, int] = field(default_factory=dict)
    pmca_more: dict[str, int] = field(default_factory=dict)
    codes: int = 0
    rejects: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def classification_csv(self) -> Path:
        return self.out_dir / "classification.csv"

    @property
    def classification_parquet(self) -> Path:
        return self.out_dir / "classification.parquet"

    @property
    def rejects_csv(self) -> Path:
        return self.out_dir / "rejects.csv"


def stratify_file(path: str | Path, out_dir: str | Path, *, as_of: date | None = None,
                  mode: str = ccc.PUBLISHED, progress: Progress | None = None,
                  threads: int | None = None, today: date | None = None,
                  sample_rows: int = SAMPLE_ROWS, backend: str = DUCKDB) -> Summary:
    """Classify every child of `path` and write the results to `out_dir`.

    `as_of` defaults to `today`, the day of the run; a service date after `today` is
    rejected as a future date. `mode` is the CCC v2 mode (`published` or `pccc`). `backend`:
    `duckdb` (in process) or `spark` (PySpark: local mode here, a cluster where a state runs
    it, see docs/population-on-spark.md); the expressions are the same.
    """
    started = time.perf_counter()
    ccc.check_mode(mode)
    if backend not in BACKENDS:
        raise ValueError(f"backend must be one of {', '.join(BACKENDS)}")
    path, out_dir = Path(path), Path(out_dir)
    today = today or date.today()
    as_of = as_of or today
    report = progress or (lambda step, done, total: None)

    def step(number: int):
        report(STEPS[number], number, len(STEPS))

    step(0)
    layout = _inspect(path)
    out_dir.mkdir(parents=True, exist_ok=True)
    summary = Summary(path=path, out_dir=out_dir, mode=mode, as_of=as_of)
    con = _connect(backend, threads)
    if backend == SPARK and not layout.parquet:
        _check_utf8(layout)  # Spark would read undecodable bytes as U+FFFD without a word
    try:
        source = layout.table(con)

        step(1)
        # A Parquet file is read by column, so its whole vocabulary costs little.
        sample = source if layout.parquet else source.limit(sample_rows)
        pairs = _guard(layout, lambda: sample.select("code", "code_system").distinct()
                       .filter(ibis._.code.notnull() & ibis._.code_system.notnull())
                       .to_pyarrow())
        vocabulary = _arrow_table(con, "vocabulary", _classify(
            pairs["code"].to_pylist(), pairs["code_system"].to_pylist(), mode))

        step(2)
        groups = _guard(layout, lambda: _materialize(con, "groups",
            _group_rows(source, vocabulary, layout, as_of=as_of, today=today)))

        step(3)
        keys = _missed_codes(groups).to_pyarrow()["missed"].to_pylist()
        split = [key.split(_SEPARATOR, 1) for key in keys]
        classified = _classify([code for _, code in split], [system for system, _ in split], mode)
        late = _arrow_table(con, "late_vocabulary", classified.append_column(
            "missed", pa.array(keys, pa.string())))
        summary.codes = pairs.num_rows + len(keys)

        step(4)
        per_group = _per_group(groups, late, layout)
        children = _materialize(con, "children",
            _children(per_group, layout, as_of=as_of, claims_unique=not keys))
        combinations = children.select("flags", "more_systems").distinct().to_pyarrow()
        profiles = _arrow_table(con, "profiles", _profiles(
            combinations["flags"].to_pylist(), combinations["more_systems"].to_pylist()))
        _count(per_group, children, profiles, summary)

        step(5)
        _write_classification(con, children, profiles, summary)

        step(6)
        if summary.rows_rejected:
            if backend == DUCKDB:
                con.raw_sql("SET preserve_insertion_order = true")
            problems = _materialize(con, "problems", _problems(vocabulary, late))
            rejects = _materialize(con, "rejects", _rejects(
                layout.table(con, numbered=True), problems, layout, today=today))
            _write_csv(con, _for_csv(rejects).order_by(["row", "rank"]).select(
                *REJECT_COLUMNS), summary.rejects_csv)
            reasons = (rejects.group_by("reason").aggregate(n=ibis._.count())
                       .order_by("reason").to_pyarrow().to_pylist())
            summary.rejects = {r["reason"]: r["n"] for r in reasons}
        else:
            _write_header(summary.rejects_csv, REJECT_COLUMNS)
    finally:
        if backend == SPARK:
            con._session.catalog.clearCache()  # the session stays up for the next file
        else:
            con.disconnect()
    summary.seconds = time.perf_counter() - started
    report("done", len(STEPS), len(STEPS))
    return summary


def _connect(backend: str, threads: int | None):
    if backend == SPARK:
        return ibis.pyspark.connect(_spark_session(threads))
    config = {
        "preserve_insertion_order": False,
        # DuckDB cannot estimate the rows of a CSV file and may build the join's hash table
        # on the file instead of on the small vocabulary; this keeps it on the vocabulary.
        "disabled_optimizers": "build_side_probe_side",
    }
    if threads:
        config["threads"] = threads
    return ibis.duckdb.connect(**config)


@cache
def _spark_session(threads: int | None):
    """This machine's Spark in local mode (started once per process: it takes seconds).
    SPARK_MASTER points at a cluster instead (see docs/population-on-spark.md)."""
    import os

    from pyspark.sql import SparkSession

    master = os.environ.get("SPARK_MASTER", f"local[{threads or '*'}]")
    session = (SparkSession.builder.master(master).appName("carecoord-population")
               .config("spark.ui.enabled", "false")
               .config("spark.ui.showConsoleProgress", "false")
               .config("spark.sql.session.timeZone", "UTC")
               .config("spark.sql.shuffle.partitions", str(2 * (threads or os.cpu_count())))
               .config("spark.driver.memory", os.environ.get("SPARK_DRIVER_MEMORY", "4g"))
               .getOrCreate())
    session.sparkContext.setLogLevel("ERROR")
    return session


_SPARK_TYPES = {pa.string(): "STRING", pa.int64(): "BIGINT", pa.int8(): "TINYINT",
                pa.bool_(): "BOOLEAN"}


def _arrow_table(con, name: str, table: pa.Table) -> ir.Table:
    """A table computed here in Python, for the engine to join with."""
    if con.name != "pyspark":
        return con.create_table(name, table, temp=True)
    # Spark keeps it as a view of the driver's data (a table would be written to disk).
    schema = ", ".join(f"`{f.name}` {_SPARK_TYPES[f.type]}" for f in table.schema)
    session = con._session
    session.createDataFrame(table.to_pandas(), schema=schema).createOrReplaceTempView(name)
    return con.table(name)


def _materialize(con, name: str, expr: ir.Table) -> ir.Table:
    """Compute once what later steps read several times (a temporary table in DuckDB, a
    cached view in Spark)."""
    if con.name == "pyspark":
        return expr.cache()
    return con.create_table(name, expr, temp=True)


def _write_csv(con, expr: ir.Table, path: Path):
    if con.name == "duckdb":
        con.to_csv(expr, path)
        return
    table = expr.to_pyarrow()
    with open(path, "w", encoding="utf-8", newline="") as f:
        writer = csv.writer(f, lineterminator="\n")
        writer.writerow(table.column_names)
        writer.writerows(tuple("" if v is None else v for v in row.values())
                         for row in table.to_pylist())


# -- the file ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Layout:
    path: Path
    parquet: bool
    header: tuple[str, ...]
    # CareCoord's column name -> the name in the file
    columns: dict[str, str]

    def has(self, column: str) -> bool:
        return column in self.columns

    def table(self, con, *, numbered: bool = False) -> ir.Table:
        """The file with CareCoord's column names, identifiers and codes as text."""
        spark = con.name == "pyspark"
        if self.parquet:
            raw = con.read_parquet(self.path)
        elif spark:
            # Every column as text, a malformed row an error (as DuckDB reads it).
            raw = con.read_csv(str(self.path), header=True, sep=",", quote='"', escape='"',
                               inferSchema=False, mode="FAILFAST", encoding="UTF-8")
        else:
            raw = con.read_csv(self.path, columns={name: "VARCHAR" for name in self.header},
                               header=True, delim=",", quote='"', escape='"')
        if numbered:
            # Rows in file order: DuckDB reads a file in order; Spark numbers a file's rows
            # increasingly in its order (one file: partitions follow its offsets).
            order = _file_position() if spark else None
            raw = raw.mutate(row=ibis.row_number().over(order_by=order) + 2 if spark
                             else ibis.row_number() + 2)  # the header is row 1
        picked = {}
        for column, name in self.columns.items():
            value = raw[name]
            if column in ("service_date", "as_of") and value.type().is_temporal():
                picked[column] = value if value.type().is_date() else value.cast("date")
            else:
                picked[column] = value if value.type().is_string() else value.cast("string")
        if numbered:
            picked["row"] = raw.row
        return raw.select(**picked)


@ibis.udf.agg.builtin(name="bit_or")
def _bit_or(value: int) -> int:
    """The bitwise OR of a group's values: built into DuckDB and Spark alike (Ibis compiles
    its own bit_or for DuckDB only)."""


@ibis.udf.scalar.builtin(name="monotonically_increasing_id")
def _file_position() -> int:
    """Spark's position of a row in its input (increasing in file order)."""


def _inspect(path: Path) -> _Layout:
    if not path.is_file():
        raise PopulationFileError(f"{path}: no such file")
    if path.suffix.lower() in PARQUET_SUFFIXES:
        return _inspect_parquet(path)
    return _inspect_csv(path)


def _inspect_parquet(path: Path) -> _Layout:
    import pyarrow.parquet as pq

    try:
        metadata = pq.ParquetFile(path).metadata
    except (pa.ArrowException, OSError) as error:
        raise PopulationFileError(f"{path}: not a readable Parquet file ({error})") from None
    header = tuple(metadata.schema.names)
    layout = _Layout(path, True, header, _match_columns(path, header))
    if metadata.num_rows == 0:
        raise PopulationFileError(f"{path}: the file has no rows (row 2 is missing)")
    return layout


def _inspect_csv(path: Path) -> _Layout:
    with open(path, "rb") as f:
        head = f.read(1 << 16)
    if not head.strip():
        raise PopulationFileError(f"{path}: the file is empty (row 1, the header, is missing)")
    first, _, rest = head.partition(b"\n")
    try:
        text = first.decode("utf-8-sig").rstrip("\r")
    except UnicodeDecodeError as error:
        column = first[:error.start].count(b",") + 1
        raise PopulationFileError(
            f"{path}: row 1 (the header), column {column}: not UTF-8 text "
            f"(byte 0x{first[error.start]:02x}); save the file as UTF-8") from None
    header = tuple(next(csv.reader([text])))
    if len(header) == 1:
        for delimiter, name in ((";", "semicolons"), ("\t", "tabs"), ("|", "vertical bars")):
            if delimiter in text:
                raise PopulationFileError(
                    f"{path}: row 1 (the header) is separated by {name}, not commas; "
                    "save the file as comma-separated values")
    layout = _Layout(path, False, header, _match_columns(path, header))
    if not rest.strip():
        raise PopulationFileError(f"{path}: the file has a header but no data (row 2 is empty)")
    return layout


def _match_columns(path: Path, header: tuple[str, ...]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name in header:
        key = name.strip().lower()
        if key in REQUIRED_COLUMNS + OPTIONAL_COLUMNS:
            if key in found:
                raise PopulationFileError(f"{path}: row 1 (the header) has column {key} twice")
            found[key] = name
    missing = [column for column in REQUIRED_COLUMNS if column not in found]
    if missing:
        raise PopulationFileError(
            f"{path}: row 1 (the header) has no column {', '.join(missing)}; it needs "
            f"{', '.join(REQUIRED_COLUMNS)} (found: {', '.join(header)})")
    return found


def _guard(layout: _Layout, run):
    """Run a query that reads the file; turn a parser error into one naming the row."""
    import duckdb

    errors: tuple = (duckdb.Error,)
    try:
        from py4j.protocol import Py4JJavaError
        from pyspark.errors import PySparkException

        errors += (PySparkException, Py4JJavaError)
    except ImportError:  # Spark is an optional backend
        pass
    try:
        return run()
    except errors as error:
        if layout.parquet:
            raise PopulationFileError(f"{layout.path}: cannot read the file ({error})") from None
        raise PopulationFileError(_diagnose_csv(layout)
                                  or f"{layout.path}: cannot read the file ({error})") from None


def _check_utf8(layout: _Layout):
    """Raise the error naming the row and column of the first byte that is not UTF-8."""
    problem = _not_utf8(layout)
    if problem:
        raise PopulationFileError(problem)


def _not_utf8(layout: _Layout) -> str | None:
    """Where the file first stops being UTF-8 text, in words; None when it never does."""
    decoder = codecs.getincrementaldecoder("utf-8-sig")()
    with open(layout.path, "rb") as f:
        for number, line in enumerate(f, start=1):
            try:
                decoder.decode(line)
            except UnicodeDecodeError as error:
                position = line[:error.start].count(b",") + 1
                column = (layout.header[position - 1] if position <= len(layout.header)
                          else str(position))
                return (f"{layout.path}: row {number}, column {column}: not UTF-8 text "
                        f"(byte 0x{line[error.start]:02x}); save the file as UTF-8")
    return None


def _diagnose_csv(layout: _Layout) -> str | None:
    """The first row that makes the file unreadable, found by reading it in Python."""
    problem = _not_utf8(layout)
    if problem:
        return problem
    with open(layout.path, encoding="utf-8-sig", newline="") as f:
        reader = csv.reader(f)
        start = 1
        for fields in reader:
            if fields and len(fields) != len(layout.header):
                column = (layout.header[len(fields)] if len(fields) < len(layout.header)
                          else f"{len(fields)} (after the last column)")
                why = ("a quote opened here is not closed" if reader.line_num > start
                       else "a comma inside an unquoted value, or a missing value?")
                return (f"{layout.path}: row {start}, column {column}: the row has "
                        f"{len(fields)} fields, the header has {len(layout.header)} ({why})")
            start = reader.line_num + 1
    return None


# -- codes ---------------------------------------------------------------------------------------


class _CodeIndex:
    """All lists of one code system folded into one table of flag bits per pattern.

    Gives the same answer as `ccc.code_categories`, `pmca.code_flags` and
    `behavioral_health.is_behavioral_health` together, in one lookup per prefix of the code.
    """

    def __init__(self, system: str, mode: str):
        self.prefixes: dict[str, int] = {}
        self.exact: dict[str, int] = {}
        self.excepting: list[tuple[Pattern, int]] = []
        for pattern, category in ccc.code_list(system, mode).entries:
            self._add(pattern, CCC_BITS[category])
        if system in pmca.LIST_FILES:
            for pattern, (body_system, progressive) in pmca.code_list(system).entries:
                if body_system == pmca.MALIGNANCY:
                    bits = MALIGNANCY
                else:
                    bits = SYSTEM_BITS[body_system]
                    if body_system == behavioral_health.MENTAL_HEALTH:
                        bits |= BEHAVIORAL_HEALTH
                self._add(pattern, bits | (PROGRESSIVE if progressive else 0))
        if system == ICD10CM:
            for pattern, _ in behavioral_health.code_list().entries:
                self._add(pattern, BEHAVIORAL_HEALTH)

    def _add(self, pattern: Pattern, bits: int):
        if pattern.except_prefixes:
            self.excepting.append((pattern, bits))
        else:
            table = self.exact if pattern.match == codes.EXACT else self.prefixes
            table[pattern.code] = table.get(pattern.code, 0) | bits

    def flags(self, code: str) -> int:
        bits = self.exact.get(code, 0)
        prefixes = self.prefixes
        for end in range(1, len(code) + 1):
            bits |= prefixes.get(code[:end], 0)
        for pattern, extra in self.excepting:
            if pattern.matches(code):
                bits |= extra
        return bits


@cache
def _code_index(system: str, mode: str) -> _CodeIndex:
    return _CodeIndex(system, mode)


def _classify(written_codes: Iterable[str | None], written_systems: Iterable[str | None],
              mode: str) -> pa.Table:
    """Each (code, code_system) pair as written: its flags, or the column and reason why the
    rows that carry it cannot be used."""
    systems: dict[str | None, str | None] = {}
    # Sources write one code several ways (E84.0, e840, E840): each cleaned code once.
    known: dict[tuple[str, str], tuple[int, str | None]] = {}
    out: dict[str, list] = {name: [] for name in (
        "code", "code_system", "flags", "usable", "problem_column", "problem")}
    for written, system_name in zip(written_codes, written_systems, strict=True):
        if system_name not in systems:
            systems[system_name] = codes.code_system(system_name or "")
        system = systems[system_name]
        flags, column, problem = 0, None, None
        if system is None:
            column = "code_system"
            problem = (f"unknown code system {system_name!r} (expected "
                       f"{', '.join(codes.CODE_SYSTEMS)})" if system_name
                       else "code_system is empty")
        else:
            key = (codes.normalize(written or ""), system)
            if key not in known:
                found = codes.problem(*key)
                known[key] = (0 if found else _code_index(system, mode).flags(key[0]), found)
            flags, problem = known[key]
            column = "code" if problem else None
        out["code"].append(written)
        out["code_system"].append(system_name)
        out["flags"].append(flags)
        out["usable"].append(problem is None)
        out["problem_column"].append(column)
        out["problem"].append(problem)
    return pa.table({
        "code": pa.array(out["code"], pa.string()),
        "code_system": pa.array(out["code_system"], pa.string()),
        "flags": pa.array(out["flags"], pa.int64()),
        "usable": pa.array(out["usable"], pa.bool_()),
        "problem_column": pa.array(out["problem_column"], pa.string()),
        "problem": pa.array(out["problem"], pa.string()),
    })


# -- the pass over the rows ----------------------------------------------------------------------

# What became of a row, in the `fate` column of its group: counted (NULL), rejected, outside
# the window, or, for a code the sample missed, in the window, outside it or rejected for
# another reason, followed by the code system, this separator and the code as written.
REJECTED, OUTSIDE, MISSED_IN, MISSED_OUT, MISSED_REJECTED = "R", "O", "I", "X", "U"
MISSED = [MISSED_IN, MISSED_OUT, MISSED_REJECTED]
_SEPARATOR = "\x1f"


def _as_date(value: ir.Value) -> ir.Value:
    return value if value.type().is_date() else value.try_cast("date")


def _filled(value: ir.StringValue) -> ir.BooleanValue:
    return value.notnull() & (value != "")


def _group_rows(source: ir.Table, vocabulary: ir.Table, layout: _Layout, *, as_of: date,
                today: date) -> ir.Table:
    """One pass over the rows, grouped by child, fate, and claim of the rows that carry a
    PMCA body system (or whose code the sample missed).

    A child's counted rows without a body system fold into one group, so the groups number
    about the children plus the claims that carry a body system.
    """
    joined = source.left_join(vocabulary, [source.code == vocabulary.code,
                                           source.code_system == vocabulary.code_system])
    # The date is parsed once here; the fate below tests it several times.
    rows = joined.select(
        child_id=joined.child_id, code=joined.code, code_system=joined.code_system,
        flags=joined.flags, usable=joined.usable, served=_as_date(joined.service_date),
        **{column: joined[column] for column in OPTIONAL_COLUMNS if layout.has(column)})
    served = rows.served
    readable = (_filled(rows.child_id) & served.notnull()
                & (served >= EARLIEST_SERVICE_DATE) & (served <= today))
    if layout.has("as_of"):
        written = _as_date(rows.as_of)
        readable &= rows.as_of.isnull() | written.notnull()
        child_as_of = written.fill_null(as_of)
        opens = child_as_of - ibis.interval(years=pmca.LOOK_BACK_YEARS)
    else:
        child_as_of = ibis.literal(as_of)
        opens = ibis.literal(pmca.window_start(as_of))
    if layout.has("claim_id"):
        readable &= _filled(rows.claim_id)
        claim = rows.claim_id
    else:
        claim = served
    rows = rows.mutate(readable=readable, in_window=(served > opens) & (served <= child_as_of),
                       known=rows.flags.notnull(), claim=claim,
                       **({"as_of": child_as_of} if layout.has("as_of") else {}))
    missed = rows.code_system.fill_null("") + _SEPARATOR + rows.code.fill_null("")
    fate = ibis.cases(
        (~rows.known, ibis.cases((~rows.readable, MISSED_REJECTED), (rows.in_window, MISSED_IN),
                                 else_=MISSED_OUT) + missed),
        (~rows.readable, REJECTED),
        (~rows.usable, REJECTED),
        (~rows.in_window, OUTSIDE),
        else_=ibis.null("string"))
    keep_claim = ((rows.known & rows.readable & rows.usable & rows.in_window
                   & ((rows.flags & PMCA_BITS) != 0))
                  | (~rows.known & rows.readable & rows.in_window))
    grouped = rows.select(
        child_id=rows.child_id,
        claim=ibis.ifelse(keep_claim, rows.claim, None),
        fate=fate,
        flags=rows.flags,
        **({"as_of": rows.as_of} if layout.has("as_of") else {}),
    )
    return grouped.group_by(["child_id", "claim", "fate"]).aggregate(
        rows=grouped.count(),
        flags=_bit_or(grouped.flags),
        **({"as_of": grouped.as_of.max()} if layout.has("as_of") else {}),
    )


def _missed_codes(groups: ir.Table) -> ir.Table:
    kind = groups.fate.substr(0, 1)
    missed = groups.filter(kind.isin(MISSED))
    return missed.select(missed=missed.fate.substr(1)).distinct()


def _per_group(groups: ir.Table, late: ir.Table, layout: _Layout) -> ir.Table:
    """The groups with the codes the sample missed classified: flags and rows by fate."""
    kind = groups.fate.substr(0, 1)
    g = groups.mutate(kind=kind, missed=ibis.ifelse(kind.isin(MISSED), groups.fate.substr(1),
                                                    None))
    g = g.left_join(late, g.missed == late.missed)
    late_usable = g.usable.fill_null(False)
    rejected = (g.kind.isin([REJECTED, MISSED_REJECTED])
                | (g.missed.notnull() & ~late_usable))
    outside = (g.kind == OUTSIDE) | ((g.kind == MISSED_OUT) & late_usable)
    return g.select(
        child_id=g.child_id,
        claim=g.claim,
        rows=g.rows,
        rejected=ibis.ifelse(rejected, g.rows, 0),
        outside=ibis.ifelse(outside, g.rows, 0),
        flags=ibis.cases((g.fate.isnull(), g.flags),
                         ((g.kind == MISSED_IN) & late_usable, g.flags_right),
                         else_=0),
        **({"as_of": g.as_of} if layout.has("as_of") else {}),
    )


def _children(per_group: ir.Table, layout: _Layout, *, as_of: date,
              claims_unique: bool) -> ir.Table:
    """Per child: its flags over the window, the body systems on two claims or more (as
    flag bits) and its as-of date. The rows without a child_id make one more row.

    `claims_unique`: no claim has two groups (true when the sample missed no code).
    """
    if claims_unique:
        claims = per_group
    else:
        claims = per_group.filter(per_group.claim.notnull())
        claims = claims.group_by(["child_id", "claim"]).aggregate(flags=_bit_or(claims.flags))
    systems = ibis.ifelse(claims.claim.notnull(), claims.flags & PMCA_BITS, 0)
    # The systems of a child's claims add up to their union (bitwise or) exactly when no
    # system is on two claims (bits then add without carrying). Only the few other children
    # have their claims counted system by system.
    per_child = claims.group_by("child_id").aggregate(total=systems.sum(),
                                                      together=_bit_or(systems))
    repeated = per_child.filter(per_child.total != per_child.together).select("child_id")
    counted = claims.filter(claims.claim.notnull()).semi_join(repeated, "child_id")
    more = counted.group_by("child_id").aggregate(more_systems=sum(
        ibis.ifelse(((counted.flags & bit) != 0).sum() >= 2, bit, 0)
        for bit in SYSTEM_BITS.values()))
    children = per_group.group_by("child_id").aggregate(
        flags=_bit_or(per_group.flags),
        **({"as_of": per_group.as_of.max()} if layout.has("as_of") else {}),
    )
    c = children.left_join(more, "child_id")
    return c.select(
        "child_id", "flags", more_systems=c.more_systems.fill_null(0),
        as_of=c.as_of.cast("date") if layout.has("as_of") else ibis.literal(as_of))


def _profiles(flags: list[int], more_systems: list[int]) -> pa.Table:
    """The output columns of each combination of flags the children have (with the CCC
    columns of `ChildClassification.as_row` and the classes of `pmca.pmca_class`, as for one
    child), and as one CSV text. Each distinct CCC part and PMCA part is made once."""
    pc = pa.compute
    flag_array = pa.array(flags, pa.int64())
    more_array = pa.array(more_systems, pa.int64())
    ccc_keys = pc.bit_wise_and(flag_array, CCC_MASK)
    pmca_keys = pc.bit_wise_or(pc.bit_wise_and(flag_array, PMCA_BITS | PROGRESSIVE | MALIGNANCY),
                               pc.shift_left(more_array, 32))
    mental = pc.cast(pc.not_equal(pc.bit_wise_and(flag_array, BEHAVIORAL_HEALTH), 0), pa.int8())
    columns = {"flags": flag_array, "more_systems": more_array}
    texts = []
    for keys, part, names in (
            (ccc_keys, _ccc_row, ccc.COLUMNS),
            (pmca_keys, lambda key: _pmca_row(key & 0xFFFFFFFF, key >> 32),
             [name for name in CHILD_COLUMNS if name.startswith("pmca_")])):
        distinct = pc.unique(keys)
        parts = [part(key) for key in distinct.to_pylist()]
        where = pc.index_in(keys, distinct)
        for i, name in enumerate(names):
            values = [row[i] for row in parts]
            kind = pa.string() if name in _TEXT_COLUMNS else pa.int8()
            columns[name] = pa.array(values, kind).take(where)
        texts.append(pa.array([",".join(str(value) for value in row) for row in parts],
                              pa.string()).take(where))
    columns["behavioral_health"] = mental
    texts.append(pc.cast(mental, pa.string()))
    columns["csv_text"] = pc.binary_join_element_wise(*texts, ",")
    return pa.table({name: columns[name] for name in (
        "flags", "more_systems", *CHILD_COLUMNS, "csv_text")})


@cache
def _ccc_row(bits: int) -> tuple:
    categories = frozenset(c for c, bit in CCC_BITS.items() if bits & bit)
    row = ChildClassification(ccc.CccResult(categories), pmca.PmcaResult(), False).as_row()
    return tuple(row[name] for name in ccc.COLUMNS)


@cache
def _pmca_row(bits: int, more: int) -> tuple:
    less_names, more_names = _system_names(bits & PMCA_BITS), _system_names(more)
    flags = {"progressive": bool(bits & PROGRESSIVE), "malignancy": bool(bits & MALIGNANCY)}
    return (pmca.pmca_class(len(less_names), **flags), pmca.pmca_class(len(more_names), **flags),
            SYSTEMS_SEPARATOR.join(less_names), SYSTEMS_SEPARATOR.join(more_names))


@cache
def _system_names(bits: int) -> tuple[str, ...]:
    """Body systems of the bits, alphabetical (SYSTEM_BITS follows pmca.BODY_SYSTEMS)."""
    return tuple(name for name, bit in SYSTEM_BITS.items() if bits & bit)


_TEXT_COLUMNS = {"pmca_less", "pmca_more", "pmca_systems_less", "pmca_systems_more"}


def _write_classification(con, children: ir.Table, profiles: ir.Table, summary: Summary):
    """Both files, rows in no particular order: sorting a million children would cost more
    than the rest of the writing."""
    table = children.filter(children.child_id.notnull()).join(
        profiles, ["flags", "more_systems"])
    # Each line is put together here and written as is: DuckDB's CSV writer is several
    # times slower per column.
    child = table.child_id
    quoted = ibis.ifelse(child.re_search(r'[,"\r\n]'),
                         '"' + child.replace('"', '""') + '"', child)
    line = quoted + "," + table.csv_text + "," + table.as_of.cast("string")
    header = ",".join(OUTPUT_COLUMNS)
    if con.name != "duckdb":
        # Another engine hands the rows back; they are written here (a cluster would write
        # its part files instead: see docs/population-on-spark.md).
        import pyarrow.parquet as pq

        pq.write_table(table.select(*OUTPUT_COLUMNS).to_pyarrow(),
                       summary.classification_parquet)
        lines = table.select(line=line).to_pyarrow()["line"].to_pylist()
        with open(summary.classification_csv, "w", encoding="utf-8", newline="") as f:
            f.write(header + "\n")
            f.writelines(text + "\n" for text in lines)
        return
    con.to_parquet(table.select(*OUTPUT_COLUMNS), summary.classification_parquet)
    query = ibis.to_sql(table.select(line=line), dialect="duckdb")
    con.raw_sql(f'COPY (SELECT line AS "{header}" FROM ({query})) TO '
                f"'{_sql_path(summary.classification_csv)}' "
                "(FORMAT csv, HEADER true, QUOTE '', ESCAPE '')")


def _sql_path(path: Path) -> str:
    return str(path).replace("'", "''")


# -- rejects -------------------------------------------------------------------------------------


def _problems(*vocabularies: ir.Table) -> ir.Table:
    """The (code, code_system) pairs that make a row unusable, empty values as ''."""
    return ibis.union(*[
        v.filter(v.problem.notnull()).select(
            code=v.code.fill_null(""), code_system=v.code_system.fill_null(""),
            problem_column=v.problem_column, problem=v.problem)
        for v in vocabularies], distinct=True)


def _rejects(source: ir.Table, problems: ir.Table, layout: _Layout, *,
             today: date) -> ir.Table:
    """One line per problem found in a row, with the rank of its column for ordering."""
    rows = source.mutate(code=source.code.fill_null(""),
                         code_system=source.code_system.fill_null(""))
    rows = rows.left_join(problems, ["code", "code_system"])
    order = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

    def problem(column: str, reason: ir.StringValue) -> ir.Table:
        value = rows[column] if column in rows.columns else ibis.literal("")
        return rows.filter(reason.notnull()).select(
            row=rows.row, rank=ibis.literal(order.index(column)), column=ibis.literal(column),
            reason=reason, value=value.cast("string").fill_null(""),
            child_id=rows.child_id.fill_null(""))

    parts = [
        problem("child_id", ibis.ifelse(_filled(rows.child_id), None, "child_id is empty")),
        problem("code_system", ibis.ifelse(rows.problem_column == "code_system", rows.problem,
                                           None)),
        problem("code", ibis.ifelse(rows.problem_column == "code", rows.problem, None)),
        problem("service_date", _date_problem(rows.service_date, "service_date", today=today)),
    ]
    if layout.has("as_of"):
        written = _as_date(rows.as_of)
        parts.append(problem("as_of", ibis.ifelse(
            rows.as_of.notnull() & written.isnull(), _not_a_date("as_of", rows.as_of), None)))
    if layout.has("claim_id"):
        parts.append(problem("claim_id",
                             ibis.ifelse(_filled(rows.claim_id), None, "claim_id is empty")))
    return ibis.union(*parts)


def _not_a_date(column: str, value: ir.Value) -> ir.StringValue:
    if value.type().is_temporal():
        return ibis.literal(f"{column} is not a date")
    return ibis.ifelse(value.strip().re_search(r"^\d{4}-\d{1,2}-\d{1,2}$"),
                       f"{column} is an impossible date",
                       f"{column} is not a date (write it as YYYY-MM-DD)")


def _date_problem(value: ir.Value, column: str, *, today: date) -> ir.StringValue:
    served = _as_date(value)
    return ibis.cases(
        (value.isnull(), f"{column} is empty"),
        (served.isnull(), _not_a_date(column, value)),
        (served > today, f"{column} is in the future (after {today.isoformat()})"),
        (served < EARLIEST_SERVICE_DATE,
         f"{column} is before {EARLIEST_SERVICE_DATE.isoformat()}"),
        else_=ibis.null("string"))


# -- output --------------------------------------------------------------------------------------


def _for_csv(table: ir.Table) -> ir.Table:
    """Empty text as an empty field (DuckDB would write "")."""
    return table.mutate(**{name: table[name].nullif("")
                           for name, dtype in table.schema().items() if dtype.is_string()})


def _write_header(path: Path, columns: tuple[str, ...]):
    with open(path, "w", encoding="utf-8", newline="") as f:
        csv.writer(f, lineterminator="\n").writerow(columns)


def _count(per_group: ir.Table, children: ir.Table, profiles: ir.Table, summary: Summary):
    """Fill the summary's counts: rows by fate, children by class."""
    totals = per_group.aggregate(
        rows=per_group.rows.sum(),
        rows_rejected=per_group.rejected.sum(),
        rows_outside_window=per_group.outside.sum(),
    ).to_pyarrow().to_pylist()[0]
    summary.rows = totals["rows"] or 0
    summary.rows_rejected = totals["rows_rejected"] or 0
    summary.rows_outside_window = totals["rows_outside_window"] or 0
    per_profile = (children.filter(children.child_id.notnull())
                   .group_by(["flags", "more_systems"]).aggregate(n=ibis._.count())
                   .join(profiles, ["flags", "more_systems"]).to_pyarrow())
    n = per_profile["n"]
    summary.children = pa.compute.sum(n).as_py() or 0
    for attribute, column in (("children_with_ccc", "ccc_flag"),
                              ("children_with_behavioral_health", "behavioral_health")):
        chosen = pa.compute.filter(n, pa.compute.equal(per_profile[column], 1))
        setattr(summary, attribute, pa.compute.sum(chosen).as_py() or 0)
    for variant in (pmca.LESS, pmca.MORE):
        column = f"pmca_{variant}"
        counts = per_profile.group_by(column).aggregate([("n", "sum")]).to_pylist()
        found = {row[column]: row["n_sum"] for row in counts}
        setattr(summary, column, {name: found.get(name, 0) for name in pmca.CLASSES})
