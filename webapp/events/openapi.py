"""The OpenAPI description of the events API, merged into /api/openapi.json.

``webapp.api.openapi.openapi_document`` merges the ``openapi`` attribute of every blueprint;
the events API blueprint sets it to ``{"paths": event_api_paths(), "schemas": ...}``.
"""

from __future__ import annotations

from webapp.api.openapi import (
    BOOLEAN,
    DATE,
    DATE_TIME,
    INTEGER,
    NO_CONTENT,
    STRING,
    UUID,
    error_responses,
    json_response,
    nullable,
    obj,
    operation,
    path_id,
    ref,
)
from webapp.api.validation import CODE_MAX

EVENT_ID = path_id("event_id", "An event the user belongs to (with the role the route needs).")
SPACE_ID = path_id("space_id", "A space of that event.")
MEMBERSHIP_ID = path_id("membership_id", "A membership of that event.")
BATCH_ID = path_id("batch_id", "An uploaded attendee file of that event.")
ROLES = {"type": "string", "enum": ["owner", "organizer", "attendee"]}
SPACE_KINDS = {
    "type": "string",
    "enum": ["room", "track", "topic_table", "booth", "mentoring_corner"],
}
NOT_FOUND = (
    "No such event, or the user lacks the role (not_found): attendees, organizers of other "
    "events and strangers all get this, so ids leak nothing."
)

_EVENT_FIELDS = {
    "name": {"type": "string", "maxLength": 120},
    "slug": {
        "type": "string",
        "maxLength": 80,
        "pattern": "^[a-z0-9]+(?:-[a-z0-9]+)*$",
        "description": "Made from the name when left out.",
    },
    "starts_on": DATE,
    "ends_on": DATE,
    "timezone": {"type": "string", "description": "IANA name, e.g. Europe/Berlin."},
    "venue": {"type": "string", "maxLength": 200},
    "description": {"type": "string", "maxLength": 5000},
}
_SPACE_FIELDS = {
    "name": {"type": "string", "maxLength": 120},
    "kind": SPACE_KINDS,
    "description": {"type": "string", "maxLength": 2000},
}


def event_api_schemas() -> dict:
    """Component schemas of the events API."""
    return {
        "Event": obj(
            {
                "id": INTEGER,
                "slug": STRING,
                "name": STRING,
                "starts_on": DATE,
                "ends_on": DATE,
                "timezone": STRING,
                "venue": STRING,
                "description": STRING,
                "role": ROLES,
                "in_directory": BOOLEAN,
                "join_url": {"type": "string", "description": "The join link (/j/<token>)."},
                "url": STRING,
            }
        ),
        "EventList": obj({"events": {"type": "array", "items": ref("Event")}}),
        "EventRequest": obj(_EVENT_FIELDS, ["name", "starts_on", "ends_on"]),
        "EventPatch": obj(_EVENT_FIELDS, []),
        "JoinRequest": obj(
            {
                "code": {
                    "type": "string",
                    "maxLength": CODE_MAX,
                    "description": "The join link or its token.",
                }
            }
        ),
        "Space": obj(
            {
                "id": INTEGER,
                "event_id": INTEGER,
                "name": STRING,
                "kind": SPACE_KINDS,
                "description": STRING,
                "poster_url": {"type": "string", "description": "The poster's QR URL (/s/...)."},
            }
        ),
        "SpaceList": obj({"spaces": {"type": "array", "items": ref("Space")}}),
        "SpaceRequest": obj(_SPACE_FIELDS, ["name"]),
        "SpacePatch": obj(_SPACE_FIELDS, []),
        "Membership": obj(
            {
                "id": INTEGER,
                "user_id": INTEGER,
                "name": STRING,
                "company": STRING,
                "role": ROLES,
                "in_directory": BOOLEAN,
                "checked_in_at": nullable(DATE_TIME),
            }
        ),
        "MembershipList": obj({"memberships": {"type": "array", "items": ref("Membership")}}),
        "RoleRequest": obj({"role": ROLES}),
        "ImportPreview": obj(
            {
                "id": INTEGER,
                "rows": {"type": "integer", "description": "Valid rows that will be imported."},
                "problems": {
                    "type": "array",
                    "items": obj({"line": INTEGER, "reason": STRING}),
                    "description": "Skipped rows: missing or invalid email, duplicates, "
                    "missing name.",
                },
                "columns": {
                    "type": "object",
                    "additionalProperties": STRING,
                    "description": "Our field (name, first_name, email...) -> the header read.",
                },
                "new_accounts": INTEGER,
                "existing_accounts": INTEGER,
                "already_members": INTEGER,
                "commit_url": STRING,
            }
        ),
        "ImportCommitRequest": obj({"send_claim_emails": {"type": "boolean", "default": True}}, []),
        "ImportResult": obj(
            {
                "id": INTEGER,
                "created": INTEGER,
                "updated": INTEGER,
                "linked": INTEGER,
                "skipped": INTEGER,
                "claim_emails_sent": INTEGER,
                "already_committed": BOOLEAN,
            }
        ),
        "DoorCheckInRequest": obj(
            {
                "id": UUID,
                "code": {
                    "type": "string",
                    "maxLength": CODE_MAX,
                    "description": "The badge URL or bare badge token scanned.",
                },
                "checked_in_at": DATE_TIME,
            },
            ["id", "code"],
        ),
        "DoorCheckInResult": obj(
            {
                "id": UUID,
                "attendee": obj({"name": STRING, "company": STRING}),
                "checked_in_at": DATE_TIME,
                "already_checked_in": BOOLEAN,
                "checked_in_count": INTEGER,
            }
        ),
        "CheckInCount": obj({"checked_in_count": INTEGER, "registered": INTEGER}),
        "SpaceCheckInRequest": obj(
            {
                "id": UUID,
                "code": {
                    "type": "string",
                    "maxLength": CODE_MAX,
                    "description": "The space poster URL or its token.",
                },
                "checked_in_at": DATE_TIME,
            },
            ["id", "code"],
        ),
        "SpaceCheckInResult": obj(
            {
                "id": UUID,
                "space": obj({"id": INTEGER, "name": STRING, "event_name": STRING}),
                "checked_in_at": DATE_TIME,
                "expires_at": DATE_TIME,
            }
        ),
        "MeetingContext": obj({"event": nullable(ref("Named")), "space": nullable(ref("Named"))}),
        "EventStats": obj(
            {
                "registered": INTEGER,
                "checked_in": INTEGER,
                "members_with_connection": INTEGER,
                "members_with_connection_share": {"type": "number"},
                "connections": INTEGER,
                "connections_with_follow_up_within_7_days": INTEGER,
                "follow_up_share": {"type": "number"},
                "connections_per_hour": {
                    "type": "array",
                    "items": obj({"hour": DATE_TIME, "connections": INTEGER}),
                },
                "spaces": {
                    "type": "array",
                    "items": obj(
                        {
                            "id": INTEGER,
                            "name": STRING,
                            "kind": SPACE_KINDS,
                            "checkins": INTEGER,
                            "here_now": INTEGER,
                            "connections": INTEGER,
                        }
                    ),
                },
            }
        ),
    }


def _csv_upload_operation() -> dict:
    """The import preview: its body is a CSV file, not JSON."""
    op = operation(
        "Upload an attendee CSV and get its preview; nothing is imported yet (organizers).",
        {
            "201": json_response("ImportPreview", "The file was read; here is what it holds."),
            **error_responses(
                404,
                413,
                415,
                422,
                e404=NOT_FOUND,
                e413="The file is larger than 8 MB (too_large).",
                e415="Send multipart/form-data with a 'file' field, or a text/csv body.",
                e422="The file cannot be imported: no email or name column, or not CSV (bad_csv).",
            ),
        },
        write=True,
        parameters=[EVENT_ID],
        operation_id="previewImport",
    )
    op["requestBody"] = {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": obj({"file": {"type": "string", "contentMediaType": "text/csv"}})
            },
            "text/csv": {"schema": {"type": "string"}},
        },
    }
    return op


def event_api_paths() -> dict:
    """The paths of the events API, written with the core document's helpers."""
    commit = operation(
        "Import a previewed file in one transaction; committing again changes nothing.",
        {
            "200": json_response("ImportResult", "Imported (or already imported)."),
            **error_responses(404, e404=NOT_FOUND),
            "503": json_response(
                "Error", "The import failed; nothing was imported (import_failed)."
            ),
        },
        body="ImportCommitRequest",
        write=True,
        parameters=[EVENT_ID, BATCH_ID],
        operation_id="commitImport",
    )
    commit["requestBody"]["required"] = False
    return {
        "/api/v1/events": {
            "get": operation(
                "The events the user belongs to, with their role.",
                {"200": json_response("EventList", "The events.")},
                operation_id="listEvents",
            ),
            "post": operation(
                "Create an event; the caller becomes its owner.",
                {"201": json_response("Event", "Created.")},
                body="EventRequest",
                write=True,
                operation_id="createEvent",
            ),
        },
        "/api/v1/events/join": {
            "post": operation(
                "Join an event with its join link or token.",
                {
                    "201": json_response("Event", "Joined as an attendee."),
                    "200": json_response("Event", "Already a member."),
                    **error_responses(404, e404="No event has this join code (event_not_found)."),
                },
                body="JoinRequest",
                write=True,
                operation_id="joinEvent",
            )
        },
        "/api/v1/events/{event_id}": {
            "get": operation(
                "One event the user belongs to.",
                {
                    "200": json_response("Event", "The event."),
                    **error_responses(404, e404=NOT_FOUND),
                },
                parameters=[EVENT_ID],
                operation_id="getEvent",
            ),
            "patch": operation(
                "Change an event (organizers).",
                {"200": json_response("Event", "Saved."), **error_responses(404, e404=NOT_FOUND)},
                body="EventPatch",
                write=True,
                parameters=[EVENT_ID],
                operation_id="updateEvent",
            ),
            "delete": operation(
                "Delete an event (owners); connections made there are kept.",
                NO_CONTENT | error_responses(404, e404=NOT_FOUND),
                write=True,
                parameters=[EVENT_ID],
                operation_id="deleteEvent",
            ),
        },
        "/api/v1/events/{event_id}/spaces": {
            "get": operation(
                "The event's spaces (members).",
                {
                    "200": json_response("SpaceList", "The spaces."),
                    **error_responses(404, e404=NOT_FOUND),
                },
                parameters=[EVENT_ID],
                operation_id="listSpaces",
            ),
            "post": operation(
                "Add a space (organizers).",
                {"201": json_response("Space", "Added."), **error_responses(404, e404=NOT_FOUND)},
                body="SpaceRequest",
                write=True,
                parameters=[EVENT_ID],
                operation_id="createSpace",
            ),
        },
        "/api/v1/events/{event_id}/spaces/{space_id}": {
            "patch": operation(
                "Change a space (organizers).",
                {"200": json_response("Space", "Saved."), **error_responses(404, e404=NOT_FOUND)},
                body="SpacePatch",
                write=True,
                parameters=[EVENT_ID, SPACE_ID],
                operation_id="updateSpace",
            ),
            "delete": operation(
                "Delete a space (organizers).",
                NO_CONTENT | error_responses(404, e404=NOT_FOUND),
                write=True,
                parameters=[EVENT_ID, SPACE_ID],
                operation_id="deleteSpace",
            ),
        },
        "/api/v1/events/{event_id}/memberships": {
            "get": operation(
                "The event's members: name, company, role and door check-in (organizers).",
                {
                    "200": json_response("MembershipList", "The members."),
                    **error_responses(404, e404=NOT_FOUND),
                },
                parameters=[EVENT_ID],
                operation_id="listMemberships",
            )
        },
        "/api/v1/events/{event_id}/memberships/{membership_id}": {
            "patch": operation(
                "Change a member's role (owners).",
                {
                    "200": json_response("Membership", "Saved."),
                    **error_responses(
                        404,
                        409,
                        e404=NOT_FOUND,
                        e409="The event would have no owner left (last_owner).",
                    ),
                },
                body="RoleRequest",
                write=True,
                parameters=[EVENT_ID, MEMBERSHIP_ID],
                operation_id="updateMembership",
            ),
            "delete": operation(
                "Remove a member (owners).",
                NO_CONTENT
                | error_responses(
                    404,
                    409,
                    e404=NOT_FOUND,
                    e409="The event would have no owner left (last_owner).",
                ),
                write=True,
                parameters=[EVENT_ID, MEMBERSHIP_ID],
                operation_id="deleteMembership",
            ),
        },
        "/api/v1/events/{event_id}/imports": {"post": _csv_upload_operation()},
        "/api/v1/events/{event_id}/imports/{batch_id}/commit": {"post": commit},
        "/api/v1/events/{event_id}/checkins": {
            "post": operation(
                "Check an attendee in at the door by their badge (organizers). Idempotent "
                "per id; the first check-in's time and organizer are kept.",
                {
                    "201": json_response("DoorCheckInResult", "Checked in (or already was)."),
                    "200": json_response(
                        "DoorCheckInResult", "A replay of an id already received: the same answer."
                    ),
                    **error_responses(
                        404,
                        422,
                        e404="No such event (not_found); an unknown or rotated badge "
                        "(badge_not_found); a person not registered for the event "
                        "(not_registered).",
                        e422="Invalid input, or a code that is not a badge of this server "
                        "(invalid).",
                    ),
                },
                body="DoorCheckInRequest",
                write=True,
                parameters=[EVENT_ID],
                operation_id="createDoorCheckIn",
            ),
            "get": operation(
                "The live door count (organizers).",
                {
                    "200": json_response("CheckInCount", "Checked in and registered."),
                    **error_responses(404, e404=NOT_FOUND),
                },
                parameters=[EVENT_ID],
                operation_id="getCheckInCount",
            ),
        },
        "/api/v1/spaces/checkins": {
            "post": operation(
                "Check in to the space whose poster was scanned (joining its event). "
                "Idempotent per id; ends any earlier space check-in.",
                {
                    "201": json_response("SpaceCheckInResult", "Checked in."),
                    "200": json_response(
                        "SpaceCheckInResult", "A replay of an id already received: the same answer."
                    ),
                    **error_responses(
                        404, 422, e404="Not a space poster of this server (space_not_found)."
                    ),
                },
                body="SpaceCheckInRequest",
                write=True,
                operation_id="createSpaceCheckIn",
            )
        },
        "/api/v1/spaces/checkins/current": {
            "delete": operation(
                "Leave the space the user is checked into, if any.",
                NO_CONTENT,
                write=True,
                operation_id="leaveSpace",
            )
        },
        "/api/v1/meeting-context": {
            "get": operation(
                "Where a scan made now is recorded: the space the user is checked into, else "
                "an event of theirs that is on today in its time zone. The scanner shows it.",
                {"200": json_response("MeetingContext", "The event and space, or nulls.")},
                operation_id="getMeetingContext",
            )
        },
        "/api/v1/events/{event_id}/stats": {
            "get": operation(
                "Aggregate figures (organizers): never notes, note counts or who met whom.",
                {
                    "200": json_response("EventStats", "The figures."),
                    **error_responses(404, e404=NOT_FOUND),
                },
                parameters=[EVENT_ID],
                operation_id="getEventStats",
            )
        },
    }


def event_api_openapi() -> dict:
    """What the events API blueprint adds to the OpenAPI document."""
    return {"paths": event_api_paths(), "schemas": event_api_schemas()}
