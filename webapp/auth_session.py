"""Flask-Login wiring: how a session cookie becomes ``current_user``."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Flask, jsonify, redirect, request, url_for

from webapp.extensions import db, login_manager
from webapp.models import User


def init_app(app: Flask) -> None:
    """Configure the login manager for pages and the JSON API."""
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Please log in to continue."
    login_manager.login_message_category = "info"
    login_manager.session_protection = "basic"


# Every signed-in request runs this; a statement built once keeps its cache key, which
# ``session.get`` would work out again from the user's two dozen columns each time.
_USER_BY_ID = sa.select(User).where(User.id == sa.bindparam("user_id"))


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """Load the logged-in user from the id kept in the session."""
    if not user_id.isdigit():
        return None
    return db.session.scalar(_USER_BY_ID, {"user_id": int(user_id)})


@login_manager.unauthorized_handler
def unauthorized():
    """Answer 401 JSON to API calls and send page visitors to the login form."""
    if request.path.startswith("/api/"):
        body = {"error": {"code": "unauthorized", "message": "Log in to use this API."}}
        return jsonify(body), 401
    return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
