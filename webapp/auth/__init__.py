"""Accounts: register, log in, log out."""

from webapp.auth.routes import bp

__all__ = ["bp"]
