"""The pages run a fixed number of SQL statements, however many contacts, notes and
follow-ups a person has: everything is loaded eagerly, nothing while templates render."""

from __future__ import annotations

from contextlib import contextmanager
from datetime import date, timedelta

import pytest
from sqlalchemy import event

from tests.conftest import login
from webapp.extensions import db

# Generous ceilings: the point is that counts stay flat, but a jump would still show.
MAX_STATEMENTS = 8


@contextmanager
def counted_statements(app):
    """Collect every SQL statement sent to the database inside the block."""
    statements: list[str] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        statements.append(statement)

    with app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(engine, "before_cursor_execute", record)


def build_network(factories, owner, size: int) -> int:
    """Give ``owner`` ``size`` contacts (half connected, half by hand), each with a note and a
    follow-up, some overdue; returns the id of one connected contact."""
    today = date.today()
    event_id = factories.event(owner)
    first = None
    for n in range(size):
        if n % 2:
            contact = factories.manual_contact(owner, f"Guest {n}", company="Acme")
        else:
            contact = factories.connect(
                owner, factories.user(name=f"Member {n}"), event_id=event_id
            )
            first = first or contact
        factories.note(
            owner, contact, f"note {n}", follow_up=f"task {n}", due_on=today + timedelta(days=n - 2)
        )
        factories.note(owner, first, f"extra note {n}")
    return first


def statements_for(app, client, url: str) -> list[str]:
    """The statements one GET of ``url`` runs (after a warm-up request)."""
    assert client.get(url).status_code == 200
    with counted_statements(app) as statements:
        response = client.get(url)
    assert response.status_code == 200
    return statements


@pytest.mark.parametrize(
    "url",
    [
        "/contacts",
        "/contacts?sort=name",
        "/contacts?q=e",
        "/contacts/{contact}",
        "/follow-ups",
        "/contacts/export.csv",
        "/contacts/export.vcf",
    ],
)
def test_statements_do_not_grow_with_the_number_of_contacts(
    app, client, other_client, factories, url
):
    small_owner, large_owner = factories.user(), factories.user()
    small_contact = build_network(factories, small_owner, 3)
    large_contact = build_network(factories, large_owner, 30)
    login(client, small_owner)
    login(other_client, large_owner)

    small = statements_for(app, client, url.format(contact=small_contact))
    large = statements_for(app, other_client, url.format(contact=large_contact))
    assert len(small) == len(large), (small, large)
    assert len(large) <= MAX_STATEMENTS, large
