#!/usr/bin/env python
"""Page cost at scale: queries per page and median / p95 latency of the pages staff open all
day (My day, caseload, child record, care plan, contact history, supervisor pages), on a small
and a 100,000-child network (with its care plans, about 2 million contacts and the tasks the
reminder rules make).

    .venv/bin/python bench/pages.py                      # SQLite files under bench/
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/bench

Each size gets its own database, loaded once with `demo_network` (kept for the next run). The
pages are requested in-process through Django's test client as a signed-in user, so the
figures are server time (view, queries, template), not network time. The query count must be
the same at both sizes: that is what "does not grow with the data" means.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def database_url(base_url: str | None, children: int) -> str:
    if base_url:
        return f"{base_url.rstrip('/')}_{children}"
    return f"sqlite:///{ROOT / 'bench' / f'pages-{children}.sqlite3'}"


def ensure_postgres_database(url: str):
    import psycopg

    server, _, name = url.replace("postgres://", "postgresql://", 1).rpartition("/")
    with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def load(url: str, children: int, seed: int):
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "1"}
    if url.startswith("postgres"):
        ensure_postgres_database(url)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    started = time.perf_counter()
    subprocess.run([*manage, "demo_network", "--children", str(children), "--seed", str(seed),
                    "--if-empty"], env=env, check=True, stdout=subprocess.DEVNULL)
    subprocess.run([*manage, "create_reminders"], env=env, check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def measure(requests: int) -> dict:
    """Runs inside a process whose DATABASE_URL points at one loaded network."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
    import django

    django.setup()
    from django.db.models import Count
    from django.test import Client

    from carecoord.accounts.models import Role, User
    from carecoord.careplans.models import CarePlan
    from carecoord.contacts.models import Contact
    from carecoord.families.models import Child

    hub_coordinator = (User.objects.filter(role=Role.COORDINATOR, center__is_hub=True)
                       .annotate(n=Count("assignments")).order_by("-n").first())
    supervisor = User.objects.get(role=Role.SUPERVISOR, center=hub_coordinator.center)
    # The richest record at the hub: most referrals, in a household with siblings.
    child = (Child.objects.filter(center=hub_coordinator.center)
             .annotate(r=Count("referrals", distinct=True),
                       s=Count("household__children", distinct=True))
             .order_by("-s", "-r", "pk").first())
    # The fullest care plan and the longest contact history of this coordinator's children.
    plan = (CarePlan.objects.filter(child__enrollments__assignments__coordinator=hub_coordinator)
            .annotate(items=Count("goals__actions", distinct=True)).order_by("-items").first())
    talked_to = (Contact.objects.filter(child__center=hub_coordinator.center)
                 .values("child_id").annotate(n=Count("pk")).order_by("-n").first())
    pages = [
        ("My day", hub_coordinator, "/today/"),
        ("My caseload", hub_coordinator, "/children/?scope=mine"),
        ("Caseload search (center)", hub_coordinator, "/children/?scope=center&q=ma"),
        ("Caseload filter town+status", hub_coordinator,
         "/children/?scope=center&town=Hartford&status=enrolled"),
        ("Child record", hub_coordinator, f"/children/{child.pk}/"),
        *([("Care plan", hub_coordinator, f"/children/{plan.child_id}/plan/")] if plan else []),
        *([("Contact history", hub_coordinator, f"/children/{talked_to['child_id']}/contacts/")]
          if talked_to else []),
        ("Referrals waiting", supervisor, "/referrals/"),
        ("Center overview", supervisor, "/center/"),
    ]
    results = {"children": Child.objects.count(), "contacts": Contact.objects.count(),
               "pages": []}
    for name, user, url in pages:
        client = Client()
        client.force_login(user)
        client.get(url)  # warm caches and connections
        queries, _, timings = time_page(client, url, requests)
        results["pages"].append({
            "page": name, "queries": queries, "median_ms": statistics.median(timings),
            "p95_ms": timings[max(0, int(round(0.95 * len(timings))) - 1)],
        })
    return results


def time_page(client, url: str, requests: int) -> tuple[int, float, list[float]]:
    """One request of `url` with its queries counted and its time, then `requests` more
    timed: (queries, the first's ms, the others' ms sorted)."""
    from django.db import connection

    queries = []

    def count(execute, sql, params, many, context):
        queries.append(sql)
        return execute(sql, params, many, context)

    started = time.perf_counter()
    with connection.execute_wrapper(count):
        response = client.get(url)
    first = (time.perf_counter() - started) * 1000
    assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        started = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return len(queries), first, sorted(timings)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=50)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="PostgreSQL server/db prefix; default SQLite")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests)))
        return

    runs = {}
    for size in (args.small, args.children):
        url = database_url(args.database_url, size)
        load_seconds = load(url, size, args.seed)
        out = subprocess.run(
            [sys.executable, __file__, "--measure", "--requests", str(args.requests)],
            env={**os.environ, "DATABASE_URL": url, "DEBUG": "1"}, check=True,
            capture_output=True, text=True,
        ).stdout
        runs[size] = json.loads(out.strip().splitlines()[-1])
        runs[size]["load_seconds"] = load_seconds
    engine = "PostgreSQL" if args.database_url else "SQLite"
    small, large = runs[args.small], runs[args.children]
    print(f"CareCoord page cost on {engine}: {args.requests} requests a page, server time; "
          f"{large['contacts']:,} contacts in the large network")
    print(f"{'page':30} {'children':>9} {'queries':>8} {'median ms':>10} {'p95 ms':>8}")
    constant = True
    if [p["page"] for p in small["pages"]] != [p["page"] for p in large["pages"]]:
        sys.exit("the two networks do not have the same pages to compare")
    for before, after in zip(small["pages"], large["pages"]):
        for run, row in ((small, before), (large, after)):
            print(f"{row['page']:30} {run['children']:>9,} {row['queries']:>8} "
                  f"{row['median_ms']:>10.1f} {row['p95_ms']:>8.1f}")
        constant &= before["queries"] == after["queries"]
    print(f"query count constant from {small['children']:,} to {large['children']:,} children: "
          f"{'yes' if constant else 'NO'}")
    sys.exit(0 if constant else 1)


if __name__ == "__main__":
    main()
