"""Organizer figures for an event, as aggregates only.

Nothing here returns a note, a note count per person, or who met whom: only totals,
shares and counts per hour or per space.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Connection, Contact, Event, FollowUp, Membership
from webapp.services.events import (
    checked_in_count,
    event_zone,
    registered_count,
    space_activity,
)

FOLLOW_UP_WINDOW = timedelta(days=7)


@dataclass
class EventStats:
    """The dashboard's numbers."""

    registered: int
    checked_in: int
    connected_members: int
    connections: int
    connections_with_follow_up: int
    per_hour: list[tuple[datetime, int]] = field(default_factory=list)
    spaces: list[dict] = field(default_factory=list)

    @property
    def connected_share(self) -> float:
        """Share of members with at least one connection made at the event (0..1)."""
        return self.connected_members / self.registered if self.registered else 0.0

    @property
    def follow_up_share(self) -> float:
        """Share of the event's connections with a follow-up logged within 7 days (0..1)."""
        return self.connections_with_follow_up / self.connections if self.connections else 0.0

    def as_dict(self) -> dict:
        """The figures as plain data for the API."""
        return {
            "registered": self.registered,
            "checked_in": self.checked_in,
            "members_with_connection": self.connected_members,
            "members_with_connection_share": round(self.connected_share, 4),
            "connections": self.connections,
            "connections_with_follow_up_within_7_days": self.connections_with_follow_up,
            "follow_up_share": round(self.follow_up_share, 4),
            "connections_per_hour": [
                {"hour": hour.isoformat(), "connections": count} for hour, count in self.per_hour
            ],
            "spaces": self.spaces,
        }


def event_stats(event: Event) -> EventStats:
    """Compute the dashboard figures for ``event``."""
    at_event = Connection.event_id == event.id
    connected_members = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(Membership.user_id))).where(
            Membership.event_id == event.id,
            sa.exists().where(
                at_event,
                sa.or_(
                    Connection.user_low_id == Membership.user_id,
                    Connection.user_high_id == Membership.user_id,
                ),
            ),
        )
    )
    times = list(db.session.scalars(sa.select(Connection.created_at).where(at_event)))
    # The earliest follow-up either side logged on the connection, per connection.
    first_follow_ups = db.session.execute(
        sa.select(Connection.created_at, sa.func.min(FollowUp.created_at))
        .join(Contact, Contact.connection_id == Connection.id)
        .join(FollowUp, FollowUp.contact_id == Contact.id)
        .where(at_event)
        .group_by(Connection.id, Connection.created_at)
    ).all()
    with_follow_up = sum(
        1 for met_at, first in first_follow_ups if first - met_at <= FOLLOW_UP_WINDOW
    )
    return EventStats(
        registered=registered_count(event),
        checked_in=checked_in_count(event),
        connected_members=connected_members,
        connections=len(times),
        connections_with_follow_up=with_follow_up,
        per_hour=connections_per_hour(event, times),
        spaces=space_activity(event),
    )


def connections_per_hour(event: Event, times: list[datetime]) -> list[tuple[datetime, int]]:
    """Connections counted per hour in the event's time zone, every hour between the first
    and last connection included (zeros too), so a chart shows the quiet hours."""
    if not times:
        return []
    zone = event_zone(event)
    hours = Counter(t.astimezone(zone).replace(minute=0, second=0, microsecond=0) for t in times)
    first, last = min(hours), max(hours)
    series = []
    hour = first
    while hour <= last and len(series) < 24 * 14:
        series.append((hour, hours.get(hour, 0)))
        hour = (hour.astimezone(zone) + timedelta(hours=1)).astimezone(zone)
    return series


def hourly_chart_svg(per_hour: list[tuple[datetime, int]], width: int = 360, height: int = 200):
    """A bar chart of connections per hour as SVG markup (no scripts, no inline styles)."""
    if not per_hour:
        return ""
    left, bottom, top, right = 30, 34, 14, 8
    plot_width, plot_height = width - left - right, height - top - bottom
    peak = max(count for _, count in per_hour) or 1
    slot = plot_width / len(per_hour)
    bar_width = max(slot * 0.75, 1)
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="chart-title" xmlns="http://www.w3.org/2000/svg">',
        '<title id="chart-title">Connections per hour</title>',
        f'<line x1="{left}" y1="{top + plot_height}" x2="{width - right}" '
        f'y2="{top + plot_height}" stroke="#4d5a59" stroke-width="1"/>',
        f'<text x="{left - 4}" y="{top + 4}" text-anchor="end" font-size="11" '
        f'fill="#4d5a59">{peak}</text>',
        f'<text x="{left - 4}" y="{top + plot_height}" text-anchor="end" font-size="11" '
        f'fill="#4d5a59">0</text>',
    ]
    label_every = max(1, round(len(per_hour) / 6))
    for index, (hour, count) in enumerate(per_hour):
        bar_height = plot_height * count / peak
        x = left + index * slot + (slot - bar_width) / 2
        y = top + plot_height - bar_height
        parts.append(
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" height="{bar_height:.1f}" '
            f'fill="#1f5f5b"><title>{hour:%a %H:00}: {count}</title></rect>'
        )
        if index % label_every == 0:
            parts.append(
                f'<text x="{left + index * slot + slot / 2:.1f}" y="{height - bottom + 16}" '
                f'text-anchor="middle" font-size="11" fill="#4d5a59">{hour:%H:00}</text>'
            )
    parts.append("</svg>")
    return "".join(parts)
