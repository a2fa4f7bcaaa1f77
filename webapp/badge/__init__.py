"""The badge: its page, its QR code, and what opening a badge URL shows."""

from webapp.badge.routes import bp

__all__ = ["bp"]
