"""Events, their spaces, attendees, badges, check-in and organizer figures."""

from webapp.events.api import bp as api_bp
from webapp.events.routes import bp

__all__ = ["api_bp", "bp"]
