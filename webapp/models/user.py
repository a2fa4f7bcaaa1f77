"""The user aggregate: account, profile, what the badge shares, and the badge token."""

from __future__ import annotations

import secrets
from datetime import datetime

import sqlalchemy as sa
from flask import current_app
from flask_login import UserMixin
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column
from werkzeug.security import check_password_hash, generate_password_hash

from webapp.models.base import UTCDateTime, db, now_utc

BADGE_TOKEN_BYTES = 18  # 144 random bits, 24 URL-safe characters
MIN_PASSWORD_LENGTH = 10


def new_badge_token() -> str:
    """Return a fresh unguessable, URL-safe badge token."""
    return secrets.token_urlsafe(BADGE_TOKEN_BYTES)


def normalise_email(email: str) -> str:
    """Return the form of an email used to compare addresses regardless of case."""
    return email.strip().lower()


def split_topics(text: str) -> list[str]:
    """Split a comma-separated topic field into clean, de-duplicated topics."""
    seen: dict[str, str] = {}
    for raw in text.split(","):
        topic = " ".join(raw.split())
        if topic and topic.lower() not in seen:
            seen[topic.lower()] = topic
    return list(seen.values())


class User(UserMixin, db.Model):
    """A person with an account; imported attendees have no password until they claim it."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(sa.String(254))
    email_normalized: Mapped[str] = mapped_column(sa.String(254), unique=True)
    password_hash: Mapped[str | None] = mapped_column(sa.String(256))
    # Set for imported attendees so they can take over their account; cleared once used.
    claim_token: Mapped[str | None] = mapped_column(sa.String(64), unique=True)

    name: Mapped[str] = mapped_column(sa.String(120))
    headline: Mapped[str] = mapped_column(sa.String(120), default="")
    company: Mapped[str] = mapped_column(sa.String(120), default="")
    bio: Mapped[str] = mapped_column(sa.String(500), default="")
    links: Mapped[str] = mapped_column(sa.String(1000), default="")  # one URL per line
    ask_me_about: Mapped[str] = mapped_column(sa.String(300), default="")  # comma-separated
    learning: Mapped[str] = mapped_column(sa.String(300), default="")  # comma-separated

    # What scanning this person's badge shares. The name is always shared.
    share_headline: Mapped[bool] = mapped_column(default=True)
    share_company: Mapped[bool] = mapped_column(default=True)
    share_bio: Mapped[bool] = mapped_column(default=True)
    share_topics: Mapped[bool] = mapped_column(default=True)
    share_email: Mapped[bool] = mapped_column(default=False)
    share_links: Mapped[bool] = mapped_column(default=False)
    open_to_chat: Mapped[bool] = mapped_column(default=True)

    badge_token: Mapped[str] = mapped_column(sa.String(64), unique=True, default=new_badge_token)
    badge_rotated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_utc)

    def __repr__(self) -> str:
        return f"<User {self.id} {self.email_normalized}>"

    def set_email(self, email: str) -> None:
        """Store the email as typed and its case-insensitive form for uniqueness."""
        self.email = email.strip()
        self.email_normalized = normalise_email(email)

    def set_password(self, password: str) -> None:
        """Hash and store a new password with the configured (deliberately slow) method."""
        method = current_app.config.get("PASSWORD_HASH_METHOD", "scrypt")
        self.password_hash = generate_password_hash(password, method=method)

    def check_password(self, password: str) -> bool:
        """Return whether the password matches; accounts without one never match."""
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    def rotate_badge_token(self) -> None:
        """Give the badge a new token; the old QR code stops working at once."""
        self.badge_token = new_badge_token()
        self.badge_rotated_at = now_utc()

    @hybrid_property
    def awaiting_claim(self) -> bool:
        """Imported, with a claim link out, and no password set yet."""
        return self.password_hash is None and self.claim_token is not None

    @awaiting_claim.inplace.expression
    @classmethod
    def _awaiting_claim_expression(cls) -> sa.ColumnElement[bool]:
        """The same rule in SQL."""
        return sa.and_(cls.password_hash.is_(None), cls.claim_token.is_not(None))

    @property
    def initials(self) -> str:
        """Up to two initials for the avatar shown when there is no photo."""
        parts = [p for p in self.name.split() if p[:1].isalnum()]
        if not parts:
            return "?"
        letters = parts[0][0] + (parts[-1][0] if len(parts) > 1 else "")
        return letters.upper()

    @property
    def ask_me_about_topics(self) -> list[str]:
        """The "ask me about" topics as a list."""
        return split_topics(self.ask_me_about)

    @property
    def learning_topics(self) -> list[str]:
        """The "I'm learning" topics as a list."""
        return split_topics(self.learning)

    @property
    def link_list(self) -> list[str]:
        """The profile links as a list."""
        return [line.strip() for line in self.links.splitlines() if line.strip()]

    def shared_card(self) -> dict:
        """The fields this person's badge shares, as plain data for pages and the API."""
        card: dict = {"name": self.name, "initials": self.initials}
        if self.share_headline and self.headline:
            card["headline"] = self.headline
        if self.share_company and self.company:
            card["company"] = self.company
        if self.share_bio and self.bio:
            card["bio"] = self.bio
        if self.share_topics:
            if self.ask_me_about_topics:
                card["ask_me_about"] = self.ask_me_about_topics
            if self.learning_topics:
                card["learning"] = self.learning_topics
        if self.share_email:
            card["email"] = self.email
        if self.share_links and self.link_list:
            card["links"] = self.link_list
        return card
