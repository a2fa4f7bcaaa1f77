"""The JSON API under /api/v1, used by the offline PWA, and its OpenAPI document.

Every view is thin: read and validate the input, call a service, commit, answer with a
shape from ``serializers``. Lookups are scoped to the current user, so another person's id
is a 404. Writes the offline queue replays carry a client UUID: the first call answers 201,
a replay 200 with the same body. A client id already used for another kind of write (a scan
id sent again as a note id, or back) answers 409 ``id_conflict`` and writes nothing.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, jsonify, url_for
from flask_login import current_user, login_required
from flask_wtf.csrf import generate_csrf

from webapp.api import serializers
from webapp.api.openapi import openapi_document
from webapp.api.validation import (
    CODE_MAX,
    FOLLOW_UP_WHAT_MAX,
    NOTE_BODY_MAX,
    SEARCH_MAX,
    Reader,
    canonical_uuid,
    json_body,
    query_args,
)
from webapp.errors import ApiError
from webapp.extensions import db
from webapp.models import Contact, Interaction, now_utc
from webapp.services.connections import (
    BadgeNotFound,
    OwnBadge,
    clamp_scanned_at,
    remove_contact,
    scan_badge,
)
from webapp.services.contacts import (
    SORTS,
    contacts_query,
    get_contact_or_404,
    open_follow_up_counts,
)
from webapp.services.links import parse_code
from webapp.services.notes import (
    SNOOZE_CHOICES,
    ClientIdConflict,
    add_note_once,
    complete_follow_up,
    delete_note,
    find_write_by_client_id,
    follow_up_written_with,
    get_follow_up_or_404,
    get_own_note_or_404,
    open_follow_ups_query,
    snooze_date,
    snooze_follow_up,
    update_note,
)

bp = Blueprint("api", __name__, url_prefix="/api")

SCAN_KINDS = (Interaction.KIND_MET, Interaction.KIND_RESCAN)
CONTACTS_PER_PAGE = 50
FOLLOW_UPS_PER_PAGE = 100
MAX_PER_PAGE = 200
# How far ahead a follow-up may be due or snoozed: far enough for any plan, not a typo.
MAX_DAYS_AHEAD = 5 * 366

NOT_OUR_CODE_MESSAGES = {
    "space": "This is a space poster, not a badge. Check in to the space instead.",
    "join": "This is an event invitation, not a badge. Open it to join the event.",
}


def _today():
    """Today's date in UTC, the reference for "overdue"."""
    return now_utc().date()


def _id_conflict() -> ApiError:
    """The error for a client id already used by a different kind of write."""
    return ApiError(409, "id_conflict", "This id was already used for a different kind of write.")


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI 3.1 document describing every /api/v1 route."""
    return jsonify(openapi_document())


@bp.get("/v1/csrf-token")
def csrf_token():
    """A fresh CSRF token for the session, so offline replays never send a stale one."""
    response = jsonify({"csrf_token": generate_csrf()})
    response.headers["Cache-Control"] = "no-store"
    return response


# --- profile and badge -----------------------------------------------------------------------


@bp.get("/v1/me")
@login_required
def me():
    """The current user's profile, what their badge shares, and where their badge lives."""
    return jsonify(serializers.me(current_user))


@bp.post("/v1/badge/rotate")
@login_required
def rotate_badge():
    """Give the badge a new token; the old QR code stops working at once."""
    current_user.rotate_badge_token()
    db.session.commit()
    return jsonify({"badge": serializers.badge(current_user)})


# --- scans -----------------------------------------------------------------------------------


def _badge_token(code: str) -> str:
    """The badge token in a scanned code, or a 422 explaining what the code is instead."""
    parsed = parse_code(code)
    if parsed is None:
        raise ApiError(422, "not_a_badge", "This code is not a Rapport badge of this server.")
    kind, token = parsed
    if kind != "badge":
        raise ApiError(422, f"{kind}_code", NOT_OUR_CODE_MESSAGES[kind])
    return token


def _scan_body(contact: Contact, client_id: str, new_connection: bool) -> dict:
    """The answer to a scan; a replay answers the same. ``contact`` has its connection."""
    return {
        "id": client_id,
        "new_connection": new_connection,
        "contact": serializers.contact_summary(contact),
    }


@bp.post("/v1/scans")
@login_required
def create_scan():
    """Connect with the owner of a scanned badge; idempotent per client ``id``."""
    reader = Reader(json_body())
    client_id = reader.client_id("id")
    code = reader.text("code", max_length=CODE_MAX)
    scanned_at = reader.timestamp("scanned_at")
    note = reader.text("note", max_length=NOTE_BODY_MAX, required=False, allow_blank=True)
    reader.check()
    try:
        result = scan_badge(
            current_user,
            _badge_token(code),
            client_id=client_id,
            scanned_at=clamp_scanned_at(scanned_at),
            note=note or "",
        )
    except BadgeNotFound:
        raise ApiError(
            404, "badge_not_found", "No badge has this code. It may have been replaced."
        ) from None
    except OwnBadge:
        raise ApiError(422, "own_badge", "That is your own badge.") from None
    if result.replayed:
        # Answer as the first time did; an id first used for a note is no scan at all.
        try:
            earlier = find_write_by_client_id(current_user, client_id, SCAN_KINDS)
        except ClientIdConflict:
            raise _id_conflict() from None
        contact = get_contact_or_404(current_user, earlier.contact_id)
        body = _scan_body(contact, client_id, earlier.kind == Interaction.KIND_MET)
        return jsonify(body), 200
    # Built before the commit, while all it shows is loaded: no reloading after it.
    body = _scan_body(result.contact, client_id, result.new_connection)
    db.session.commit()
    return jsonify(body), 201


# --- contacts --------------------------------------------------------------------------------


def _page_args(per_page_default: int) -> tuple[Reader, int, int]:
    """The ``page`` and ``per_page`` query arguments."""
    args = query_args()
    page = args.integer("page", minimum=1, maximum=100_000, default=1)
    per_page = args.integer("per_page", minimum=1, maximum=MAX_PER_PAGE, default=per_page_default)
    return args, page, per_page


def _next_url(endpoint: str, has_more: bool, page: int, per_page: int, **args) -> str | None:
    """The URL of the next page, or None on the last one."""
    if not has_more:
        return None
    kept = {name: value for name, value in args.items() if value}
    return url_for(endpoint, page=page + 1, per_page=per_page, **kept)


@bp.get("/v1/contacts")
@login_required
def list_contacts():
    """The user's contacts, searchable (``q``), sorted and paginated."""
    args, page, per_page = _page_args(CONTACTS_PER_PAGE)
    search = args.text("q", max_length=SEARCH_MAX, required=False, allow_blank=True) or ""
    sort = args.choice("sort", tuple(SORTS), required=False) or "recent"
    args.check()
    query = contacts_query(current_user, search, sort)
    rows = db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).all()
    contacts = rows[:per_page]
    counts = open_follow_up_counts(current_user, [contact.id for contact in contacts])
    return jsonify(
        {
            "items": [serializers.contact_list_item(c, counts.get(c.id, 0)) for c in contacts],
            "next": _next_url(
                "api.list_contacts",
                len(rows) > per_page,
                page,
                per_page,
                q=search,
                sort=sort if sort != "recent" else "",
            ),
        }
    )


@bp.get("/v1/contacts/<int:contact_id>")
@login_required
def show_contact(contact_id: int):
    """One contact with their timeline and follow-ups."""
    contact = get_contact_or_404(current_user, contact_id, with_timeline=True)
    return jsonify(serializers.contact_detail(contact, _today()))


@bp.delete("/v1/contacts/<int:contact_id>")
@login_required
def delete_contact(contact_id: int):
    """Remove a contact from the user's list; the other side keeps theirs."""
    # With the timeline loaded the ORM deletes notes and follow-ups too, even on SQLite,
    # which does not enforce ON DELETE CASCADE.
    contact = get_contact_or_404(current_user, contact_id, with_timeline=True)
    remove_contact(current_user, contact)
    db.session.commit()
    return "", 204


# --- notes -----------------------------------------------------------------------------------


def _read_note(reader: Reader) -> dict:
    """The fields of a new note, validated (a note needs text, a follow-up, or both)."""
    client_id = reader.client_id("id")
    body = reader.text("body", max_length=NOTE_BODY_MAX, required=False, allow_blank=True)
    if reader.data.get("body") is None:
        reader.fail("body", "This field is required.")
    kind = reader.choice("kind", Interaction.WRITABLE_KINDS, required=False)
    happened_at = reader.timestamp("happened_at", required=False)
    fields = {"kind": kind or Interaction.KIND_NOTE}
    follow_up = reader.nested("follow_up")
    if follow_up is not None:
        fields["follow_up_what"] = follow_up.text("what", max_length=FOLLOW_UP_WHAT_MAX)
        fields["follow_up_due_on"] = _due_on(follow_up, "due_on")
    elif body == "":
        reader.fail("body", "Write a note, add a follow-up, or both.")
    reader.check()
    if happened_at is not None:
        fields["happened_at"] = clamp_scanned_at(happened_at)
    return {"client_id": client_id, "body": body or ""} | fields


def _due_on(reader: Reader, name: str):
    """A due date no further than a few years ahead."""
    due_on = reader.day(name)
    if due_on is not None and due_on > _today() + timedelta(days=MAX_DAYS_AHEAD):
        reader.fail(name, "Choose a date within the next five years.")
    return due_on


def _note_answer(note_id: int, status: int):
    """The answer to a note write: the note and its follow-up, read back after the commit."""
    note = get_own_note_or_404(current_user, note_id)
    written_with = follow_up_written_with(current_user, note.id)
    return jsonify({"note": serializers.note(note, written_with, _today())}), status


def _earlier_note(client_id: str) -> Interaction | None:
    """The note an earlier call with this client id wrote, or 409 for another kind of write."""
    try:
        return find_write_by_client_id(current_user, client_id, Interaction.WRITABLE_KINDS)
    except ClientIdConflict:
        raise _id_conflict() from None


def _write_note(contact_id: int, fields: dict):
    """Add a note to one of the user's contacts, once per client id."""
    contact = get_contact_or_404(current_user, contact_id)
    client_id = fields.pop("client_id")
    body = fields.pop("body")
    note, created = add_note_once(current_user, contact, body, client_id=client_id, **fields)
    note_id = note.id
    db.session.commit()
    return _note_answer(note_id, 201 if created else 200)


@bp.post("/v1/contacts/<int:contact_id>/notes")
@login_required
def create_contact_note(contact_id: int):
    """Add a private note (and optional follow-up) to a contact; idempotent per client ``id``."""
    fields = _read_note(Reader(json_body()))
    earlier = _earlier_note(fields["client_id"])
    if earlier is not None:
        return _note_answer(earlier.id, 200)
    return _write_note(contact_id, fields)


@bp.post("/v1/scans/<scan_client_id>/notes")
@login_required
def create_scan_note(scan_client_id: str):
    """Add a note to the contact an earlier scan made, found by that scan's client id."""
    fields = _read_note(Reader(json_body()))
    scan_id = canonical_uuid(scan_client_id)
    if scan_id is None:
        raise ApiError(
            422,
            "invalid",
            "The scan id in the URL is not a UUID.",
            {"scan_client_id": "Not a UUID."},
        )
    earlier = _earlier_note(fields["client_id"])
    if earlier is not None:
        return _note_answer(earlier.id, 200)
    try:
        scan = find_write_by_client_id(current_user, scan_id, SCAN_KINDS)
    except ClientIdConflict:
        scan = None
    if scan is None:
        raise ApiError(404, "scan_not_found", "No scan with this id has arrived yet.")
    return _write_note(scan.contact_id, fields)


@bp.patch("/v1/notes/<int:note_id>")
@login_required
def edit_note(note_id: int):
    """Change the text of one of the user's own notes."""
    reader = Reader(json_body())
    body = reader.text("body", max_length=NOTE_BODY_MAX)
    reader.check()
    note = get_own_note_or_404(current_user, note_id)
    update_note(note, body)
    db.session.commit()
    return _note_answer(note_id, 200)


@bp.delete("/v1/notes/<int:note_id>")
@login_required
def remove_note(note_id: int):
    """Delete one of the user's own notes; a follow-up written with it stays."""
    note = get_own_note_or_404(current_user, note_id)
    delete_note(note)
    db.session.commit()
    return "", 204


# --- follow-ups ------------------------------------------------------------------------------


@bp.get("/v1/follow-ups")
@login_required
def list_follow_ups():
    """Open follow-ups, earliest due first (so overdue ones lead), with their contacts."""
    args, page, per_page = _page_args(FOLLOW_UPS_PER_PAGE)
    args.check()
    query = open_follow_ups_query(current_user)
    rows = db.session.scalars(query.limit(per_page + 1).offset((page - 1) * per_page)).all()
    today = _today()
    return jsonify(
        {
            "items": [
                serializers.follow_up(item, today, with_contact=True) for item in rows[:per_page]
            ],
            "next": _next_url("api.list_follow_ups", len(rows) > per_page, page, per_page),
        }
    )


def _follow_up_answer(follow_up_id: int):
    """A follow-up with its contact, read back after the commit."""
    item = get_follow_up_or_404(current_user, follow_up_id)
    return jsonify({"follow_up": serializers.follow_up(item, _today(), with_contact=True)})


@bp.post("/v1/follow-ups/<int:follow_up_id>/done")
@login_required
def complete(follow_up_id: int):
    """Mark a follow-up done (again is harmless)."""
    complete_follow_up(get_follow_up_or_404(current_user, follow_up_id))
    db.session.commit()
    return _follow_up_answer(follow_up_id)


@bp.post("/v1/follow-ups/<int:follow_up_id>/snooze")
@login_required
def snooze(follow_up_id: int):
    """Move a follow-up to a later date: ``{"until": "YYYY-MM-DD"}`` or ``{"preset": ...}``."""
    reader = Reader(json_body())
    today = _today()
    if ("until" in reader.data) == ("preset" in reader.data):
        reader.fail("until", "Send either until (a date) or preset (tomorrow or next_week).")
    until = _due_on(reader, "until") if "until" in reader.data else None
    preset = reader.choice("preset", tuple(SNOOZE_CHOICES), required=False)
    if until is not None and until <= today:
        reader.fail("until", "Choose a date after today.")
    reader.check()
    follow_up = get_follow_up_or_404(current_user, follow_up_id)
    snooze_follow_up(follow_up, until or snooze_date(preset, today))
    db.session.commit()
    return _follow_up_answer(follow_up_id)
