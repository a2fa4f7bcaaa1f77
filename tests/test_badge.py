"""The badge page, its QR code, opening a badge URL and connecting from it."""

from __future__ import annotations

import html
import io
import re

import pytest
import sqlalchemy as sa
import zxingcpp
from PIL import Image

from tests.conftest import csrf_token, login
from webapp.extensions import db
from webapp.models import Connection, Contact, Interaction, User


def page_text(response) -> str:
    """The response body as the text a person reads (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def current_token(app, user) -> str:
    """The user's badge token as it is in the database now."""
    with app.app_context():
        return db.session.get(User, user.id).badge_token


def contact_count(app) -> int:
    """How many contacts exist at all."""
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count(Contact.id)))


# --- the badge page --------------------------------------------------------------------------


def test_badge_page_shows_a_large_accessible_qr_code_the_name_and_the_shared_card(
    client, factories
):
    ada = factories.user(name="Ada Lovelace", headline="Engineer", company="Analytical Engines")
    login(client, ada)
    response = client.get("/badge")
    body = page_text(response)
    assert response.status_code == 200
    svg = re.search(r"<svg [^>]*role=\"img\"[^>]*>", body)
    assert svg, "the QR code is inline SVG with role=img"
    assert 'aria-labelledby="badge-qr-title"' in svg.group(0)
    assert (
        f'<title id="badge-qr-title">QR code of your badge, linking to http://localhost/c/{ada.badge_token}</title>'
        in body
    )
    assert "viewBox" in svg.group(0) and "crispEdges" in svg.group(0)
    assert "Ada Lovelace" in body and "Engineer · Analytical Engines" in body
    assert f'href="/c/{ada.badge_token}/qr.png"' in body
    assert 'action="/badge/rotate"' in body


def test_the_png_qr_code_decodes_to_exactly_the_badge_url(client, factories):
    ada = factories.user()
    response = client.get(f"/c/{ada.badge_token}/qr.png")
    assert response.status_code == 200
    assert response.mimetype == "image/png"
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))
    assert [result.text for result in results] == [f"http://localhost/c/{ada.badge_token}"]


def test_the_base_url_setting_goes_into_the_qr_code(app, client, factories):
    ada = factories.user()
    app.config["RAPPORT_BASE_URL"] = "https://rapport.example"
    try:
        response = client.get(f"/c/{ada.badge_token}/qr.png")
    finally:
        app.config["RAPPORT_BASE_URL"] = ""
    results = zxingcpp.read_barcodes(Image.open(io.BytesIO(response.data)))
    assert [result.text for result in results] == [f"https://rapport.example/c/{ada.badge_token}"]


@pytest.mark.parametrize(
    ("suffix", "mimetype"), [("qr.svg", "image/svg+xml"), ("qr.png", "image/png")]
)
def test_qr_images_are_cacheable_for_ever_under_their_token(client, factories, suffix, mimetype):
    ada = factories.user()
    response = client.get(f"/c/{ada.badge_token}/{suffix}")
    assert response.status_code == 200
    assert response.mimetype == mimetype
    cache_control = response.headers["Cache-Control"]
    assert "public" in cache_control and "immutable" in cache_control
    assert "max-age=31536000" in cache_control


@pytest.mark.parametrize("suffix", ["qr.svg", "qr.png"])
def test_qr_images_of_an_unknown_token_are_404(client, suffix):
    assert client.get(f"/c/unknown-token-0123456789/{suffix}").status_code == 404


def test_rotating_the_badge_stops_the_old_code_and_images_at_once(app, client, factories):
    ada = factories.user()
    old = ada.badge_token
    login(client, ada)
    assert client.get(f"/c/{old}").status_code == 200
    response = client.post("/badge/rotate", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.location == "/badge"
    assert "Your badge has a new code" in page_text(client.get("/badge"))
    new = current_token(app, ada)
    assert new != old and len(new) >= 22

    gone = client.get(f"/c/{old}")
    assert gone.status_code == 404
    assert "not valid, or no longer valid" in page_text(gone)
    assert client.get(f"/c/{old}/qr.png").status_code == 404
    assert client.get(f"/c/{old}/qr.svg").status_code == 404
    assert client.get(f"/c/{new}").status_code == 200
    badge = page_text(client.get("/badge"))
    assert new in badge and old not in badge


def test_rotating_needs_a_post_with_csrf(client, factories):
    ada = factories.user()
    login(client, ada)
    assert client.get("/badge/rotate").status_code == 405
    assert client.post("/badge/rotate").status_code == 400


def test_the_badge_page_warns_before_getting_a_new_code(client, factories):
    login(client, factories.user())
    body = page_text(client.get("/badge"))
    assert "will stop working at once" in body
    assert "Yes, replace my code" in body


# --- opening a badge URL ---------------------------------------------------------------------


def test_an_anonymous_visitor_sees_the_shared_card_and_how_to_connect(app, client, factories):
    ada = factories.user(
        name="Ada Lovelace",
        headline="Engineer",
        bio="Loves engines",
        company="Secret Co",
        share_company=False,
    )
    response = client.get(f"/c/{ada.badge_token}")
    body = page_text(response)
    assert response.status_code == 200
    assert "Ada Lovelace" in body and "Loves engines" in body
    assert "Secret Co" not in body
    assert "Log in or sign up to connect" in body
    assert f'href="/login?connect={ada.badge_token}"' in body
    assert f'href="/register?connect={ada.badge_token}"' in body
    assert 'name="robots" content="noindex' in body


def test_opening_a_badge_url_never_changes_data(app, client, factories):
    ada, bob = factories.user(), factories.user()
    login(client, bob)
    for _ in range(3):  # link-preview bots and prefetchers open URLs repeatedly
        assert client.get(f"/c/{ada.badge_token}").status_code == 200
    assert contact_count(app) == 0


def test_a_logged_in_visitor_gets_a_connect_button_with_an_optional_note(client, factories):
    ada, bob = factories.user(name="Ada Lovelace"), factories.user()
    login(client, bob)
    body = page_text(client.get(f"/c/{ada.badge_token}"))
    assert f'action="/c/{ada.badge_token}/connect"' in body
    assert 'name="note"' in body
    assert "Connect with Ada Lovelace" in body


def test_connecting_makes_a_mutual_connection_and_keeps_the_note_private(app, client, factories):
    ada, bob = factories.user(name="Ada Lovelace"), factories.user(name="Bob Byte")
    login(client, bob)
    response = client.post(
        f"/c/{ada.badge_token}/connect",
        data={"note": "Talked about looms", "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 302
    bobs_contact = int(response.location.rsplit("/", 1)[1])
    page = page_text(client.get(response.location))
    assert "You're connected with Ada Lovelace." in page
    assert "You scanned Ada Lovelace's badge" in page
    assert "Talked about looms" in page
    with app.app_context():
        contacts = db.session.scalars(sa.select(Contact).order_by(Contact.id)).all()
        assert {(c.owner_id, c.person_id, c.how) for c in contacts} == {
            (bob.id, ada.id, Contact.HOW_SCANNED),
            (ada.id, bob.id, Contact.HOW_WAS_SCANNED),
        }
        assert bobs_contact in {c.id for c in contacts if c.owner_id == bob.id}
        note = db.session.scalar(sa.select(Interaction).where(Interaction.kind == "note"))
        assert note.owner_id == bob.id


def test_rescanning_is_noted_on_the_timeline_not_duplicated(app, client, factories):
    ada, bob = factories.user(name="Ada Lovelace"), factories.user()
    factories.connect(bob, ada)
    login(client, bob)
    assert "You're already connected" in page_text(client.get(f"/c/{ada.badge_token}"))
    response = client.post(f"/c/{ada.badge_token}/connect", data={"csrf_token": csrf_token(client)})
    page = page_text(client.get(response.location))
    assert "You were already connected with Ada Lovelace. We noted that you met again." in page
    assert "You met again" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Connection.id))) == 1
        assert db.session.scalar(sa.select(sa.func.count(Contact.id))) == 2


def test_your_own_badge_gets_a_friendly_message_and_no_button(client, factories):
    ada = factories.user()
    login(client, ada)
    response = client.get(f"/c/{ada.badge_token}")
    body = page_text(response)
    assert response.status_code == 200
    assert "This is your own badge" in body
    assert "/connect" not in body


def test_connecting_with_your_own_badge_makes_nothing(app, client, factories):
    ada = factories.user()
    login(client, ada)
    response = client.post(f"/c/{ada.badge_token}/connect", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302 and response.location == "/badge"
    assert contact_count(app) == 0


def test_an_unknown_code_gets_a_404_page_that_says_so(client, factories):
    login(client, factories.user())
    for token in ["no-such-token-000000000", "x" * 300]:
        response = client.get(f"/c/{token}")
        assert response.status_code == 404
        assert "This badge code isn't valid" in page_text(response)
    response = client.post(
        "/c/no-such-token-000000000/connect", data={"csrf_token": csrf_token(client)}
    )
    assert response.status_code == 404


def test_a_too_long_note_re_renders_the_form_with_the_error(app, client, factories):
    ada, bob = factories.user(), factories.user()
    login(client, bob)
    response = client.post(
        f"/c/{ada.badge_token}/connect",
        data={"note": "x" * 2001, "csrf_token": csrf_token(client)},
    )
    assert response.status_code == 422
    assert "Keep the note under 2000 characters." in page_text(response)
    assert contact_count(app) == 0


def test_an_anonymous_connect_goes_to_login_and_connects_right_after(app, client, factories):
    ada = factories.user(name="Ada Lovelace")
    bob = factories.user()
    response = client.post(f"/c/{ada.badge_token}/connect", data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.location == f"/login?connect={ada.badge_token}"
    response = client.post(
        "/login",
        data={
            "email": bob.email,
            "password": bob.password,
            "connect": ada.badge_token,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302 and response.location.startswith("/contacts/")
    assert "You're connected with Ada Lovelace." in page_text(client.get(response.location))


def test_a_newcomer_signs_up_from_a_scanned_badge_and_is_connected(app, client, factories):
    ada = factories.user(name="Ada Lovelace")
    signup_link = f"/register?connect={ada.badge_token}"
    assert signup_link in page_text(client.get(f"/c/{ada.badge_token}"))
    form = page_text(client.get(signup_link))
    assert f'value="{ada.badge_token}"' in form
    response = client.post(
        "/register",
        data={
            "name": "Nina Newcomer",
            "email": "nina@example.org",
            "password": "a-long-password",
            "confirm": "a-long-password",
            "connect": ada.badge_token,
            "csrf_token": csrf_token(client),
        },
    )
    assert response.status_code == 302 and response.location.startswith("/contacts/")
    assert contact_count(app) == 2
