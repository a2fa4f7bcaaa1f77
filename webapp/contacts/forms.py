"""Forms of the contacts area: hand-added contacts, notes and their follow-ups."""

from __future__ import annotations

from datetime import date

from flask_wtf import FlaskForm
from wtforms import DateField, EmailField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from webapp.models import Interaction

MAX_NOTE_LENGTH = 5000
KIND_LABELS = {
    Interaction.KIND_NOTE: "Note",
    Interaction.KIND_MEETING: "Meeting",
    Interaction.KIND_CALL: "Call",
}


class ManualContactForm(FlaskForm):
    """A person without the app: name, and optionally email and company."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "Email",
        validators=[Optional(), Email(message="Enter a valid email address."), Length(max=254)],
    )
    company = StringField("Company", validators=[Length(max=120)])


def validate_not_past(field, today: date) -> None:
    """Refuse a due date before today, with a message that says so."""
    if field.data is not None and field.data < today:
        raise ValidationError("Pick today or a later date.")


class NoteForm(FlaskForm):
    """A private note on a contact's timeline, with an optional follow-up."""

    body = TextAreaField(
        "Note",
        validators=[
            Length(
                max=MAX_NOTE_LENGTH,
                message=f"Keep a note under {MAX_NOTE_LENGTH} characters.",
            )
        ],
    )
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(value, label) for value, label in KIND_LABELS.items()],
        default=Interaction.KIND_NOTE,
    )
    follow_up_what = StringField(
        "What to do",
        validators=[Length(max=200, message="Keep the follow-up under 200 characters.")],
    )
    follow_up_due_on = DateField("Due", validators=[Optional()], format="%Y-%m-%d")

    def validate_on_submit_for(self, today: date) -> bool:
        """Validate the form, including the rules that tie its fields together."""
        if not self.validate_on_submit():
            return False
        what = (self.follow_up_what.data or "").strip()
        body = (self.body.data or "").strip()
        if not body and not what:
            self.body.errors.append("Write a note, or add a follow-up below.")
        if what and self.follow_up_due_on.data is None:
            self.follow_up_due_on.errors.append("Give the follow-up a due date.")
        if self.follow_up_due_on.data is not None and not what:
            self.follow_up_what.errors.append("Say what to do by that date.")
        try:
            validate_not_past(self.follow_up_due_on, today)
        except ValidationError as error:
            self.follow_up_due_on.errors.append(str(error))
        return not (self.body.errors or self.follow_up_due_on.errors or self.follow_up_what.errors)


class EditNoteForm(FlaskForm):
    """Change the text of one of your notes."""

    body = TextAreaField(
        "Note",
        validators=[
            DataRequired(message="A note can't be empty. Delete it instead."),
            Length(max=MAX_NOTE_LENGTH, message=f"Keep a note under {MAX_NOTE_LENGTH} characters."),
        ],
    )


class ConfirmForm(FlaskForm):
    """A state-changing button that needs nothing but CSRF."""
