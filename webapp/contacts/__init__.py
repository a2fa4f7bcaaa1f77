"""Contacts: the list, a contact's page and timeline, notes, and exports."""

from webapp.contacts.routes import bp

__all__ = ["bp"]
