"""The installable app: manifest, service worker, scanner and offline pages."""

from webapp.pwa.routes import bp

__all__ = ["bp"]
