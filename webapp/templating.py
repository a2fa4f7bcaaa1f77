"""Template filters shared by every area: how dates and times are written.

Timestamps are stored in UTC. Pages about an event show its times in the event's own time
zone; other times are written in UTC inside ``<time>``, which ``app.js`` rewrites to the
phone's own time zone (without JavaScript, the UTC text stays, clearly labelled).
"""

from __future__ import annotations

from datetime import date, datetime

from flask import Flask
from markupsafe import Markup, escape

from webapp.models import Event
from webapp.services.events import event_zone


def day_filter(value: date | datetime) -> str:
    """A date as people write it, e.g. "3 Nov 2026"."""
    return f"{value.day} {value:%b %Y}"


def moment_filter(value: datetime) -> Markup:
    """A UTC timestamp as ``<time>``, e.g. "3 Nov 2026, 14:05 UTC", shown locally by app.js."""
    iso = value.strftime("%Y-%m-%dT%H:%M:%SZ")
    text = f"{value.day} {value:%b %Y, %H:%M} UTC"
    return Markup(f'<time datetime="{iso}" data-local-time>{escape(text)}</time>')


def event_time_filter(value: datetime, event: Event, with_day: bool = False) -> str:
    """A timestamp in the event's own time zone, e.g. "14:05 CET" or "3 Nov 14:05 CET"."""
    local = value.astimezone(event_zone(event))
    zone = local.tzname() or event.timezone
    if with_day:
        return f"{local.day} {local:%b %H:%M} {zone}"
    return f"{local:%H:%M} {zone}"


def init_app(app: Flask) -> None:
    """Register the filters."""
    app.add_template_filter(day_filter, "day")
    app.add_template_filter(moment_filter, "moment")
    app.add_template_filter(event_time_filter, "event_time")
