"""Forms of the events area: events, spaces, organizers, imports and claiming an account."""

from __future__ import annotations

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    HiddenField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from webapp.auth.forms import new_password_field, repeat_password_field
from webapp.services.events import (
    SLUG_PATTERN,
    SPACE_KIND_LABELS,
    slug_taken,
    slugify,
    timezone_names,
)


class EventForm(FlaskForm):
    """An event's name, address, dates, time zone, venue and description."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    slug = StringField(
        "Web address",
        validators=[Length(max=80)],
        description="Lower-case letters, digits and hyphens, e.g. pycon-2026. Leave empty "
        "to make one from the name.",
    )
    starts_on = DateField("First day", validators=[DataRequired()])
    ends_on = DateField("Last day", validators=[DataRequired()])
    timezone = SelectField("Time zone", default="UTC", validate_choice=True)
    venue = StringField("Venue", validators=[Optional(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=5000)])

    def __init__(self, *args, event_id: int | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.event_id = event_id
        self.timezone.choices = [SelectChoice(name) for name in timezone_names()]

    def validate_slug(self, field) -> None:
        """Make a slug from the name when empty; refuse malformed or taken ones."""
        field.data = (field.data or "").strip().lower() or slugify(self.name.data or "")
        if not field.data or not SLUG_PATTERN.match(field.data):
            raise ValidationError("Use lower-case letters, digits and single hyphens.")
        if slug_taken(field.data, self.event_id):
            raise ValidationError("Another event uses this address. Choose another.")

    def validate_ends_on(self, field) -> None:
        """The last day cannot come before the first."""
        if self.starts_on.data and field.data and field.data < self.starts_on.data:
            raise ValidationError("The last day must be on or after the first day.")

    def values(self) -> dict:
        """The cleaned values, ready for the service."""
        return {
            "name": self.name.data.strip(),
            "slug": self.slug.data,
            "starts_on": self.starts_on.data,
            "ends_on": self.ends_on.data,
            "timezone": self.timezone.data,
            "venue": (self.venue.data or "").strip(),
            "description": (self.description.data or "").strip(),
        }


class SpaceForm(FlaskForm):
    """A space's name, kind and description."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    kind = SelectField(
        "Kind",
        choices=[SelectChoice(value, label) for value, label in SPACE_KIND_LABELS.items()],
        default="room",
    )
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])

    def values(self) -> dict:
        """The cleaned values, ready for the service."""
        return {
            "name": self.name.data.strip(),
            "kind": self.kind.data,
            "description": (self.description.data or "").strip(),
        }


class OrganizerEmailForm(FlaskForm):
    """Add a co-organizer by the email of their Rapport account."""

    email = EmailField(
        "Email of their Rapport account",
        validators=[DataRequired(), Email(message="Enter a valid email address."), Length(max=254)],
    )


class RoleForm(FlaskForm):
    """Change a member's role."""

    role = SelectField(
        "Role",
        choices=[
            SelectChoice("attendee", "Attendee"),
            SelectChoice("organizer", "Organizer"),
            SelectChoice("owner", "Owner"),
        ],
    )


class ConfirmForm(FlaskForm):
    """A button that changes state: only the CSRF token."""


class ImportForm(FlaskForm):
    """The attendee CSV upload."""

    file = FileField("Attendee list (CSV)", validators=[FileRequired("Choose a CSV file.")])


class ImportCommitForm(FlaskForm):
    """Confirm an import after its preview."""

    send_claim_emails = BooleanField(
        "Email each new attendee a link to claim their account", default=True
    )


class ClaimForm(FlaskForm):
    """Set a password to take over an imported account."""

    password = new_password_field("Choose a password")
    confirm = repeat_password_field()


class ListingForm(FlaskForm):
    """Opt in or out of an event's directory."""

    listed = HiddenField()
