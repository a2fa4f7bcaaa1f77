"""Follow-ups: what the user promised to do, by date."""

from webapp.followups.routes import bp

__all__ = ["bp"]
