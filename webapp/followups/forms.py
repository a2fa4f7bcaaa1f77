"""Forms of the follow-ups area: snoozing to a later date (done and undo need only CSRF)."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, RadioField, SelectChoice
from wtforms.validators import Optional

SNOOZE_TO_DATE = "date"


class SnoozeForm(FlaskForm):
    """Move a follow-up to tomorrow, next week or a chosen date."""

    choice = RadioField(
        "Snooze until",
        choices=[
            SelectChoice("tomorrow", "Tomorrow"),
            SelectChoice("next_week", "Next week"),
            SelectChoice(SNOOZE_TO_DATE, "On"),
        ],
    )
    until = DateField("Date", validators=[Optional()], format="%Y-%m-%d")
    next = HiddenField()
