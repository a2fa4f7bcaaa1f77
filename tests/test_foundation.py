"""The foundation: configuration, health check, security headers, accounts."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.conftest import csrf_token, login
from webapp import create_app
from webapp.config import ConfigError
from webapp.extensions import db
from webapp.models import Contact, Interaction, User


def test_healthz_reports_ok_after_a_database_round_trip(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_healthz_reports_503_when_the_database_is_unreachable(tmp_path):
    broken = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 32,
            "SQLALCHEMY_DATABASE_URI": "postgresql+psycopg://nobody@127.0.0.1:9/none",
            "SQLALCHEMY_ENGINE_OPTIONS": {"connect_args": {"connect_timeout": 1}},
        }
    )
    response = broken.test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json() == {"status": "unavailable"}


def test_production_refuses_to_start_without_a_secret_key(monkeypatch):
    monkeypatch.setenv("RAPPORT_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_production_uses_secure_cookies(monkeypatch):
    monkeypatch.setenv("RAPPORT_ENV", "production")
    monkeypatch.setenv("SECRET_KEY", "s" * 40)
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"


def test_development_keeps_a_generated_secret_key_in_instance(monkeypatch, tmp_path):
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("RAPPORT_ENV", raising=False)
    first = create_app().config["SECRET_KEY"]
    second = create_app().config["SECRET_KEY"]
    assert first == second and len(first) >= 32


def test_database_url_defaults_to_sqlite_in_instance(monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app()
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite:///")
    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("instance/rapport.sqlite3")


def test_security_headers_on_every_page(client):
    response = client.get("/login")
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_schema_matches_the_models(app):
    """The migrations build exactly the schema the models describe."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with app.app_context(), db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": False})
        assert compare_metadata(context, db.metadata) == []


def test_deleting_a_person_removes_their_contacts_and_notes_on_every_database(app, factories):
    """Foreign keys are enforced (SQLite too), so nothing is left orphaned."""
    ada = factories.user("Ada")
    grace = factories.user("Grace")
    factories.connect(ada, grace, note="Talked about compilers")
    with app.app_context():
        db.session.execute(sa.delete(User).where(User.id == ada.id))
        db.session.commit()
        owners = db.session.scalars(sa.select(Contact.owner_id)).all()
        notes = db.session.scalar(sa.select(sa.func.count(Interaction.id)))
        grace_contacts = db.session.scalar(
            sa.select(sa.func.count(Contact.id)).where(Contact.owner_id == grace.id)
        )
    assert owners == [] and notes == 0 and grace_contacts == 0
    with app.app_context(), pytest.raises(sa.exc.IntegrityError):
        db.session.add(Contact(owner_id=999_999, name="Nobody", how=Contact.HOW_MANUAL))
        db.session.commit()
    with app.app_context():
        db.session.rollback()


# --- accounts --------------------------------------------------------------------------------


def register(client, email="ada@example.org", password="a-long-password", name="Ada Lovelace"):
    """Sign up through the real form."""
    return client.post(
        "/register",
        data={
            "name": name,
            "email": email,
            "password": password,
            "confirm": password,
            "csrf_token": csrf_token(client),
        },
    )


def test_register_logs_in_and_hashes_the_password(client, app):
    response = register(client)
    assert response.status_code == 302
    assert client.get("/badge").status_code == 200
    with app.app_context():
        user = db.session.scalar(sa.select(User))
        assert user.password_hash != "a-long-password"
        assert user.check_password("a-long-password")


def test_emails_are_unique_regardless_of_case(client, other_client):
    register(client, email="Ada@Example.org")
    response = register(other_client, email="ada@EXAMPLE.org")
    assert response.status_code == 200
    assert b"An account with this email exists" in response.data


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("password", "short", b"Use at least 10 characters."),
        ("email", "not-an-email", b"Enter a valid email address."),
        ("name", "", b"This field is required."),
    ],
)
def test_register_explains_bad_input(client, field, value, message):
    data = {
        "name": "Ada",
        "email": "ada@example.org",
        "password": "a-long-password",
        "confirm": "a-long-password",
        "csrf_token": csrf_token(client),
    }
    data[field] = value
    if field == "password":
        data["confirm"] = value
    response = client.post("/register", data=data)
    assert response.status_code == 200
    assert message in response.data


def test_forms_refuse_a_missing_csrf_token(client):
    response = client.post("/login", data={"email": "a@b.org", "password": "whatever-long"})
    assert response.status_code == 400
    assert b"session token is missing or expired" in response.data


def test_failed_login_does_not_say_whether_the_email_exists(client, factories):
    user = factories.user(email="known@example.org")
    wrong_password = login(client, user, password="wrong-password")
    unknown = client.post(
        "/login",
        data={
            "email": "unknown@example.org",
            "password": "x" * 12,
            "csrf_token": csrf_token(client),
        },
    )
    assert b"Email or password is incorrect." in wrong_password.data
    assert b"Email or password is incorrect." in unknown.data
    assert wrong_password.status_code == unknown.status_code == 200


def test_login_is_case_insensitive_and_goes_back_to_the_page_that_sent_the_user(client, factories):
    user = factories.user(email="grace@example.org")
    response = client.get("/contacts")
    assert response.status_code == 302 and "/login?next=" in response.location
    response = client.post(
        "/login",
        data={
            "email": "GRACE@example.org",
            "password": user.password,
            "next": "/contacts",
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    assert response.location == "/contacts"


@pytest.mark.parametrize(
    "next_url", ["https://evil.example/", "//evil.example/", "/\\evil.example", "javascript:x"]
)
def test_login_never_redirects_off_site(client, factories, next_url):
    user = factories.user()
    response = client.post(
        "/login",
        data={
            "email": user.email,
            "password": user.password,
            "next": next_url,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302
    assert response.location == "/badge"


def test_login_attempts_are_rate_limited(client, factories):
    user = factories.user()
    statuses = [login(client, user, password="wrong-password").status_code for _ in range(11)]
    assert statuses[:10] == [200] * 10
    assert statuses[10] == 429


def test_logout_needs_a_post_with_csrf(client, factories):
    user = factories.user()
    login(client, user)
    assert client.get("/logout").status_code == 405
    response = client.post("/logout", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert client.get("/badge").status_code == 302


# --- sample data ---------------------------------------------------------------------------


def test_seed_demo_prints_a_login_that_works_and_is_idempotent(runner, client, app):
    from webapp.cli import DEMO_EMAIL, DEMO_PASSWORD
    from webapp.models import Contact, FollowUp

    result = runner.invoke(args=["seed-demo"])
    assert result.exit_code == 0, result.output
    assert f"Log in as {DEMO_EMAIL} with password {DEMO_PASSWORD}" in result.output
    again = runner.invoke(args=["seed-demo"])
    assert "already there" in again.output

    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 6 * 2 + 1
        assert db.session.scalar(sa.select(sa.func.count(FollowUp.id))) == 4

    response = client.post(
        "/login",
        data={"email": DEMO_EMAIL, "password": DEMO_PASSWORD, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
