"""Shared fixtures: one app and schema per test session, a clean database for every test.

The schema is built by the real Alembic migrations, on SQLite by default or on the
PostgreSQL database named by ``TEST_DATABASE_URL`` (``.ci/run`` sets it).
"""

from __future__ import annotations

import os
import re

import pytest
import sqlalchemy as sa
from flask_migrate import upgrade

from tests.factories import Factories
from webapp import create_app
from webapp.extensions import db, limiter

CSRF_META = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


def _database_url(tmp_path_factory) -> str:
    """The database under test: TEST_DATABASE_URL, or a fresh SQLite file."""
    url = os.environ.get("TEST_DATABASE_URL")
    if url:
        return url
    return f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.sqlite3'}"


@pytest.fixture(scope="session")
def app(tmp_path_factory):
    """The application under test, with its schema built by the migrations."""
    url = _database_url(tmp_path_factory)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-not-for-production",
            "SQLALCHEMY_DATABASE_URI": url,
            "RAPPORT_BASE_URL": "",
            "LOGIN_RATE_LIMIT": "10 per minute",
            # Real hashing, cheap parameters: scrypt would cost ~0.1 s per user and login.
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )
    with app.app_context():
        if url.startswith("postgresql"):
            # CI hands us a fresh database; a developer's may hold an older run's tables.
            db.session.execute(sa.text("DROP SCHEMA public CASCADE"))
            db.session.execute(sa.text("CREATE SCHEMA public"))
            db.session.commit()
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _clean_database(app):
    """Empty every table and reset rate limits after each test."""
    yield
    with app.app_context():
        db.session.remove()
        tables = [t.name for t in db.metadata.sorted_tables]
        if db.engine.dialect.name == "postgresql":
            db.session.execute(sa.text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            for table in reversed(db.metadata.sorted_tables):
                db.session.execute(table.delete())
        db.session.commit()
    limiter.reset()


@pytest.fixture
def client(app):
    """A test client: a browser without JavaScript."""
    return app.test_client()


@pytest.fixture
def other_client(app):
    """A second, independent test client for a second person."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A runner for the app's CLI commands."""
    return app.test_cli_runner()


@pytest.fixture
def factories(app) -> Factories:
    """Builders for users, contacts, notes and events, committed to the test database."""
    return Factories(app)


def csrf_token(client) -> str:
    """Fetch a fresh CSRF token for this client's session."""
    response = client.get("/api/v1/csrf-token")
    assert response.status_code == 200, response.data
    return response.get_json()["csrf_token"]


def csrf_from_html(html: str) -> str:
    """Read the CSRF token from a page's meta tag."""
    match = CSRF_META.search(html)
    assert match, "page has no csrf-token meta tag"
    return match.group(1)


def login(client, user, password: str | None = None):
    """Log ``user`` in through the real login form."""
    return client.post(
        "/login",
        data={
            "email": user.email,
            "password": password or user.password,
            "csrf_token": csrf_token(client),
        },
    )


class ApiClient:
    """Calls the JSON API with the session cookie and a fresh X-CSRFToken header."""

    def __init__(self, client):
        self.client = client
        self._token: str | None = None

    def _headers(self) -> dict:
        if self._token is None:
            self._token = csrf_token(self.client)
        return {"X-CSRFToken": self._token}

    def get(self, url, **kwargs):
        """GET ``url``."""
        return self.client.get(url, **kwargs)

    def post(self, url, json=None, **kwargs):
        """POST JSON to ``url`` with the CSRF header."""
        return self.client.post(url, json=json, headers=self._headers(), **kwargs)

    def patch(self, url, json=None, **kwargs):
        """PATCH JSON to ``url`` with the CSRF header."""
        return self.client.patch(url, json=json, headers=self._headers(), **kwargs)

    def delete(self, url, **kwargs):
        """DELETE ``url`` with the CSRF header."""
        return self.client.delete(url, headers=self._headers(), **kwargs)


@pytest.fixture
def api(client) -> ApiClient:
    """The JSON API, through ``client``'s session."""
    return ApiClient(client)
