"""Forms for registering and logging in."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length, ValidationError

from webapp.models.user import MIN_PASSWORD_LENGTH
from webapp.services.accounts import find_user_by_email


def new_password_field(label: str) -> PasswordField:
    """A field for choosing a password, with the minimum length explained."""
    return PasswordField(
        label,
        validators=[
            DataRequired(),
            Length(
                min=MIN_PASSWORD_LENGTH,
                max=200,
                message=f"Use at least {MIN_PASSWORD_LENGTH} characters.",
            ),
        ],
    )


def repeat_password_field() -> PasswordField:
    """A field that must repeat the form's ``password`` field."""
    return PasswordField(
        "Repeat password",
        validators=[DataRequired(), EqualTo("password", message="The passwords differ.")],
    )


class LoginForm(FlaskForm):
    """Email and password, plus where to go afterwards."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=200)])
    remember = BooleanField("Keep me logged in on this device", default=True)
    next = HiddenField()
    connect = HiddenField()


class RegisterForm(FlaskForm):
    """A new account: name, email and password."""

    name = StringField("Your name", validators=[DataRequired(), Length(max=120)])
    email = EmailField(
        "Email",
        validators=[DataRequired(), Email(message="Enter a valid email address."), Length(max=254)],
    )
    password = new_password_field("Password")
    confirm = repeat_password_field()
    next = HiddenField()
    connect = HiddenField()

    def validate_email(self, field) -> None:
        """Refuse an email that already has an account, whatever its case."""
        if find_user_by_email(field.data) is not None:
            raise ValidationError(
                "An account with this email exists. Log in, or use the claim link "
                "your event organizer sent you."
            )
