"""The events JSON API under /api/v1: events, spaces, memberships, imports, check-ins, stats.

Views are thin: read input with the API's ``Reader``, call a service, commit, answer. Anyone
who does not hold the needed role in an event gets a 404, so ids leak nothing.
"""

from __future__ import annotations

from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from webapp.api.validation import CODE_MAX, Reader, json_body
from webapp.errors import ApiError
from webapp.events.openapi import event_api_openapi
from webapp.extensions import db
from webapp.models import DoorCheckIn, Event, Membership, Space, SpaceCheckIn
from webapp.services import analytics, events, imports
from webapp.services.connections import clamp_scanned_at
from webapp.services.links import absolute_code_url, parse_code

bp = Blueprint("events_api", __name__, url_prefix="/api/v1")
# Merged into /api/openapi.json by webapp.api.openapi.openapi_document.
bp.openapi = event_api_openapi()

MAX_CSV_BYTES = 8 * 1024 * 1024


@bp.before_request
@login_required
def _require_login():
    """Every route here needs a logged-in user (401 JSON otherwise)."""


# --- shapes ----------------------------------------------------------------------------------


def event_json(event: Event, membership: Membership) -> dict:
    """An event as the member ``membership`` sees it."""
    return {
        "id": event.id,
        "slug": event.slug,
        "name": event.name,
        "starts_on": event.starts_on.isoformat(),
        "ends_on": event.ends_on.isoformat(),
        "timezone": event.timezone,
        "venue": event.venue,
        "description": event.description,
        "role": membership.role,
        "in_directory": membership.in_directory,
        "join_url": absolute_code_url("join", event.join_token),
        "url": url_for("events.show", slug=event.slug),
    }


def space_json(space: Space) -> dict:
    """A space with its poster URL."""
    return {
        "id": space.id,
        "event_id": space.event_id,
        "name": space.name,
        "kind": space.kind,
        "description": space.description,
        "poster_url": absolute_code_url("space", space.poster_token),
    }


def membership_json(membership: Membership) -> dict:
    """A member as organizers see them: name, company, role and door check-in."""
    return {
        "id": membership.id,
        "user_id": membership.user_id,
        "name": membership.user.name,
        "company": membership.user.company,
        "role": membership.role,
        "in_directory": membership.in_directory,
        "checked_in_at": _iso(membership.checked_in_at),
    }


def _iso(value) -> str | None:
    """ISO 8601 or None."""
    return value.isoformat() if value is not None else None


# --- events ----------------------------------------------------------------------------------


def _read_event(reader: Reader, *, partial: bool, event_id: int | None = None) -> dict:
    """Validated event fields from a JSON body (all required unless ``partial``)."""
    values: dict = {}
    required = not partial
    name = reader.text("name", max_length=120, required=required)
    if name is not None:
        values["name"] = name
    slug = reader.text("slug", max_length=80, required=False)
    if slug is not None or (not partial and name):
        slug = (slug or events.slugify(name or "")).lower()
        if not events.SLUG_PATTERN.match(slug):
            reader.fail("slug", "Use lower-case letters, digits and single hyphens.")
        elif events.slug_taken(slug, event_id):
            reader.fail("slug", "Another event uses this address.")
        else:
            values["slug"] = slug
    for key in ("starts_on", "ends_on"):
        day = reader.day(key, required=required)
        if day is not None:
            values[key] = day
    zone = reader.text("timezone", max_length=64, required=False)
    if zone is not None:
        if zone not in events.timezone_names():
            reader.fail("timezone", "Expected an IANA time zone such as Europe/Berlin.")
        else:
            values["timezone"] = zone
    for key, limit in (("venue", 200), ("description", 5000)):
        text = reader.text(key, max_length=limit, required=False, allow_blank=True)
        if text is not None:
            values[key] = text
    return values


@bp.get("/events")
def list_events():
    """The events the user belongs to."""
    rows = events.events_of(current_user)
    return jsonify({"events": [event_json(event, membership) for event, membership in rows]})


@bp.post("/events")
def create_event():
    """Create an event; the caller becomes its owner."""
    reader = Reader(json_body())
    values = _read_event(reader, partial=False)
    if "starts_on" in values and "ends_on" in values and values["ends_on"] < values["starts_on"]:
        reader.fail("ends_on", "The last day must be on or after the first day.")
    reader.check()
    event = events.create_event(current_user, **values)
    db.session.commit()
    membership = events.membership_of(current_user, event.id)
    return jsonify(event_json(event, membership)), 201


@bp.get("/events/<int:event_id>")
def show_event(event_id: int):
    """One event the user belongs to."""
    event, membership = events.get_event_by_id_or_404(current_user, event_id)
    return jsonify(event_json(event, membership))


@bp.patch("/events/<int:event_id>")
def update_event(event_id: int):
    """Change an event (organizers)."""
    event, membership = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    reader = Reader(json_body())
    values = _read_event(reader, partial=True, event_id=event.id)
    starts_on = values.get("starts_on", event.starts_on)
    if values.get("ends_on", event.ends_on) < starts_on:
        reader.fail("ends_on", "The last day must be on or after the first day.")
    reader.check()
    events.update_event(event, **values)
    db.session.commit()
    return jsonify(event_json(event, membership))


@bp.delete("/events/<int:event_id>")
def delete_event(event_id: int):
    """Delete an event (owners)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "owner")
    events.delete_event(event)
    db.session.commit()
    return "", 204


@bp.post("/events/join")
def join_event():
    """Join an event with its join link or token."""
    reader = Reader(json_body())
    code = reader.text("code", max_length=CODE_MAX)
    reader.check()
    parsed = parse_code(code)
    token = parsed[1] if parsed and parsed[0] in ("join", "badge") else None
    event = events.find_event_by_join_token(token) if token else None
    if event is None:
        raise ApiError(404, "event_not_found", "No event has this join code.")
    membership, created = events.join_event(current_user, event)
    db.session.commit()
    return jsonify(event_json(event, membership)), 201 if created else 200


# --- spaces ----------------------------------------------------------------------------------


def _read_space(reader: Reader, *, partial: bool) -> dict:
    """Validated space fields."""
    values: dict = {}
    name = reader.text("name", max_length=120, required=not partial)
    if name is not None:
        values["name"] = name
    kind = reader.choice("kind", list(events.SPACE_KIND_LABELS), required=False)
    if kind is not None:
        values["kind"] = kind
    description = reader.text("description", max_length=2000, required=False, allow_blank=True)
    if description is not None:
        values["description"] = description
    return values


@bp.get("/events/<int:event_id>/spaces")
def list_spaces(event_id: int):
    """The event's spaces (members)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id)
    return jsonify({"spaces": [space_json(space) for space in event.spaces]})


@bp.post("/events/<int:event_id>/spaces")
def create_space(event_id: int):
    """Add a space (organizers)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    reader = Reader(json_body())
    values = _read_space(reader, partial=False)
    reader.check()
    space = events.create_space(event, **values)
    db.session.commit()
    return jsonify(space_json(space)), 201


@bp.patch("/events/<int:event_id>/spaces/<int:space_id>")
def update_space(event_id: int, space_id: int):
    """Change a space (organizers)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    space = events.get_space_or_404(event, space_id)
    reader = Reader(json_body())
    values = _read_space(reader, partial=True)
    reader.check()
    events.update_space(space, **values)
    db.session.commit()
    return jsonify(space_json(space))


@bp.delete("/events/<int:event_id>/spaces/<int:space_id>")
def delete_space(event_id: int, space_id: int):
    """Delete a space (organizers)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    events.delete_space(events.get_space_or_404(event, space_id))
    db.session.commit()
    return "", 204


# --- memberships -----------------------------------------------------------------------------


@bp.get("/events/<int:event_id>/memberships")
def list_memberships(event_id: int):
    """The event's members with role and check-in (organizers)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    rows = db.session.scalars(events.attendees_query(event))
    return jsonify({"memberships": [membership_json(membership) for membership in rows]})


@bp.patch("/events/<int:event_id>/memberships/<int:membership_id>")
def update_membership(event_id: int, membership_id: int):
    """Change a member's role (owners)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "owner")
    member = events.get_member_or_404(event, membership_id)
    reader = Reader(json_body())
    role = reader.choice("role", list(events.ROLE_LABELS))
    reader.check()
    try:
        events.set_member_role(event, member, role)
    except events.EventError as error:
        raise ApiError(409, "last_owner", str(error)) from None
    db.session.commit()
    return jsonify(membership_json(member))


@bp.delete("/events/<int:event_id>/memberships/<int:membership_id>")
def delete_membership(event_id: int, membership_id: int):
    """Remove a member (owners)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "owner")
    member = events.get_member_or_404(event, membership_id)
    try:
        events.remove_member(event, member)
    except events.EventError as error:
        raise ApiError(409, "last_owner", str(error)) from None
    db.session.commit()
    return "", 204


# --- import ----------------------------------------------------------------------------------


def _uploaded_csv() -> tuple[str, str]:
    """The CSV sent as a multipart ``file`` or as a ``text/csv`` body: ``(filename, text)``."""
    if request.content_length is not None and request.content_length > MAX_CSV_BYTES:
        raise ApiError(413, "too_large", "The file is larger than 8 MB.")
    upload = request.files.get("file")
    if upload is not None:
        return upload.filename or "", imports.decode_upload(upload.read(MAX_CSV_BYTES + 1))
    if request.mimetype == "text/csv":
        return request.args.get("filename", "")[:200], imports.decode_upload(request.get_data())
    raise ApiError(
        415,
        "unsupported_media_type",
        "Send the CSV as multipart/form-data with a 'file' field, or as a text/csv body.",
    )


def import_preview_json(event: Event, batch, parsed: imports.ParsedFile) -> dict:
    """A preview: problems with line numbers, and what committing would do."""
    plan = imports.plan_import(event, parsed)
    return {
        "id": batch.id,
        "rows": len(parsed.rows),
        "problems": [{"line": p.line, "reason": p.reason} for p in parsed.problems],
        "columns": parsed.columns,
        "new_accounts": plan.new_accounts,
        "existing_accounts": plan.existing_accounts,
        "already_members": plan.already_members,
        "commit_url": url_for("events_api.commit_import", event_id=event.id, batch_id=batch.id),
    }


@bp.post("/events/<int:event_id>/imports")
def preview_import(event_id: int):
    """Upload an attendee CSV and get its preview; nothing is imported yet (organizers)."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    filename, text = _uploaded_csv()
    if len(text.encode()) > MAX_CSV_BYTES:
        raise ApiError(413, "too_large", "The file is larger than 8 MB.")
    try:
        parsed = imports.parse_attendee_csv(text)
    except imports.ImportFileError as error:
        raise ApiError(422, "bad_csv", str(error)) from None
    batch = imports.create_import_batch(event, current_user, filename, text)
    db.session.commit()
    return jsonify(import_preview_json(event, batch, parsed)), 201


@bp.post("/events/<int:event_id>/imports/<int:batch_id>/commit")
def commit_import(event_id: int, batch_id: int):
    """Import a previewed file in one transaction; committing again changes nothing."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    batch = imports.get_batch_or_404(event, batch_id)
    body = json_body() if request.get_data() else {}
    send = body.get("send_claim_emails", True)
    if not isinstance(send, bool):
        raise ApiError(
            422,
            "invalid",
            "send_claim_emails must be true or false.",
            {"send_claim_emails": "Expected a boolean."},
        )
    try:
        result = imports.commit_import(event, batch)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        raise ApiError(503, "import_failed", "The import failed; nothing was imported.") from None
    sent = 0
    if send and result.new_accounts:
        sent = imports.send_claim_emails(event, result.new_accounts)
    return jsonify(
        {
            "id": batch.id,
            "created": result.created,
            "updated": result.updated,
            "linked": result.linked,
            "skipped": result.skipped,
            "claim_emails_sent": sent,
            "already_committed": result.replayed,
        }
    )


# --- check-ins -------------------------------------------------------------------------------


def _door_answer(event: Event, record: DoorCheckIn, client_id: str | None) -> dict:
    """The body of a door check-in answer."""
    user = record.membership.user
    return {
        "id": client_id if client_id is not None else record.id,
        "attendee": {"name": user.name, "company": user.company},
        "checked_in_at": _iso(record.membership.checked_in_at or record.checked_in_at),
        "already_checked_in": record.was_already_checked_in,
        "checked_in_count": events.checked_in_count(event),
    }


@bp.post("/events/<int:event_id>/checkins")
def door_checkin(event_id: int):
    """Check an attendee in by their badge code (organizers); idempotent per client id."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    reader = Reader(json_body())
    client_id = reader.client_id()
    code = reader.text("code", max_length=CODE_MAX)
    at = reader.timestamp("checked_in_at", required=False)
    reader.check()
    existing = db.session.scalar(
        db.select(DoorCheckIn).where(
            DoorCheckIn.event_id == event.id, DoorCheckIn.client_id == client_id
        )
    )
    if existing is not None:
        return jsonify(_door_answer(event, existing, client_id)), 200
    try:
        membership = events.attendee_for_code(event, code)
    except events.CheckInError as error:
        raise ApiError(error.status, error.code, error.message) from None
    record, created = events.check_in_attendee(
        event, membership, current_user, client_id=client_id, at=clamp_scanned_at(at)
    )
    db.session.commit()
    return jsonify(_door_answer(event, record, client_id)), 201 if created else 200


@bp.get("/events/<int:event_id>/checkins")
def checkin_count(event_id: int):
    """The live door count (organizers): checked in and registered."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    response = jsonify(
        {
            "checked_in_count": events.checked_in_count(event),
            "registered": events.registered_count(event),
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


def _space_answer(checkin: SpaceCheckIn, client_id: str | None) -> dict:
    """The body of a space check-in answer."""
    return {
        "id": client_id if client_id is not None else checkin.id,
        "space": {
            "id": checkin.space.id,
            "name": checkin.space.name,
            "event_name": checkin.space.event.name,
        },
        "checked_in_at": _iso(checkin.checked_in_at),
        "expires_at": _iso(checkin.expires_at),
    }


@bp.post("/spaces/checkins")
def space_checkin():
    """Check in to the space whose poster was scanned; idempotent per client id."""
    reader = Reader(json_body())
    client_id = reader.client_id()
    code = reader.text("code", max_length=CODE_MAX)
    at = reader.timestamp("checked_in_at", required=False)
    reader.check()
    existing = events.find_space_checkin_by_client_id(current_user, client_id)
    if existing is not None:
        return jsonify(_space_answer(existing, client_id)), 200
    token = events.space_token_from_code(code)
    space = events.find_space_by_token(token) if token else None
    if space is None:
        raise ApiError(404, "space_not_found", "This is not a space poster of this server.")
    checkin, _ = events.check_in_to_space(
        current_user, space, client_id=client_id, at=clamp_scanned_at(at)
    )
    db.session.commit()
    return jsonify(_space_answer(checkin, client_id)), 201


@bp.delete("/spaces/checkins/current")
def leave_space():
    """Leave the space the user is checked into, if any."""
    events.leave_space(current_user)
    db.session.commit()
    return "", 204


@bp.get("/meeting-context")
def meeting_context():
    """Where a scan made now would be recorded: the user's space, else their event on today."""
    event_id, space_id = events.meeting_context(current_user)
    event = db.session.get(Event, event_id) if event_id else None
    space = db.session.get(Space, space_id) if space_id else None
    response = jsonify(
        {
            "event": {"id": event.id, "name": event.name} if event else None,
            "space": {"id": space.id, "name": space.name} if space else None,
        }
    )
    response.headers["Cache-Control"] = "no-store"
    return response


# --- stats -----------------------------------------------------------------------------------


@bp.get("/events/<int:event_id>/stats")
def stats(event_id: int):
    """Aggregate figures (organizers): never notes, nor who met whom."""
    event, _ = events.get_event_by_id_or_404(current_user, event_id, "organizer")
    return jsonify(analytics.event_stats(event).as_dict())
