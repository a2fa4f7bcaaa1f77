"""The badge: the owner's page with its QR code, and what opening a badge URL shows."""

from __future__ import annotations

import sqlalchemy as sa
from flask import Blueprint, Response, abort, flash, redirect, render_template, url_for
from flask_login import current_user, login_required
from markupsafe import Markup, escape

from webapp.badge.forms import ConnectForm, RotateBadgeForm
from webapp.extensions import db
from webapp.models import Contact, User
from webapp.services.connections import BadgeNotFound, OwnBadge, find_badge_owner, scan_badge
from webapp.services.links import absolute_code_url
from webapp.services.qr import qr_png, qr_svg

bp = Blueprint("badge", __name__)

# A token names one version of the code for ever: a rotated token 404s, it never changes.
IMMUTABLE_CACHE = "public, max-age=31536000, immutable"
NOT_VALID_MESSAGE = (
    "This badge code is not valid, or no longer valid: its owner may have replaced it "
    "with a new one. Ask them to show you their badge again."
)


def inline_qr_svg(url: str, label: str) -> Markup:
    """The QR code for ``url`` as inline SVG with an accessible name and crisp edges."""
    svg = qr_svg(url)
    opening_end = svg.index(">") + 1
    opening = svg[:opening_end].replace(
        "<svg ",
        '<svg role="img" aria-labelledby="badge-qr-title" focusable="false" '
        'shape-rendering="crispEdges" preserveAspectRatio="xMidYMid meet" ',
        1,
    )
    title = f'<title id="badge-qr-title">{escape(label)}</title>'
    return Markup(opening + title + svg[opening_end:])


def standalone_qr_svg(url: str) -> str:
    """The QR code as a standalone SVG file: white background and a real size for printing."""
    svg = qr_svg(url)
    opening_end = svg.index(">") + 1
    opening = (
        svg[:opening_end]
        .replace('data-width="', 'width="', 1)
        .replace('data-height="', 'height="', 1)
        .replace("<svg ", '<svg shape-rendering="crispEdges" ', 1)
    )
    background = '<rect width="100%" height="100%" fill="#ffffff"/>'
    return opening + background + svg[opening_end:]


def current_badge_owner(token: str) -> User | None:
    """The owner of a current badge token, or None for an unknown or rotated one."""
    return find_badge_owner(token) if len(token) <= 64 else None


def badge_owner_or_404(token: str) -> User:
    """The owner of a current badge token; unknown or rotated tokens are a 404."""
    owner = current_badge_owner(token)
    if owner is None:
        abort(404, description=NOT_VALID_MESSAGE)
    return owner


def invalid_code_page():
    """The 404 page for a badge URL whose code is unknown or was replaced."""
    return render_template("badge/invalid.html", message=NOT_VALID_MESSAGE), 404


@bp.get("/badge")
@login_required
def show():
    """The user's badge: a large QR code to show, their name and what scanning shares."""
    url = absolute_code_url("badge", current_user.badge_token)
    return render_template(
        "badge/show.html",
        qr=inline_qr_svg(url, f"QR code of your badge, linking to {url}"),
        badge_url=url,
        card=current_user.shared_card(),
        rotate_form=RotateBadgeForm(),
    )


@bp.post("/badge/rotate")
@login_required
def rotate():
    """Give the badge a new code; the old QR code and its images stop working at once."""
    form = RotateBadgeForm()
    if not form.validate_on_submit():
        abort(400)
    current_user.rotate_badge_token()
    db.session.commit()
    flash("Your badge has a new code. The old one no longer works.", "success")
    return redirect(url_for("badge.show"))


@bp.get("/c/<token>/qr.svg")
def qr_svg_file(token: str):
    """The badge's QR code as an SVG file, cacheable for ever under this token."""
    badge_owner_or_404(token)
    response = Response(
        standalone_qr_svg(absolute_code_url("badge", token)), mimetype="image/svg+xml"
    )
    response.headers["Cache-Control"] = IMMUTABLE_CACHE
    return response


@bp.get("/c/<token>/qr.png")
def qr_png_file(token: str):
    """The badge's QR code as a PNG to download or print, cacheable for ever under this token."""
    badge_owner_or_404(token)
    response = Response(qr_png(absolute_code_url("badge", token)), mimetype="image/png")
    response.headers["Cache-Control"] = IMMUTABLE_CACHE
    response.headers["Content-Disposition"] = 'inline; filename="rapport-badge.png"'
    return response


def _existing_contact(owner: User) -> Contact | None:
    """The current user's contact for ``owner``, if they are already connected."""
    return db.session.scalar(
        sa.select(Contact).where(Contact.owner_id == current_user.id, Contact.person_id == owner.id)
    )


def _render_open(owner: User, token: str, form: ConnectForm | None = None, status: int = 200):
    """Render the page a scanned badge URL opens."""
    own = current_user.is_authenticated and owner.id == current_user.id
    existing = None
    if current_user.is_authenticated and not own:
        existing = _existing_contact(owner)
    return render_template(
        "badge/open.html",
        owner=owner,
        token=token,
        card=owner.shared_card(),
        own=own,
        existing=existing,
        form=form or ConnectForm(),
    ), status


@bp.get("/c/<token>")
def open_badge(token: str):
    """Show a scanned badge's shared card; never changes data, so link previews are harmless."""
    owner = current_badge_owner(token)
    if owner is None:
        return invalid_code_page()
    return _render_open(owner, token)


@bp.post("/c/<token>/connect")
def connect(token: str):
    """Connect with the badge's owner (a rescan is noted on the timeline, never duplicated)."""
    if not current_user.is_authenticated:
        return redirect(url_for("auth.login", connect=token))
    owner = current_badge_owner(token)
    if owner is None:
        return invalid_code_page()
    form = ConnectForm()
    if not form.validate_on_submit():
        return _render_open(owner, token, form, status=422)
    try:
        result = scan_badge(current_user, token, note=form.note.data or "")
    except BadgeNotFound:
        return invalid_code_page()
    except OwnBadge:
        flash("That's your own badge. Show it to someone else to connect.", "info")
        return redirect(url_for("badge.show"))
    db.session.commit()
    name = result.contact.display_name
    if result.new_connection:
        flash(f"You're connected with {name}.", "success")
    else:
        flash(f"You were already connected with {name}. We noted that you met again.", "success")
    return redirect(url_for("contacts.show", contact_id=result.contact.id))
