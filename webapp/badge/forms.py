"""Forms of the badge area: connecting with a scanned badge, and rotating one's own."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import TextAreaField
from wtforms.validators import Length

MAX_NOTE_LENGTH = 2000


class ConnectForm(FlaskForm):
    """Connect with the badge's owner, with an optional first note."""

    note = TextAreaField(
        "Note (optional, only you will see it)",
        validators=[
            Length(
                max=MAX_NOTE_LENGTH, message=f"Keep the note under {MAX_NOTE_LENGTH} characters."
            )
        ],
    )


class RotateBadgeForm(FlaskForm):
    """Confirm getting a new badge code (CSRF only)."""
