#!/usr/bin/env python
"""Report pages at scale: the network's program measures and the Title V annual report on the
100,000-child demo network (about 2 million contacts), as the hub's technical assistance staff
and the state's Title V analyst open them.

    .venv/bin/python bench/reports.py                      # SQLite file under bench/
    .venv/bin/python bench/reports.py --database-url postgres://postgres@127.0.0.1:5432/bench

The network is the one bench/pages.py loads (kept between runs). Each page is requested in a
fresh process through Django's test client: the first request is "cold" (new connection,
empty caches), then `--requests` warm ones. Prints, per page: queries, cold ms, warm median
ms, and the same at the small size, whose query count must be the same. Target: <= 2 s cold
on PostgreSQL.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

import pages  # noqa: E402  (loads and names the network databases)


def measure(requests: int) -> dict:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "carecoord.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from carecoord.accounts.models import Role, User
    from carecoord.families.models import Child

    hub_ta = User.objects.filter(role=Role.HUB_TA).first()
    analyst = User.objects.filter(role=Role.TITLE_V).first()
    targets = [
        ("Program measures, five centers (hub)", hub_ta, "/reports/"),
        ("Program measures, five centers (Title V)", analyst, "/reports/"),
        ("Program measures CSV (hub)", hub_ta, "/reports/measures.csv"),
        ("Title V annual report, all centers", analyst, "/titlev/"),
    ]
    results = {"children": Child.objects.count(), "pages": []}
    for name, user, url in targets:
        if user is None:
            continue
        client = Client()
        client.force_login(user)
        connection.close()  # cold: a new connection, nothing cached by this process
        queries, cold, timings = pages.time_page(client, url, requests)
        results["pages"].append({"page": name, "queries": queries, "cold_ms": cold,
                                 "median_ms": statistics.median(timings)})
    return results


def run(url: str, requests: int) -> dict:
    env = {**os.environ, "DATABASE_URL": url}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--noinput", "-v0"], env=env, check=True)
    out = subprocess.run([sys.executable, __file__, "--measure", "--requests", str(requests)],
                         env=env, check=True, capture_output=True, text=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--children", type=int, default=100_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--requests", type=int, default=5)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--database-url", help="PostgreSQL server/db prefix; default SQLite")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.requests)))
        return

    sizes = {}
    for children in (args.small, args.children):
        url = pages.database_url(args.database_url, children)
        pages.load(url, children, args.seed)
        sizes[children] = run(url, args.requests)
    engine = "PostgreSQL" if args.database_url else "SQLite"
    small, large = sizes[args.small], sizes[args.children]
    print(f"{engine}: {large['children']:,} children (small: {small['children']:,})")
    steady = True
    for big, little in zip(large["pages"], small["pages"], strict=True):
        print(f"{big['page']}: {big['queries']} queries, cold {big['cold_ms']:.0f} ms, warm "
              f"median {big['median_ms']:.0f} ms (small: {little['queries']} queries, cold "
              f"{little['cold_ms']:.0f} ms)")
        steady &= big["queries"] == little["queries"]
    if not steady:
        print("query counts differ between the sizes")
        sys.exit(1)


if __name__ == "__main__":
    main()
