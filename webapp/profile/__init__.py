"""The user's profile and what their badge shares."""

from webapp.profile.routes import bp

__all__ = ["bp"]
