#!/usr/bin/env python
"""Bulk Data $export speed: resources written per second by the export job on the
100,000-child demo network.

    .venv/bin/python bench/fhir_export.py                     # SQLite file under bench/
    .venv/bin/python bench/fhir_export.py --database-url postgres://postgres@127.0.0.1:5432/bench

The network is loaded once with `demo_network` (the same database as bench/pages.py, kept for
the next run) and copied, so the benchmark's changes stay out of the pages benchmark: in the
copy one practice's EMR is given every enrolled child (attributed, with a current consent to
share), the widest scope a client can have. Then, in a fresh process, the export job
(`interop.bulk.run`, what the worker runs) writes a system-level export of every type.
Prints, each on its own line: children in scope, resources, seconds, resources per second, and
the count of each type. Target on the 2-core machine: >= 5,000 resources/s.
"""

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402  (the pages benchmark loads and names the network databases)


def copy_database(source: str) -> str:
    if source.startswith("sqlite:///"):
        original = Path(source.removeprefix("sqlite:///"))
        copy = original.with_name(original.stem + "-fhir-export.sqlite3")
        shutil.copyfile(original, copy)
        return f"sqlite:///{copy}"
    import psycopg

    server, _, name = source.replace("postgres://", "postgresql://", 1).rpartition("/")
    copy = f"{name}_fhir_export"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{copy}"')
        conn.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{name}"')
    return source.rpartition("/")[0] + "/" + copy


def prepare():
    """In the copy: one practice's EMR sees every enrolled child."""
    import datetime

    from django.db import transaction
    from django.db.models import Count
    from django.utils import timezone

    from carecoord.families.models import Child, Consent, Practice
    from carecoord.interop.models import BackendClient

    today = timezone.localdate()
    practice = Practice.objects.annotate(n=Count("children")).order_by("-n").first()
    children = Child.objects.filter(enrollments__discharge_date__isnull=True).distinct()
    with transaction.atomic():
        children.update(pcp_practice=practice, pcp=None)
        Consent.objects.bulk_create([Consent(
            child_id=pk, shared_with_practice=practice, scope=Consent.Scope.CARE_PLAN,
            given_on=today - datetime.timedelta(days=30),
            expires_on=today + datetime.timedelta(days=335))
            for pk in children.values_list("pk", flat=True)], batch_size=5000)
        client = BackendClient.objects.create(name="Benchmark EMR", practice=practice,
                                              jwks={"keys": []}, scopes="system/*.read")
    return client


def measure() -> dict:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings

    from carecoord.accounts import policy
    from carecoord.interop import bulk
    from carecoord.interop.models import BulkExport

    client = prepare()
    in_scope = policy.children_for_practice(client.practice_id).count()
    settings.FHIR_EXPORT_DIR = Path(tempfile.mkdtemp(prefix="fhir-export-bench-"))
    export = BulkExport.objects.create(client=client, level=BulkExport.Level.SYSTEM,
                                       types=bulk.exportable_types("system"),
                                       request_url="http://bench/fhir/$export")
    started = time.perf_counter()
    status = bulk.run(export.pk)
    seconds = time.perf_counter() - started
    export.refresh_from_db()
    shutil.rmtree(settings.FHIR_EXPORT_DIR)
    return {"status": status, "children": in_scope, "seconds": seconds,
            "output": [{"type": o["type"], "count": o["count"]} for o in export.output]}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="PostgreSQL server/db prefix; default SQLite")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure()))
        return

    source = pages.database_url(args.database_url, args.children)
    pages.load(source, args.children, args.seed)
    url = copy_database(source)
    env = {**os.environ, "DATABASE_URL": url}
    out = subprocess.run([sys.executable, __file__, "--measure"], env=env, check=True,
                         capture_output=True, text=True).stdout
    result = json.loads(out.strip().splitlines()[-1])
    total = sum(item["count"] for item in result["output"])
    print(f"database: {'PostgreSQL' if url.startswith('postgres') else 'SQLite'}")
    print(f"children in scope: {result['children']:,}")
    print(f"resources: {total:,}")
    print(f"seconds: {result['seconds']:.1f}")
    print(f"resources/s: {total / result['seconds']:,.0f}")
    for item in result["output"]:
        print(f"  {item['type']}: {item['count']:,}")


if __name__ == "__main__":
    main()
