"""Builds the peer's database (migrations, the department's home page and columns, the same
articles as benchmarks/page_serving.py from the same seed) and counts its SQL per page.

Run by benchmarks/render_peer.py with DJANGO_SETTINGS_MODULE=peer.settings and DATABASE_URL set;
prints one JSON object: {"sql": median statements per article page}.
"""

import json
import random
import statistics
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE.parent.parent), str(HERE.parent.parent / "platform")]


def count_sql(path: str, host: str, requests: int = 20) -> float:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.get(path, HTTP_HOST=host)
    counts = []
    for _ in range(requests):
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, HTTP_HOST=host)
        assert response.status_code == 200, response.status_code
        counts.append(len(captured))
    return statistics.median(counts)


def main():
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from page_serving import ARTICLE_PATH, fill_site

    from tenants.models import Department
    from tenants.provisioning import ensure_site

    seed, articles = int(sys.argv[1]), int(sys.argv[2])
    call_command("migrate", interactive=False, verbosity=0)
    department = Department(name=settings.PEER_SITE["name"], host_prefix=settings.PEER_SITE["host_prefix"])
    ensure_site(department)
    fill_site(department.name, random.Random(seed), articles, extra_columns=0)
    figures = {"sql": count_sql(ARTICLE_PATH, department.hostname)}
    print(json.dumps(figures))  # noqa: T201


if __name__ == "__main__":
    main()
