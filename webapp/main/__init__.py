"""Home page, health check and app-wide pages."""

from webapp.main.routes import bp

__all__ = ["bp"]
