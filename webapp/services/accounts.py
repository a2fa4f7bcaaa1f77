"""Creating accounts and checking credentials."""

from __future__ import annotations

from functools import lru_cache

import sqlalchemy as sa
from flask import current_app
from werkzeug.security import generate_password_hash

from webapp.extensions import db
from webapp.models import User
from webapp.models.user import normalise_email


@lru_cache(maxsize=4)
def _dummy_hash(method: str) -> str:
    """A hash to check against when the email is unknown, so a failed login takes as long."""
    return generate_password_hash("not-a-real-password", method=method)


class EmailTaken(ValueError):
    """Raised when an email is already registered (compared regardless of case)."""


def find_user_by_email(email: str) -> User | None:
    """Return the user with this email, regardless of case, or None."""
    return db.session.scalar(sa.select(User).where(User.email_normalized == normalise_email(email)))


def register_user(email: str, password: str, name: str) -> User:
    """Create an account. An imported attendee's email is taken until they use their claim link."""
    if find_user_by_email(email) is not None:
        raise EmailTaken(email)
    user = User(name=name.strip())
    user.set_email(email)
    user.set_password(password)
    db.session.add(user)
    db.session.flush()
    return user


def authenticate(email: str, password: str) -> User | None:
    """Return the user when email and password match, else None, in similar time either way."""
    user = find_user_by_email(email)
    if user is None or not user.password_hash:
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        User(password_hash=_dummy_hash(method)).check_password(password)
        return None
    return user if user.check_password(password) else None
