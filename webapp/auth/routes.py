"""Routes for registering, logging in and out."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user

from webapp.auth.forms import LoginForm, RegisterForm
from webapp.extensions import db, limiter
from webapp.services.accounts import EmailTaken, authenticate, register_user
from webapp.services.connections import BadgeNotFound, OwnBadge, scan_badge

bp = Blueprint("auth", __name__)


def safe_next_url(target: str | None) -> str | None:
    """Return ``target`` only if it is a path on this site, so redirects cannot leave it."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    if "\\" in target:
        return None
    return target


def _login_rate_limit() -> str:
    """The configured login rate limit (read per request so tests can change it)."""
    return current_app.config["LOGIN_RATE_LIMIT"]


def _finish_sign_in(connect_token: str | None, next_url: str | None):
    """After login or sign-up, make the pending connection if any, then go on."""
    if connect_token:
        try:
            result = scan_badge(current_user, connect_token)
        except BadgeNotFound:
            flash("That badge code is no longer valid, so no connection was made.", "error")
        except OwnBadge:
            flash("That was your own badge.", "info")
        else:
            db.session.commit()
            flash(f"You're connected with {result.contact.display_name}.", "success")
            return redirect(url_for("contacts.show", contact_id=result.contact.id))
    return redirect(safe_next_url(next_url) or url_for("badge.show"))


@bp.route("/register", methods=["GET", "POST"])
def register():
    """Create an account, then connect with the badge that brought the visitor here."""
    if current_user.is_authenticated:
        return redirect(url_for("badge.show"))
    form = RegisterForm(next=request.args.get("next", ""), connect=request.args.get("connect", ""))
    if form.validate_on_submit():
        try:
            user = register_user(form.email.data, form.password.data, form.name.data)
        except EmailTaken:
            form.email.errors.append("An account with this email exists. Log in instead.")
        else:
            db.session.commit()
            login_user(user, remember=True)
            flash("Welcome to Rapport! Add a few details so people remember you.", "success")
            if form.connect.data:
                return _finish_sign_in(form.connect.data, form.next.data)
            return redirect(safe_next_url(form.next.data) or url_for("profile.edit"))
    return render_template("auth/register.html", form=form)


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_rate_limit, methods=["POST"])
def login():
    """Log in with email and password; a failure never says whether the email exists."""
    if current_user.is_authenticated:
        return redirect(safe_next_url(request.args.get("next")) or url_for("badge.show"))
    form = LoginForm(next=request.args.get("next", ""), connect=request.args.get("connect", ""))
    if form.validate_on_submit():
        user = authenticate(form.email.data, form.password.data)
        if user is None:
            flash("Email or password is incorrect.", "error")
        else:
            login_user(user, remember=form.remember.data)
            return _finish_sign_in(form.connect.data, form.next.data)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    """Log out (a POST, so a link or prefetch cannot log anyone out)."""
    logout_user()
    flash("You are logged out.", "info")
    return redirect(url_for("auth.login"))
