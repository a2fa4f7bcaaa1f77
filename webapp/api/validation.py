"""A small, explicit validation layer for JSON bodies and query strings of the API.

Views read each field through a ``Reader``, which collects every problem before failing, so
one answer lists all the fields to fix: ``422 {"error": {"code": "invalid", "fields": {...}}}``.
"""

from __future__ import annotations

import json
import uuid
from datetime import date, datetime
from typing import Any

from flask import request

from webapp.errors import ApiError

# An API body is a few small fields; anything bigger is a mistake or abuse.
MAX_BODY_BYTES = 64 * 1024

NOTE_BODY_MAX = 5000
FOLLOW_UP_WHAT_MAX = 200
CODE_MAX = 2000
SEARCH_MAX = 200


def json_body() -> dict:
    """The request's JSON object, or an ApiError: 415 not JSON, 400 malformed, 413 too big."""
    if not request.is_json:
        raise ApiError(
            415, "unsupported_media_type", "Send the body as JSON (Content-Type: application/json)."
        )
    if request.content_length is not None and request.content_length > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"The body is larger than {MAX_BODY_BYTES} bytes.")
    raw = request.get_data(cache=True)
    if len(raw) > MAX_BODY_BYTES:
        raise ApiError(413, "too_large", f"The body is larger than {MAX_BODY_BYTES} bytes.")
    try:
        data = json.loads(raw)
    # RecursionError: absurdly nested arrays would otherwise escape as a 500.
    except (ValueError, RecursionError) as error:
        raise ApiError(400, "bad_json", "The body is not valid JSON.") from error
    if not isinstance(data, dict):
        raise ApiError(422, "invalid", "The body must be a JSON object.")
    return data


def query_args() -> Reader:
    """A reader over the query string (every value is a string there)."""
    return Reader(request.args.to_dict(), from_query=True)


def _type_name(value: Any) -> str:
    """The JSON name of a value's type, for error messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    return "string"


class Reader:
    """Reads typed fields out of a JSON object, collecting per-field errors."""

    def __init__(
        self,
        data: dict,
        *,
        prefix: str = "",
        errors: dict | None = None,
        from_query: bool = False,
    ):
        self.data = data
        self.prefix = prefix
        self.errors: dict[str, str] = {} if errors is None else errors
        self.from_query = from_query

    def _fail(self, name: str, message: str) -> None:
        """Record a problem with one field (the first one found wins)."""
        self.errors.setdefault(self.prefix + name, message)

    def _present(self, name: str, required: bool) -> bool:
        """Whether the field was sent (and non-null); records a missing required field."""
        if self.data.get(name) is None:
            if required:
                self._fail(name, "This field is required.")
            return False
        return True

    def _string(self, name: str, required: bool) -> str | None:
        """The raw string value of a field, or None when it is absent or not a string."""
        if not self._present(name, required):
            return None
        value = self.data[name]
        if not isinstance(value, str):
            self._fail(name, f"Expected a string, got {_type_name(value)}.")
            return None
        return value

    def text(
        self, name: str, *, max_length: int, required: bool = True, allow_blank: bool = False
    ) -> str | None:
        """A string of at most ``max_length`` characters, stripped of outer whitespace."""
        value = self._string(name, required)
        if value is None:
            return None
        value = value.strip()
        if len(value) > max_length:
            self._fail(name, f"Use at most {max_length} characters (got {len(value)}).")
            return None
        if not value and not allow_blank:
            if required:
                self._fail(name, "This field cannot be blank.")
            return None
        return value

    def client_id(self, name: str = "id") -> str | None:
        """A client-generated UUID, in its canonical lower-case form."""
        value = self._string(name, True)
        if value is None:
            return None
        canonical = canonical_uuid(value)
        if canonical is None:
            self._fail(name, "Expected a UUID such as 3f2b8c1e-6a4d-4c57-9d0e-2b7f5a1c9e84.")
        return canonical

    def timestamp(self, name: str, *, required: bool = True) -> datetime | None:
        """An ISO 8601 date-time with a time zone offset, e.g. 2026-05-04T10:30:00Z."""
        value = self._string(name, required)
        if value is None:
            return None
        try:
            parsed = datetime.fromisoformat(value.strip())
        except ValueError:
            parsed = None
        if parsed is None or len(value) > 64:
            self._fail(name, "Expected an ISO 8601 date-time, e.g. 2026-05-04T10:30:00Z.")
            return None
        if parsed.tzinfo is None:
            self._fail(name, "Include a time zone offset, e.g. 2026-05-04T10:30:00Z.")
            return None
        return parsed

    def day(self, name: str, *, required: bool = True) -> date | None:
        """A calendar date written YYYY-MM-DD."""
        value = self._string(name, required)
        if value is None:
            return None
        try:
            if len(value) != 10:
                raise ValueError(value)
            return date.fromisoformat(value)
        except ValueError:
            self._fail(name, "Expected a date written YYYY-MM-DD.")
            return None

    def choice(self, name: str, choices, *, required: bool = True) -> str | None:
        """One of a fixed set of strings."""
        value = self._string(name, required)
        if value is None:
            return None
        if value not in choices:
            self._fail(name, f"Expected one of: {', '.join(choices)}.")
            return None
        return value

    def integer(
        self, name: str, *, minimum: int, maximum: int, default: int | None = None
    ) -> int | None:
        """A whole number within bounds (written as digits in a query string)."""
        if self.data.get(name) in (None, ""):
            return default
        value = self.data[name]
        if self.from_query and isinstance(value, str):
            value = int(value) if value.isdigit() and len(value) < 10 else value
        if not isinstance(value, int) or isinstance(value, bool):
            self._fail(name, "Expected a whole number.")
            return default
        if not minimum <= value <= maximum:
            self._fail(name, f"Expected a number from {minimum} to {maximum}.")
            return default
        return value

    def nested(self, name: str, *, required: bool = False) -> Reader | None:
        """A reader over a nested object, whose errors are reported as ``name.field``."""
        if not self._present(name, required):
            return None
        value = self.data[name]
        if not isinstance(value, dict):
            self._fail(name, f"Expected an object, got {_type_name(value)}.")
            return None
        return Reader(value, prefix=f"{self.prefix}{name}.", errors=self.errors)

    def fail(self, name: str, message: str) -> None:
        """Record a rule broken by a field, for checks that span fields."""
        self._fail(name, message)

    def check(self) -> None:
        """Raise 422 ``invalid`` listing every problem found, if any."""
        if self.errors:
            names = ", ".join(sorted(self.errors))
            raise ApiError(422, "invalid", f"Some fields need fixing: {names}.", self.errors)


def canonical_uuid(value: str) -> str | None:
    """The canonical lower-case form of a UUID written with hyphens, or None."""
    if len(value) != 36:
        return None
    try:
        return str(uuid.UUID(value))
    except ValueError:
        return None
