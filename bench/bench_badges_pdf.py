"""Measure badge PDF generation (1,000 badges) and a 10,000-row attendee import.

Usage: python bench/bench_badges_pdf.py [DATABASE_URL]
The import runs against a scratch database: a temporary SQLite file by default, or the
PostgreSQL URL given (its public schema is dropped and recreated, so use a scratch one).
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import sqlalchemy as sa  # noqa: E402
from flask_migrate import upgrade  # noqa: E402

from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import User  # noqa: E402
from webapp.models.user import new_badge_token  # noqa: E402
from webapp.services import events, imports  # noqa: E402
from webapp.services.badges_pdf import BadgeData, badges_pdf  # noqa: E402


def bench_badges(runs: int = 3) -> None:
    """1,000 badges on A4 and on US Letter, best and median of ``runs``."""
    badges = [
        BadgeData(
            name=f"Attendee Number {n} Longfamilyname",
            company=f"Company {n % 70} GmbH",
            url=f"https://rapport.example.org/c/{new_badge_token()}",
        )
        for n in range(1000)
    ]
    for paper in ("a4", "letter"):
        times, size = [], 0
        for _ in range(runs):
            started = time.perf_counter()
            size = len(badges_pdf(badges, "PyCon 2026", paper))
            times.append(time.perf_counter() - started)
        print(
            f"badges_pdf 1000 badges {paper:6}: best {min(times):.2f}s, "
            f"median {statistics.median(times):.2f}s, {size / 1e6:.2f} MB, 125 pages"
        )


def bench_import(url: str | None) -> None:
    """Parse, preview and commit a 10,000-row CSV into a fresh database."""
    scratch = None
    if not url:
        scratch = tempfile.TemporaryDirectory()
        url = f"sqlite:///{scratch.name}/bench.sqlite3"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SERVER_NAME": "bench.local"})
    with app.app_context():
        if url.startswith("postgresql"):
            db.session.execute(sa.text("DROP SCHEMA public CASCADE"))
            db.session.execute(sa.text("CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
        owner = User(name="Owner")
        owner.set_email("owner@example.org")
        db.session.add(owner)
        db.session.flush()
        event = events.create_event(
            owner, name="Bench", slug="bench", starts_on=date.today(), ends_on=date.today()
        )
        db.session.commit()
        lines = ["First Name;Last Name;E-mail;Company;Title"] + [
            f"Person;{n};person{n}@example.net;Company {n % 70};Engineer" for n in range(10_000)
        ]
        text = "\ufeff" + "\n".join(lines)

        started = time.perf_counter()
        parsed = imports.parse_attendee_csv(text)
        plan = imports.plan_import(event, parsed)
        batch = imports.create_import_batch(event, owner, "bench.csv", text)
        db.session.commit()
        preview_time = time.perf_counter() - started

        started = time.perf_counter()
        result = imports.commit_import(event, batch)
        db.session.commit()
        commit_time = time.perf_counter() - started

        batch2 = imports.create_import_batch(event, owner, "bench.csv", text)
        db.session.commit()
        started = time.perf_counter()
        again = imports.commit_import(event, batch2)
        db.session.commit()
        reimport_time = time.perf_counter() - started
        dialect = db.engine.dialect.name
        db.engine.dispose()
    print(
        f"import 10,000 rows on {dialect}: preview {preview_time:.2f}s "
        f"({plan.new_accounts} new), commit {commit_time:.2f}s ({result.created} created), "
        f"re-import {reimport_time:.2f}s ({again.updated} updated)"
    )
    if scratch:
        scratch.cleanup()


if __name__ == "__main__":
    bench_badges()
    bench_import(sys.argv[1] if len(sys.argv) > 1 else None)
