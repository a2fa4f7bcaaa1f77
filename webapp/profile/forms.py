"""The profile form: who you are, and what your badge shares."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, ValidationError

MAX_LINKS = 5
MAX_LINK_LENGTH = 200


def parse_links(text: str) -> list[str]:
    """Split the links field into one URL per non-empty line."""
    return [line.strip() for line in (text or "").splitlines() if line.strip()]


class ProfileForm(FlaskForm):
    """Name, role, bio, links, topics and the badge's sharing choices."""

    name = StringField("Name", validators=[DataRequired(), Length(max=120)])
    headline = StringField("Headline", validators=[Length(max=120)])
    company = StringField("Company", validators=[Length(max=120)])
    bio = TextAreaField(
        "Short bio", validators=[Length(max=500, message="Keep the bio to 500 characters.")]
    )
    links = TextAreaField("Links", validators=[Length(max=1000)])
    ask_me_about = StringField("Ask me about", validators=[Length(max=300)])
    learning = StringField("I'm learning", validators=[Length(max=300)])

    share_headline = BooleanField("Headline")
    share_company = BooleanField("Company")
    share_bio = BooleanField("Bio")
    share_topics = BooleanField("Topics")
    share_email = BooleanField("Email address")
    share_links = BooleanField("Links")
    open_to_chat = BooleanField("Open to chat")

    def validate_links(self, field) -> None:
        """Accept at most five http(s) links, one per line; refuse javascript: and friends."""
        links = parse_links(field.data)
        if len(links) > MAX_LINKS:
            raise ValidationError(f"Add at most {MAX_LINKS} links.")
        for link in links:
            if len(link) > MAX_LINK_LENGTH:
                raise ValidationError(f"Links can be at most {MAX_LINK_LENGTH} characters long.")
            try:
                parts = urlsplit(link)
            except ValueError:
                parts = None
            if parts is None or parts.scheme.lower() not in ("http", "https") or not parts.netloc:
                raise ValidationError(
                    f"“{link[:60]}” is not a web link. Use full addresses starting with "
                    "https:// or http://, one per line."
                )
            if any(ch.isspace() for ch in link):
                raise ValidationError(f"“{link[:60]}” contains spaces. Put one link per line.")
