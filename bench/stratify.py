#!/usr/bin/env python
"""Population engine speed: classify N diagnosis rows from a CSV file, end to end.

    .venv/bin/python bench/stratify.py --rows 10000000

Generates N rows (about 10 codes per child, a few encounters each over three years, codes
drawn from the reference code pools plus CCC and PMCA list codes, some written with dots or in
lower case) to a CSV file in a temporary folder, then, in a fresh process, runs
`population.stratify_file` on it (the path the `stratify` command takes: read the CSV, classify,
write classification.csv, classification.parquet and rejects.csv) and, on the same file, a bare
DuckDB scan that only groups the rows by child: the floor no engine can beat. Prints, each on
its own line: rows, seconds end to end, rows per second, peak memory of the engine's process,
the floor's seconds and the ratio of the two.

Targets on the 2-core machine: 10,000,000 rows in <= 3 s, peak memory <= 2 GB.

`--backend spark` also runs the same expressions on PySpark in local mode (after the session
has started: on a cluster it is already up) and prints its rows/s beside DuckDB's.
"""

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference"
AS_OF = date(2025, 12, 31)


def generate(path: Path, rows: int, seed: int):
    """Write the claims file with DuckDB (the generation is not timed)."""
    import duckdb

    sys.path.insert(0, str(ROOT))
    from carecoord.stratification import ccc, codes, pmca

    patterns = [(p.code, system) for system in ("ICD-10-CM", "ICD-10-PCS")
                for p, _ in ccc.code_list(system).entries]
    patterns += [(p.code, "ICD-10-CM") for p, _ in pmca.code_list("ICD-10-CM").entries]
    list_codes = sorted({(code, system) for code, system in patterns
                         if codes.problem(code, system) is None})
    con = duckdb.connect()
    con.execute("SELECT setseed(?)", [seed / 2**31])
    con.execute("CREATE TABLE pool (code VARCHAR, code_system VARCHAR)")
    for name, system in (("code_pool_dx.txt", "ICD-10-CM"), ("code_pool_pc.txt", "ICD-10-PCS")):
        pool = (REFERENCE / "ccc" / name).read_text().split()
        con.executemany("INSERT INTO pool VALUES (?, ?)", [(c, system) for c in pool])
    con.execute("CREATE TABLE listed (code VARCHAR, code_system VARCHAR)")
    con.executemany("INSERT INTO listed VALUES (?, ?)", list_codes)
    # Diagnoses six times as often as procedures; about one row in twenty from the lists.
    con.execute("""
        CREATE TABLE codes AS
        SELECT row_number() OVER () - 1 AS i, code, code_system FROM (
            SELECT code, code_system FROM pool, range(12) WHERE code_system = 'ICD-10-CM'
            UNION ALL
            SELECT code, code_system FROM pool, range(2) WHERE code_system = 'ICD-10-PCS'
            UNION ALL
            SELECT code, code_system FROM listed)""")
    size = con.execute("SELECT count(*) FROM codes").fetchone()[0]
    first_day = (AS_OF.replace(year=AS_OF.year - 3)).isoformat()
    con.execute(f"""
        COPY (
            SELECT 'C' || lpad(CAST(r // 10 AS VARCHAR), 8, '0') AS child_id,
                   DATE '{first_day}' + CAST(hash(r // 10, (r % 10) // 3, {seed}) % 1095
                                             AS INTEGER) + 1 AS service_date,
                   CASE WHEN c.code_system = 'ICD-10-CM' AND length(c.code) > 3
                             AND hash(r, {seed}) % 5 = 0
                        THEN c.code[1:3] || '.' || c.code[4:]
                        WHEN hash(r, {seed}) % 50 = 1 THEN lower(c.code)
                        ELSE c.code END AS code,
                   c.code_system
            FROM range({rows}) t(r)
            JOIN codes c ON c.i = hash(r, {seed}, 1) % {size}
            ORDER BY r
        ) TO '{path}' (HEADER, DELIMITER ',')""")


def measure(path: Path, out_dir: Path, threads: int | None, backend: str = "duckdb") -> dict:
    """In this (fresh) process: the engine, then the floor on the same file."""
    import duckdb
    import pandas  # noqa: F401  pyarrow loads it on first use; a library import, not work

    sys.path.insert(0, str(ROOT))
    from carecoord.stratification import population

    if backend == "spark":  # starting Spark is not the engine's work: it is up on a cluster
        population._spark_session(threads)
    started = time.perf_counter()
    summary = population.stratify_file(path, out_dir, as_of=AS_OF, threads=threads,
                                       backend=backend)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

    con = duckdb.connect(config={"threads": threads} if threads else {})
    columns = {name: "VARCHAR" for name in ("child_id", "service_date", "code", "code_system")}
    started = time.perf_counter()
    con.execute(f"""
        SELECT count(*) FROM (
            SELECT child_id, count(*) FROM read_csv('{path}', header = true,
                                                    columns = {columns})
            GROUP BY child_id)""").fetchall()
    floor = time.perf_counter() - started
    return {"rows": summary.rows, "seconds": seconds, "peak": peak, "floor": floor,
            "children": summary.children, "rejected": summary.rows_rejected}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--threads", type=int, default=None, help="DuckDB threads (all cores)")
    parser.add_argument("--backend", choices=["duckdb", "spark"], default="duckdb",
                        help="spark: time Spark (local mode) too, beside DuckDB")
    parser.add_argument("--measure", nargs=2, metavar=("FILE", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(Path(args.measure[0]), Path(args.measure[1]), args.threads,
                                 args.backend)))
        return

    with tempfile.TemporaryDirectory(prefix="stratify-bench-") as folder:
        path = Path(folder) / "claims.csv"
        generate(path, args.rows, args.seed)
        results = {}
        for backend in ["duckdb"] + (["spark"] if args.backend == "spark" else []):
            command = [sys.executable, __file__, "--measure", str(path),
                       str(Path(folder) / f"out-{backend}"), "--backend", backend]
            if args.threads:
                command += ["--threads", str(args.threads)]
            out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
            results[backend] = json.loads(out.strip().splitlines()[-1])
        result = results["duckdb"]
    print(f"rows: {result['rows']:,}")
    print(f"seconds end to end: {result['seconds']:.2f}")
    print(f"rows/s: {result['rows'] / result['seconds']:,.0f}")
    print(f"peak memory: {result['peak'] / 2**20:,.0f} MiB")
    print(f"floor (DuckDB scan grouped by child): {result['floor']:.2f} s")
    print(f"ratio to the floor: {result['seconds'] / result['floor']:.2f}")
    if "spark" in results:
        spark = results["spark"]
        print(f"spark (local mode) seconds: {spark['seconds']:.2f}")
        print(f"spark (local mode) rows/s: {spark['rows'] / spark['seconds']:,.0f} "
              f"(DuckDB: {result['rows'] / result['seconds']:,.0f})")


if __name__ == "__main__":
    main()
