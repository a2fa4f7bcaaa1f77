"""Attendee CSV import: header variants, BOM, semicolons, bad rows, re-import, atomicity."""

from __future__ import annotations

import io
import re

import pytest
import sqlalchemy as sa

from tests.conftest import ApiClient, csrf_from_html, login
from webapp.extensions import db
from webapp.models import ImportBatch, Membership, User
from webapp.services import imports


@pytest.fixture
def organizer(client, factories):
    """A logged-in owner of the event ``conf``; returns ``(user, event_id)``."""
    owner = factories.user(name="Olga Owner")
    event_id = factories.event(owner, name="Conf", slug="conf")
    login(client, owner)
    return owner, event_id


def upload(client, content: bytes, filename="attendees.csv"):
    """Upload a CSV through the import form; returns the response (not followed)."""
    page = client.get("/events/conf/import").get_data(as_text=True)
    return client.post(
        "/events/conf/import",
        data={"csrf_token": csrf_from_html(page), "file": (io.BytesIO(content), filename)},
        content_type="multipart/form-data",
    )


def preview_and_commit(client, content: bytes, send_claim_emails=True):
    """Upload, open the preview, and confirm the import; returns the preview page text."""
    response = upload(client, content)
    assert response.status_code == 302, response.get_data(as_text=True)
    preview = client.get(response.location).get_data(as_text=True)
    commit_url = re.search(r'action="([^"]+/commit)"', preview).group(1)
    data = {"csrf_token": csrf_from_html(preview)}
    if send_claim_emails:
        data["send_claim_emails"] = "y"
    result = client.post(commit_url, data=data)
    assert result.status_code == 302
    return preview, client.get(result.location).get_data(as_text=True)


def attendees(app, event_id):
    """``{email: (name, company, headline)}`` of the event's members."""
    with app.app_context():
        rows = db.session.execute(
            sa.select(User.email_normalized, User.name, User.company, User.headline)
            .join(Membership, Membership.user_id == User.id)
            .where(Membership.event_id == event_id)
        )
        return {email: rest for email, *rest in rows}


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        pytest.param(
            b"Name,Email,Company,Title\nAda Lovelace,ada@example.org,Analytical,Engineer\n",
            ("Ada Lovelace", "ada@example.org", "Analytical", "Engineer"),
            id="plain",
        ),
        pytest.param(
            "\ufeffFirst Name;Last Name;E-mail;Organisation;Job Title\r\n"
            "Zoë;Müller;ZOE@Example.org;Straße AG;CTO\r\n".encode(),
            ("Zoë Müller", "ZOE@Example.org", "Straße AG", "CTO"),
            id="bom-semicolon-first-last",
        ),
        pytest.param(
            b"  EMAIL ADDRESS , full name ,COMPANY\n grace@example.org , Grace  Hopper , Navy\n",
            ("Grace Hopper", "grace@example.org", "Navy", ""),
            id="case-and-spacing",
        ),
        pytest.param(
            b'name,email,company\n"Hopper, Grace",grace@example.org,"Navy; Yale"\n',
            ("Hopper, Grace", "grace@example.org", "Navy; Yale", ""),
            id="quoted-separators",
        ),
    ],
)
def test_header_variants_bom_and_separators(content, expected):
    parsed = imports.parse_attendee_csv(imports.decode_upload(content))
    assert parsed.problems == []
    row = parsed.rows[0]
    assert (row.name, row.email, row.company, row.title) == expected


def test_preview_lists_every_bad_row_with_its_line_and_writes_nothing(client, organizer, app):
    content = (
        b"Name,Email\n"
        b"Ada,ada@example.org\n"  # line 2
        b"No Email,\n"  # line 3
        b"Bad,not-an-email\n"  # line 4
        b"\n"  # line 5: blank, ignored
        b"Ada Again,ADA@example.org\n"  # line 6: duplicate of line 2
        b",nameless@example.org\n"  # line 7
        b"Bob,bob@example.org\n"  # line 8
    )
    response = upload(client, content)
    assert response.status_code == 302
    page = client.get(response.location).get_data(as_text=True)
    assert "2 attendees ready" in page
    for line, reason in [
        (3, "missing email"),
        (4, "invalid email “not-an-email”"),
        (6, "duplicate of line 2 (ADA@example.org)"),
        (7, "missing name"),
    ]:
        assert f"<tr><td>{line}</td><td>{reason}</td></tr>" in page
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1  # the organizer
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 1


def test_a_file_without_an_email_column_is_refused_with_a_reason(client, organizer):
    response = upload(client, b"Name,Phone\nAda,123\n")
    assert response.status_code == 200
    assert "No email column found" in response.get_data(as_text=True)


def test_commit_creates_accounts_with_badges_and_mails_claim_links(client, organizer, app, capsys):
    _, event_id = organizer
    preview_and_commit(
        client, b"Name,Email,Company\nAda,ada@example.org,Analytical\nBob,bob@example.org,\n"
    )
    assert attendees(app, event_id)["ada@example.org"] == ["Ada", "Analytical", ""]
    with app.app_context():
        ada = db.session.scalar(sa.select(User).where(User.email_normalized == "ada@example.org"))
        assert ada.password_hash is None and ada.badge_token and ada.claim_token
        claim_token = ada.claim_token
    mail = capsys.readouterr().out
    assert "To: ada@example.org" in mail and "To: bob@example.org" in mail
    assert f"http://localhost/claim/{claim_token}" in mail


def test_claim_link_sets_a_password_and_works_once(client, other_client, organizer, app):
    preview_and_commit(client, b"Name,Email\nAda,ada@example.org\n", send_claim_emails=False)
    with app.app_context():
        token = db.session.scalar(sa.select(User.claim_token).where(User.name == "Ada"))
    page = other_client.get(f"/claim/{token}").get_data(as_text=True)
    assert "ada@example.org" in page
    response = other_client.post(
        f"/claim/{token}",
        data={
            "password": "a-long-password",
            "confirm": "a-long-password",
            "csrf_token": csrf_from_html(page),
        },
    )
    assert response.status_code == 302
    assert other_client.get("/events/conf").status_code == 200  # logged in, and a member
    assert other_client.get(f"/claim/{token}").status_code == 404
    with app.app_context():
        ada = db.session.scalar(sa.select(User).where(User.name == "Ada"))
        assert ada.check_password("a-long-password") and ada.claim_token is None


def test_organizers_can_email_claim_links_again_to_unclaimed_attendees(
    client, organizer, factories, app, capsys
):
    preview_and_commit(
        client, b"Name,Email\nAda,ada@example.org\nBob,bob@example.org\n", send_claim_emails=False
    )
    assert "To:" not in capsys.readouterr().out
    page = client.get("/events/conf/attendees").get_data(as_text=True)
    response = client.post(
        "/events/conf/claim-emails",
        data={"csrf_token": csrf_from_html(page)},
        follow_redirects=True,
    )
    assert "2 claim emails sent." in response.get_data(as_text=True)
    mail = capsys.readouterr().out
    assert "To: ada@example.org" in mail and "To: bob@example.org" in mail
    assert "To: person" not in mail  # the organizer has a password: no claim mail


def test_organizers_print_claim_letters_for_unclaimed_attendees_only(
    client, other_client, organizer, factories, app
):
    existing = factories.user("Grace Existing", email="grace@example.org")
    preview_and_commit(
        client,
        b"Name,Email\nAda,ada@example.org\nBob,bob@example.org\nGrace,grace@example.org\n",
        send_claim_emails=False,
    )
    with app.app_context():
        tokens = dict(db.session.execute(sa.select(User.name, User.claim_token)).all())
    assert "Print claim letters" in client.get("/events/conf/attendees").get_data(as_text=True)

    response = client.get("/events/conf/claim-letters")
    letters = response.get_data(as_text=True)
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    assert letters.count('class="claim-letter"') == 2
    for name in ("Ada", "Bob"):
        assert f"Welcome, {name}" in letters
        assert f"http://localhost/claim/{tokens[name]}" in letters
    assert existing.name not in letters  # has a password already: nothing to claim
    assert 'aria-labelledby="claim-qr-0"' in letters  # each QR has an accessible name

    page = other_client.get(f"/claim/{tokens['Ada']}").get_data(as_text=True)
    other_client.post(
        f"/claim/{tokens['Ada']}",
        data={
            "password": "a-long-password",
            "confirm": "a-long-password",
            "csrf_token": csrf_from_html(page),
        },
    )
    letters = client.get("/events/conf/claim-letters").get_data(as_text=True)
    assert "Welcome, Ada" not in letters and "Welcome, Bob" in letters


def test_claim_links_use_the_public_base_url(client, organizer, app, capsys, monkeypatch):
    monkeypatch.setitem(app.config, "RAPPORT_BASE_URL", "https://rapport.example.org")
    preview_and_commit(client, b"Name,Email\nAda,ada@example.org\n")
    with app.app_context():
        token = db.session.scalar(sa.select(User.claim_token).where(User.name == "Ada"))
    assert f"https://rapport.example.org/claim/{token}" in capsys.readouterr().out
    letters = client.get("/events/conf/claim-letters").get_data(as_text=True)
    assert f"https://rapport.example.org/claim/{token}" in letters


def test_reimport_updates_instead_of_duplicating_and_links_existing_accounts(
    client, organizer, factories, app
):
    _, event_id = organizer
    existing = factories.user(
        name="Grace Self-Made", email="grace@example.org", company="Her Own Co"
    )
    preview_and_commit(
        client,
        b"Name,Email,Company\nAda,ada@example.org,Old Co\nGrace,GRACE@example.org,Wrong Co\n",
    )
    _, result = preview_and_commit(
        client,
        b"Name;Email;Company\nAda Lovelace;ADA@example.org;New Co\nGrace;grace@example.org;X\n"
        b"Bob;bob@example.org;\n",
    )
    assert "1 new, 0 existing accounts added, 2 updated" in result
    people = attendees(app, event_id)
    assert people["ada@example.org"] == ["Ada Lovelace", "New Co", ""]
    # Someone with their own account keeps their profile; they are only linked.
    assert people["grace@example.org"] == ["Grace Self-Made", "Her Own Co", ""]
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 4  # owner, ada, grace, bob
        assert (
            db.session.scalar(
                sa.select(Membership.user_id).where(Membership.user_id == existing.id)
            )
            == existing.id
        )


def test_committing_the_same_preview_twice_changes_nothing(client, organizer, app):
    response = upload(client, b"Name,Email\nAda,ada@example.org\n")
    preview = client.get(response.location).get_data(as_text=True)
    commit_url = re.search(r'action="([^"]+/commit)"', preview).group(1)
    token = csrf_from_html(preview)
    client.post(commit_url, data={"csrf_token": token})
    again = client.post(commit_url, data={"csrf_token": token}, follow_redirects=True)
    assert "imported already" in again.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(Membership.id))) == 2


def test_a_failure_part_way_leaves_nothing_half_imported(client, organizer, app, monkeypatch):
    _, event_id = organizer
    before = attendees(app, event_id)
    real_insert = imports.insert_memberships

    def insert_twice(values):
        # Users are already inserted when this runs; a duplicate membership makes the
        # database itself refuse the statement, as a real failure would.
        real_insert(values + values[:1])

    monkeypatch.setattr(imports, "insert_memberships", insert_twice)
    response = upload(client, b"Name,Email\nAda,ada@example.org\nBob,bob@example.org\n")
    preview = client.get(response.location).get_data(as_text=True)
    commit_url = re.search(r'action="([^"]+/commit)"', preview).group(1)
    result = client.post(
        commit_url, data={"csrf_token": csrf_from_html(preview)}, follow_redirects=True
    )
    assert "nothing was imported" in result.get_data(as_text=True)
    assert attendees(app, event_id) == before
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(User.id))) == 1
        assert db.session.scalar(sa.select(ImportBatch.committed_at)) is None
    # Once the fault is gone the same preview imports fine.
    monkeypatch.setattr(imports, "insert_memberships", real_insert)
    client.post(commit_url, data={"csrf_token": csrf_from_html(preview)})
    assert set(attendees(app, event_id)) == set(before) | {"ada@example.org", "bob@example.org"}


def test_ten_thousand_rows_import_in_seconds(client, organizer, app):
    import time

    _, event_id = organizer
    lines = ["First Name;Last Name;E-mail;Company"] + [
        f"Person;{n};attendee{n}@example.net;Company {n % 50}" for n in range(10_000)
    ]
    content = ("\ufeff" + "\n".join(lines)).encode()
    started = time.perf_counter()
    preview, result = preview_and_commit(client, content, send_claim_emails=False)
    elapsed = time.perf_counter() - started
    assert "10000 attendees ready" in preview
    assert "10000 new" in result
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(sa.func.count(Membership.id)).where(Membership.event_id == event_id)
            )
            == 10_001
        )
    assert elapsed < 30, f"10,000 rows took {elapsed:.1f}s"


def test_import_api_previews_and_commits(client, organizer, app):
    _, event_id = organizer
    api = ApiClient(client)
    response = api.client.post(
        f"/api/v1/events/{event_id}/imports",
        data=b"Name,Email\nAda,ada@example.org\nBad,nope\n",
        content_type="text/csv",
        headers=api._headers(),
    )
    assert response.status_code == 201
    preview = response.get_json()
    assert preview["rows"] == 1 and preview["new_accounts"] == 1
    assert preview["problems"] == [{"line": 3, "reason": "invalid email “nope”"}]
    committed = api.post(preview["commit_url"], json={"send_claim_emails": False})
    assert committed.status_code == 200
    assert committed.get_json()["created"] == 1
    assert api.post(preview["commit_url"], json={}).get_json()["already_committed"] is True
    bad = api.client.post(
        f"/api/v1/events/{event_id}/imports",
        data=b"Phone\n1\n",
        content_type="text/csv",
        headers=api._headers(),
    )
    assert bad.status_code == 422 and bad.get_json()["error"]["code"] == "bad_csv"
