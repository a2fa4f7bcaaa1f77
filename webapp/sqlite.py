"""SQLite as a real transactional database: write-ahead log and working SAVEPOINTs.

Python's sqlite3 driver opens transactions lazily, only before a write, so a SAVEPOINT taken
before the first write (``session.begin_nested()`` in a service) became the outer
transaction, and releasing it committed the request's work halfway, with an fsync each time.
Following SQLAlchemy's documented recipe, the driver's own transaction handling is switched
off and every transaction starts with an explicit BEGIN. WAL with ``synchronous=NORMAL``
then makes a commit a sequential append: durable across crashes of the app, fast enough for
a badge scan, and readers no longer block the writer.

SQLite also ignores foreign keys unless each connection asks for them; without them a
deleted user would leave orphaned contacts and notes behind, as PostgreSQL never would.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask

from webapp.extensions import db


def _on_connect(dbapi_connection, connection_record) -> None:
    """Let SQLAlchemy, not the driver, decide when transactions begin; turn on WAL and FKs."""
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def _on_begin(connection) -> None:
    """Open the transaction explicitly, so SAVEPOINTs nest inside it."""
    connection.exec_driver_sql("BEGIN")


def init_app(app: Flask) -> None:
    """Tune the app's engine when it is SQLite; other databases are left alone."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name != "sqlite":
        return
    sa.event.listen(engine, "connect", _on_connect)
    sa.event.listen(engine, "begin", _on_begin)
