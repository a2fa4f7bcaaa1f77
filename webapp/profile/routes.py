"""The profile page: edit who you are and choose what your badge shares."""

from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.extensions import db
from webapp.models import User
from webapp.models.user import split_topics
from webapp.profile.forms import ProfileForm, parse_links

bp = Blueprint("profile", __name__)

PROFILE_FIELDS = ("name", "headline", "company", "bio")
SHARE_FIELDS = (
    "share_headline",
    "share_company",
    "share_bio",
    "share_topics",
    "share_email",
    "share_links",
    "open_to_chat",
)


def apply_profile(user: User, form: ProfileForm) -> None:
    """Copy the form's cleaned values onto ``user`` (saved or only previewed)."""
    for name in PROFILE_FIELDS:
        value = form[name].data or ""
        # Single-line fields lose stray runs of spaces; the bio keeps its line breaks.
        setattr(user, name, value.strip() if name == "bio" else " ".join(value.split()))
    user.links = "\n".join(parse_links(form.links.data))
    user.ask_me_about = ", ".join(split_topics(form.ask_me_about.data or ""))
    user.learning = ", ".join(split_topics(form.learning.data or ""))
    for name in SHARE_FIELDS:
        setattr(user, name, bool(form[name].data))


def preview_user(form: ProfileForm) -> User:
    """An unsaved copy of the current user carrying the form's values, for the preview."""
    preview = User(email=current_user.email)
    apply_profile(preview, form)
    return preview


@bp.route("/profile", methods=["GET", "POST"])
@login_required
def edit():
    """Edit the profile; "Preview" shows what the badge would share without saving."""
    form = ProfileForm(obj=current_user)
    preview, is_preview = current_user, False
    status = 200
    if form.validate_on_submit():
        if request.form.get("action") == "preview":
            preview, is_preview = preview_user(form), True
        else:
            apply_profile(current_user, form)
            db.session.commit()
            flash("Profile saved. Your badge shares what you see in the preview.", "success")
            return redirect(url_for("profile.edit"))
    elif form.is_submitted():
        status = 422
    return render_template(
        "profile/edit.html",
        form=form,
        card=preview.shared_card(),
        preview=preview,
        is_preview=is_preview,
    ), status
