"""The JSON API under /api/v1 and its OpenAPI document."""

from webapp.api.routes import bp

__all__ = ["bp"]
