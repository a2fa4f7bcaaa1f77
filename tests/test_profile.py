"""The profile page: editing who you are and choosing what your badge shares."""

from __future__ import annotations

import html

import pytest

from tests.conftest import csrf_token, login
from webapp.extensions import db
from webapp.models import User

FULL_PROFILE = {
    "name": "Ada Lovelace",
    "headline": "Engineer",
    "company": "Analytical Engines",
    "bio": "I write programs for machines that do not exist yet.",
    "links": "https://ada.example\nhttp://blog.ada.example/posts",
    "ask_me_about": "math, engines, Math",
    "learning": "weaving",
    "share_headline": "y",
    "share_company": "y",
    "share_bio": "y",
    "share_topics": "y",
    "open_to_chat": "y",
}


def page_text(response) -> str:
    """The response body as the text a person reads (entities decoded)."""
    return html.unescape(response.get_data(as_text=True))


def save(client, **fields):
    """Submit the profile form with ``fields`` on top of a full, valid profile."""
    data = {**FULL_PROFILE, **fields, "csrf_token": csrf_token(client)}
    return client.post("/profile", data={k: v for k, v in data.items() if v is not None})


def stored(app, user) -> User:
    """The user as stored now (detached, for reading)."""
    with app.app_context():
        found = db.session.get(User, user.id)
        db.session.expunge(found)
        return found


def test_the_profile_page_shows_the_form_and_the_badge_preview(client, factories):
    ada = factories.user(name="Ada Lovelace", headline="Engineer")
    login(client, ada)
    response = client.get("/profile")
    body = page_text(response)
    assert response.status_code == 200
    assert 'value="Ada Lovelace"' in body
    assert "When someone scans your badge, they see" in body
    assert '<span class="avatar avatar-lg" aria-hidden="true">AL</span>' in body
    for label in ["Ask me about", "I'm learning", "Email address", "Open to chat"]:
        assert label in body


def test_saving_the_profile_stores_clean_values(app, client, factories):
    ada = factories.user()
    login(client, ada)
    response = save(client, name="  Ada   Lovelace ")
    assert response.status_code == 302 and response.location == "/profile"
    assert "Profile saved." in page_text(client.get("/profile"))
    user = stored(app, ada)
    assert user.name == "Ada Lovelace"
    assert user.ask_me_about_topics == ["math", "engines"]
    assert user.link_list == ["https://ada.example", "http://blog.ada.example/posts"]
    assert (user.share_email, user.share_links, user.open_to_chat) == (False, False, True)


def test_the_badge_shares_only_what_is_ticked(app, client, other_client, factories):
    ada = factories.user(email="ada@example.org")
    login(client, ada)
    save(client, share_company=None, share_bio=None)
    card = page_text(other_client.get(f"/c/{ada.badge_token}"))
    assert "Ada Lovelace" in card and "Engineer" in card and "engines" in card
    assert "Analytical Engines" not in card
    assert "machines that do not exist" not in card
    assert "ada@example.org" not in card and "https://ada.example" not in card

    save(client, share_email="y", share_links="y", share_topics=None)
    card = page_text(other_client.get(f"/c/{ada.badge_token}"))
    assert "ada@example.org" in card and "https://ada.example" in card
    assert "engines" not in card


def test_preview_shows_unsaved_changes_without_saving(app, client, factories):
    ada = factories.user(name="Ada Lovelace")
    login(client, ada)
    response = save(client, headline="Chief Dreamer", action="preview")
    body = page_text(response)
    assert response.status_code == 200
    assert "Preview of your changes. They are not saved yet." in body
    assert "Chief Dreamer" in body
    assert stored(app, ada).headline == ""


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"links": "javascript:alert(1)"}, "is not a web link"),
        ({"links": "JAVASCRIPT://ada.example/%0aalert(1)"}, "is not a web link"),
        ({"links": "data:text/html,hi"}, "is not a web link"),
        ({"links": "ftp://ada.example"}, "is not a web link"),
        ({"links": "ada.example"}, "is not a web link"),
        ({"links": "\n".join(f"https://{n}.example" for n in range(6))}, "Add at most 5 links."),
        ({"links": "https://ada.example/" + "x" * 200}, "at most 200 characters"),
        ({"bio": "x" * 501}, "Keep the bio to 500 characters."),
        ({"name": ""}, "This field is required."),
        ({"headline": "x" * 121}, "Field cannot be longer than 120 characters."),
        ({"ask_me_about": "x" * 301}, "Field cannot be longer than 300 characters."),
    ],
)
def test_bad_profile_input_is_explained_and_nothing_is_saved(
    app, client, factories, fields, message
):
    ada = factories.user(name="Ada Lovelace", bio="Before")
    login(client, ada)
    response = save(client, **fields)
    assert response.status_code == 422
    body = page_text(response)
    assert message in body
    assert "Please correct the fields marked below." in body
    user = stored(app, ada)
    assert user.bio == "Before" and user.links == ""


def test_a_saved_link_is_shown_as_a_safe_link(client, other_client, factories):
    ada = factories.user()
    login(client, ada)
    save(client, links="https://ada.example/?q=<script>", share_links="y")
    card = other_client.get(f"/c/{ada.badge_token}").get_data(as_text=True)
    assert 'href="https://ada.example/?q=&lt;script&gt;"' in card
    assert "<script>" not in card.split("</head>", 1)[1]
