"""The OpenAPI 3.1 document of the JSON API, served at /api/openapi.json.

It is written by hand next to the views (other areas add theirs through their blueprint's
``openapi`` attribute, see ``openapi_document``), and the tests keep the two together: the set of
documented (path, method) pairs must equal the API's URL rules, and real responses are
validated against the schemas below. Response schemas forbid undocumented properties, so a
new field fails the tests until it is described here.
"""

from __future__ import annotations

import copy

from flask import current_app

from webapp.api.validation import (
    CODE_MAX,
    FOLLOW_UP_WHAT_MAX,
    NOTE_BODY_MAX,
    SEARCH_MAX,
)

JSON = "application/json"


def ref(name: str) -> dict:
    """A reference to a component schema."""
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: dict) -> dict:
    """``schema`` or null."""
    return {"oneOf": [schema, {"type": "null"}]}


def obj(properties: dict, required: list[str] | None = None, *, closed=True) -> dict:
    """An object schema; response objects are closed so new fields must be documented."""
    schema = {
        "type": "object",
        "properties": properties,
        "required": list(properties) if required is None else required,
    }
    if closed:
        schema["additionalProperties"] = False
    return schema


STRING = {"type": "string"}
INTEGER = {"type": "integer"}
BOOLEAN = {"type": "boolean"}
DATE_TIME = {"type": "string", "format": "date-time"}
DATE = {"type": "string", "format": "date"}
UUID = {"type": "string", "format": "uuid"}
STRINGS = {"type": "array", "items": STRING}

_CONTACT_SUMMARY = {
    "id": INTEGER,
    "name": STRING,
    "card": ref("Card"),
    "how": {"type": "string", "enum": ["scanned", "was_scanned", "manual"]},
    "met_at": DATE_TIME,
    "event": nullable(ref("Named")),
    "space": nullable(ref("Named")),
    "url": {"type": "string", "description": "The contact's page, e.g. /contacts/12."},
}

_FOLLOW_UP = {
    "id": INTEGER,
    "what": STRING,
    "due_on": DATE,
    "done_at": nullable(DATE_TIME),
    "overdue": {"type": "boolean", "description": "Open and due before today (UTC)."},
    "contact_id": INTEGER,
    "note_id": nullable(INTEGER),
}

SCHEMAS = {
    "Error": obj(
        {
            "error": obj(
                {
                    "code": {
                        "type": "string",
                        "description": "Stable machine-readable code, e.g. invalid, bad_json, "
                        "csrf_failed, unauthorized, not_found, badge_not_found, own_badge, "
                        "not_a_badge, space_code, join_code, scan_not_found, id_conflict.",
                    },
                    "message": {"type": "string", "description": "For people."},
                    "fields": {
                        "type": "object",
                        "description": "Per-field messages, keyed by field (nested: a.b).",
                        "additionalProperties": STRING,
                    },
                },
                ["code", "message"],
            )
        }
    ),
    "Named": obj({"id": INTEGER, "name": STRING}),
    "Card": obj(
        {
            "name": STRING,
            "initials": STRING,
            "headline": STRING,
            "company": STRING,
            "bio": STRING,
            "ask_me_about": STRINGS,
            "learning": STRINGS,
            "email": STRING,
            "links": STRINGS,
        },
        ["name", "initials"],
    ),
    "Badge": obj(
        {
            "url": {"type": "string", "description": "The absolute URL the QR code encodes."},
            "qr_svg_url": STRING,
            "qr_png_url": STRING,
        }
    ),
    "Me": obj(
        {
            "id": INTEGER,
            "name": STRING,
            "email": STRING,
            "initials": STRING,
            "headline": STRING,
            "company": STRING,
            "bio": STRING,
            "links": STRINGS,
            "ask_me_about": STRINGS,
            "learning": STRINGS,
            "open_to_chat": BOOLEAN,
            "shares": obj(
                {
                    name: BOOLEAN
                    for name in ("headline", "company", "bio", "topics", "email", "links")
                }
            ),
            "shared_card": ref("Card"),
            "badge": ref("Badge"),
        }
    ),
    "ContactSummary": obj(_CONTACT_SUMMARY),
    "ContactListItem": obj(
        _CONTACT_SUMMARY
        | {"open_follow_ups": {"type": "integer", "description": "Open follow-ups."}}
    ),
    "ContactDetail": obj(
        _CONTACT_SUMMARY
        | {
            "timeline": {
                "type": "array",
                "items": ref("Note"),
                "description": "Newest first: the scan records and the user's own notes.",
            },
            "follow_ups": {
                "type": "array",
                "items": ref("FollowUp"),
                "description": "Open ones first, by due date.",
            },
        }
    ),
    "FollowUp": obj(_FOLLOW_UP),
    "FollowUpWithContact": obj(
        _FOLLOW_UP | {"contact": obj({"id": INTEGER, "name": STRING, "url": STRING})}
    ),
    "Note": obj(
        {
            "id": INTEGER,
            "client_id": nullable(STRING),
            "kind": {"type": "string", "enum": ["met", "rescan", "note", "meeting", "call"]},
            "body": STRING,
            "happened_at": DATE_TIME,
            "updated_at": DATE_TIME,
            "editable": {"type": "boolean", "description": "Notes, meetings and calls are."},
            "contact_id": INTEGER,
            "follow_up": nullable(ref("FollowUp")),
        }
    ),
    "ScanRequest": obj(
        {
            "id": UUID | {"description": "Client-generated; a replay answers 200."},
            "code": {
                "type": "string",
                "maxLength": CODE_MAX,
                "description": "The scanned text: a badge URL of this server or a bare token.",
            },
            "scanned_at": DATE_TIME
            | {"description": "When it was scanned, with an offset; clamped to now if absurd."},
            "note": {"type": "string", "maxLength": NOTE_BODY_MAX},
        },
        ["id", "code", "scanned_at"],
        closed=False,
    ),
    "ScanResult": obj({"id": UUID, "new_connection": BOOLEAN, "contact": ref("ContactSummary")}),
    "NoteRequest": obj(
        {
            "id": UUID | {"description": "Client-generated; a replay answers 200."},
            "body": {
                "type": "string",
                "maxLength": NOTE_BODY_MAX,
                "description": "May be empty only when a follow_up is given.",
            },
            "kind": {"type": "string", "enum": ["note", "meeting", "call"], "default": "note"},
            "happened_at": DATE_TIME,
            "follow_up": obj(
                {"what": {"type": "string", "maxLength": FOLLOW_UP_WHAT_MAX}, "due_on": DATE},
                closed=False,
            ),
        },
        ["id", "body"],
        closed=False,
    ),
    "NoteResult": obj({"note": ref("Note")}),
    "NotePatch": obj(
        {"body": {"type": "string", "minLength": 1, "maxLength": NOTE_BODY_MAX}},
        closed=False,
    ),
    "SnoozeRequest": {
        "oneOf": [
            obj({"until": DATE | {"description": "After today."}}, closed=False),
            obj({"preset": {"type": "string", "enum": ["tomorrow", "next_week"]}}, closed=False),
        ]
    },
    "FollowUpResult": obj({"follow_up": ref("FollowUpWithContact")}),
    "ContactPage": obj(
        {"items": {"type": "array", "items": ref("ContactListItem")}, "next": nullable(STRING)}
    ),
    "FollowUpPage": obj(
        {
            "items": {"type": "array", "items": ref("FollowUpWithContact")},
            "next": nullable(STRING),
        }
    ),
    "BadgeResult": obj({"badge": ref("Badge")}),
    "CsrfToken": obj({"csrf_token": STRING}),
}

ERROR_DESCRIPTIONS = {
    400: "Malformed JSON (bad_json) or a missing or expired CSRF token (csrf_failed).",
    401: "Not logged in (unauthorized).",
    404: "No such object among the user's own (not_found; another person's id too).",
    409: "The client id was already used for a different kind of write (id_conflict).",
    413: "The body is too large (too_large).",
    415: "The body is not JSON (unsupported_media_type).",
    422: "Invalid input (invalid), with per-field messages in error.fields.",
}


def json_response(schema_name: str, description: str) -> dict:
    """A JSON response with a component schema."""
    return {"description": description, "content": {JSON: {"schema": ref(schema_name)}}}


def error_responses(*statuses: int, **special: str) -> dict:
    """Error responses; ``special`` overrides a description, e.g. ``e404="..."``."""
    responses = {}
    for status in statuses:
        description = special.get(f"e{status}", ERROR_DESCRIPTIONS[status])
        responses[str(status)] = json_response("Error", description)
    return responses


def operation(
    summary: str,
    responses: dict,
    *,
    body: str | None = None,
    write: bool = False,
    public: bool = False,
    parameters: list | None = None,
    operation_id: str,
) -> dict:
    """One operation: its summary, request body, responses and security."""
    operation: dict = {"operationId": operation_id, "summary": summary, "responses": {}}
    if parameters:
        operation["parameters"] = parameters
    if body:
        operation["requestBody"] = {
            "required": True,
            "content": {JSON: {"schema": ref(body)}},
        }
    operation["responses"].update(responses)
    if public:
        operation["security"] = []
    else:
        operation["responses"].update(error_responses(401))
        if write:
            operation["security"] = [{"session": [], "csrf": []}]
            operation["responses"].setdefault(
                "400", json_response("Error", ERROR_DESCRIPTIONS[400])
            )
    if body:
        operation["responses"].update(error_responses(400, 413, 415))
        operation["responses"].setdefault("422", json_response("Error", ERROR_DESCRIPTIONS[422]))
    return operation


def path_id(name: str, description: str) -> dict:
    """An integer id in the path."""
    return {
        "name": name,
        "in": "path",
        "required": True,
        "description": description,
        "schema": INTEGER,
    }


def query_param(name: str, schema: dict, description: str) -> dict:
    """An optional query parameter."""
    return {
        "name": name,
        "in": "query",
        "required": False,
        "description": description,
        "schema": schema,
    }


PAGE = [
    query_param("page", {"type": "integer", "minimum": 1, "default": 1}, "Page number."),
    query_param("per_page", {"type": "integer", "minimum": 1, "maximum": 200}, "Items per page."),
]
CONTACT_ID = path_id("contact_id", "One of the user's contacts.")
NOTE_ID = path_id("note_id", "One of the user's own notes.")
FOLLOW_UP_ID = path_id("follow_up_id", "One of the user's follow-ups.")
NO_CONTENT = {"204": {"description": "Done; no body."}}

PATHS = {
    "/api/v1/csrf-token": {
        "get": operation(
            "A fresh CSRF token for the X-CSRFToken header.",
            {"200": json_response("CsrfToken", "The token.")},
            public=True,
            operation_id="getCsrfToken",
        )
    },
    "/api/v1/me": {
        "get": operation(
            "The current user's profile, what their badge shares, and their badge.",
            {"200": json_response("Me", "The profile.")},
            operation_id="getMe",
        )
    },
    "/api/v1/badge/rotate": {
        "post": operation(
            "Replace the badge token; the old QR code stops working at once.",
            {"200": json_response("BadgeResult", "The new badge.")},
            write=True,
            operation_id="rotateBadge",
        )
    },
    "/api/v1/scans": {
        "post": operation(
            "Connect with the owner of a scanned badge (mutual). Idempotent per id.",
            {
                "201": json_response("ScanResult", "Scanned: a new connection or a rescan."),
                "200": json_response(
                    "ScanResult", "A replay of an id already received: the same answer."
                ),
                **error_responses(
                    404,
                    409,
                    422,
                    e404="No current badge has this code: unknown or rotated (badge_not_found).",
                    e422="Invalid input (invalid); your own badge (own_badge); a code that is not "
                    "a badge of this server (not_a_badge), or a space poster or event "
                    "invitation (space_code, join_code).",
                ),
            },
            body="ScanRequest",
            write=True,
            operation_id="createScan",
        )
    },
    "/api/v1/scans/{scan_client_id}/notes": {
        "post": operation(
            "Add a note to the contact made by an earlier scan, found by that scan's id.",
            {
                "201": json_response("NoteResult", "The note was added."),
                "200": json_response(
                    "NoteResult", "A replay of an id already received: the same note."
                ),
                **error_responses(
                    404,
                    409,
                    e404="No scan with this id has arrived (scan_not_found), or the contact "
                    "was removed since.",
                ),
            },
            body="NoteRequest",
            write=True,
            parameters=[
                {
                    "name": "scan_client_id",
                    "in": "path",
                    "required": True,
                    "description": "The id sent with the scan.",
                    "schema": UUID,
                }
            ],
            operation_id="createScanNote",
        )
    },
    "/api/v1/contacts": {
        "get": operation(
            "The user's contacts: searchable, sorted and paginated.",
            {
                "200": json_response(
                    "ContactPage", "A page of contacts; next is the next page's URL."
                ),
                **error_responses(422),
            },
            parameters=[
                query_param(
                    "q",
                    {"type": "string", "maxLength": SEARCH_MAX},
                    "Search in name, shared company and the user's notes.",
                ),
                query_param(
                    "sort",
                    {"type": "string", "enum": ["recent", "name"], "default": "recent"},
                    "Recently met first, or by name.",
                ),
                *PAGE,
            ],
            operation_id="listContacts",
        )
    },
    "/api/v1/contacts/{contact_id}": {
        "get": operation(
            "One contact with their timeline and follow-ups.",
            {"200": json_response("ContactDetail", "The contact."), **error_responses(404)},
            parameters=[CONTACT_ID],
            operation_id="getContact",
        ),
        "delete": operation(
            "Remove a contact from the user's list; the other side keeps theirs.",
            NO_CONTENT | error_responses(404),
            write=True,
            parameters=[CONTACT_ID],
            operation_id="deleteContact",
        ),
    },
    "/api/v1/contacts/{contact_id}/notes": {
        "post": operation(
            "Add a private note, with an optional follow-up. Idempotent per id.",
            {
                "201": json_response("NoteResult", "The note was added."),
                "200": json_response(
                    "NoteResult", "A replay of an id already received: the same note."
                ),
                **error_responses(404, 409),
            },
            body="NoteRequest",
            write=True,
            parameters=[CONTACT_ID],
            operation_id="createContactNote",
        )
    },
    "/api/v1/notes/{note_id}": {
        "patch": operation(
            "Change the text of one of the user's own notes.",
            {"200": json_response("NoteResult", "The note as saved."), **error_responses(404)},
            body="NotePatch",
            write=True,
            parameters=[NOTE_ID],
            operation_id="updateNote",
        ),
        "delete": operation(
            "Delete one of the user's own notes; its follow-up stays.",
            NO_CONTENT | error_responses(404),
            write=True,
            parameters=[NOTE_ID],
            operation_id="deleteNote",
        ),
    },
    "/api/v1/follow-ups": {
        "get": operation(
            "Open follow-ups, earliest due first (overdue ones lead), with their contact.",
            {"200": json_response("FollowUpPage", "A page of follow-ups."), **error_responses(422)},
            parameters=PAGE,
            operation_id="listFollowUps",
        )
    },
    "/api/v1/follow-ups/{follow_up_id}/done": {
        "post": operation(
            "Mark a follow-up done.",
            {"200": json_response("FollowUpResult", "The follow-up."), **error_responses(404)},
            write=True,
            parameters=[FOLLOW_UP_ID],
            operation_id="completeFollowUp",
        )
    },
    "/api/v1/follow-ups/{follow_up_id}/snooze": {
        "post": operation(
            "Move a follow-up to a later date: a chosen date or a preset.",
            {
                "200": json_response("FollowUpResult", "The follow-up, open, with its new date."),
                **error_responses(404),
            },
            body="SnoozeRequest",
            write=True,
            parameters=[FOLLOW_UP_ID],
            operation_id="snoozeFollowUp",
        )
    },
}

DOCUMENT = {
    "openapi": "3.1.0",
    "info": {
        "title": "Rapport API",
        "version": "1",
        "description": (
            "The JSON API of Rapport, used by its offline-first web app. It uses the session "
            "cookie of the pages; state-changing calls send the CSRF token (from a page's "
            "csrf-token meta tag or GET /api/v1/csrf-token) in an X-CSRFToken header. Errors "
            'are {"error": {"code", "message", "fields"?}}. Writes the offline queue replays '
            "carry a client UUID id: the first call answers 201, a replay of the same id 200 "
            "with the same body, and an id already used for another kind of write 409."
        ),
    },
    "servers": [{"url": "/"}],
    "security": [{"session": []}],
    "paths": PATHS,
    "components": {
        "schemas": SCHEMAS,
        "securitySchemes": {
            "session": {"type": "apiKey", "in": "cookie", "name": "session"},
            "csrf": {"type": "apiKey", "in": "header", "name": "X-CSRFToken"},
        },
    },
}


def openapi_document() -> dict:
    """The whole document: the core API above plus what other areas' blueprints declare.

    A blueprint of another area with /api/v1 routes documents them in an ``openapi``
    attribute, ``{"paths": {...}, "schemas": {...}}``, built with the helpers above
    (``operation``, ``json_response``, ``error_responses``, ``obj``, ``ref``...).
    """
    document = copy.deepcopy(DOCUMENT)
    for blueprint in current_app.blueprints.values():
        extra = getattr(blueprint, "openapi", None) or {}
        document["paths"].update(copy.deepcopy(extra.get("paths", {})))
        document["components"]["schemas"].update(copy.deepcopy(extra.get("schemas", {})))
    return document
