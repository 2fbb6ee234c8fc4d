"""Exit 0 when a PostgreSQL server answers at DATABASE_URL (used by `make test`)."""

import os
import sys

import psycopg

try:
    url = os.environ["DATABASE_URL"].replace("postgres://", "postgresql://", 1)
    psycopg.connect(url, connect_timeout=3).close()
except Exception as error:  # any failure means: no usable server here
    print(f"PostgreSQL not available: {error}", file=sys.stderr)
    sys.exit(1)
