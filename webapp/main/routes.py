"""Routes of the main area: home and health check."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, jsonify, redirect, render_template, url_for
from flask_login import current_user

from webapp.extensions import db

bp = Blueprint("main", __name__)


@bp.get("/")
def home():
    """Send members to their badge; show everyone else what Rapport is."""
    if current_user.is_authenticated:
        return redirect(url_for("badge.show"))
    return render_template("main/home.html")


@bp.get("/healthz")
def healthz():
    """Answer ok after a real database round trip, 503 if the database is unreachable."""
    try:
        db.session.execute(sa.text("SELECT 1")).scalar_one()
    except Exception:  # any driver failure means "not healthy", never a 500
        db.session.rollback()
        return jsonify({"status": "unavailable"}), 503
    return jsonify({"status": "ok"})
