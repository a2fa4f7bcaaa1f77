"""Error handlers: JSON ``{"error": {...}}`` under /api, friendly pages elsewhere."""

from __future__ import annotations

from flask import Flask, jsonify, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError

from webapp.extensions import db

ERROR_CODES = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    409: "conflict",
    413: "too_large",
    415: "unsupported_media_type",
    422: "invalid",
    429: "rate_limited",
    500: "server_error",
    503: "unavailable",
}


class ApiError(Exception):
    """An API failure with an HTTP status, a stable code and a human message."""

    def __init__(self, status: int, code: str, message: str, fields: dict | None = None):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.fields = fields or {}


def json_error(status: int, code: str, message: str, fields: dict | None = None):
    """Build the JSON error response used by every API failure."""
    error: dict = {"code": code, "message": message}
    if fields:
        error["fields"] = fields
    return jsonify({"error": error}), status


def wants_json() -> bool:
    """Whether this request should get JSON errors rather than an HTML page."""
    return request.path.startswith("/api/") or request.is_json


def init_app(app: Flask) -> None:
    """Register the error handlers."""

    @app.errorhandler(ApiError)
    def handle_api_error(error: ApiError):
        """Render an ApiError as JSON."""
        return json_error(error.status, error.code, error.message, error.fields)

    @app.errorhandler(CSRFError)
    def handle_csrf_error(error: CSRFError):
        """Explain a missing or expired CSRF token instead of a bare 400."""
        message = "Your session token is missing or expired. Reload the page and try again."
        if wants_json():
            return json_error(400, "csrf_failed", message)
        return render_template("errors/error.html", status=400, message=message), 400

    @app.errorhandler(HTTPException)
    def handle_http_error(error: HTTPException):
        """Render any HTTP error as JSON for the API or as a page."""
        status = error.code or 500
        if status >= 500:
            db.session.rollback()
        if wants_json():
            code = ERROR_CODES.get(status, "error")
            message = error.description or error.name
            response = json_error(status, code, message)
            if status == 405 and error.valid_methods:
                response[0].headers["Allow"] = ", ".join(error.valid_methods)
            return response
        message = error.description or error.name
        return render_template("errors/error.html", status=status, message=message), status

    @app.errorhandler(Exception)
    def handle_unexpected_error(error: Exception):
        """Log the failure, undo the half-done transaction and answer a plain 500."""
        app.logger.exception("Unhandled error", exc_info=error)
        db.session.rollback()
        return handle_http_error(InternalServerError())
