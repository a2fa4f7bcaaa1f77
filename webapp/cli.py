"""Command-line tools: ``flask --app webapp seed-demo``."""

from __future__ import annotations

from datetime import date, timedelta

import click
import sqlalchemy as sa
from flask import Flask

from webapp.extensions import db
from webapp.models import Contact, Event, Membership, Space, User, now_utc
from webapp.services.accounts import find_user_by_email
from webapp.services.connections import scan_badge
from webapp.services.contacts import add_manual_contact
from webapp.services.notes import add_note

DEMO_EMAIL = "demo@rapport.example"
DEMO_PASSWORD = "rapport-demo-2026"

# People the demo user met, with what they talked about and what was promised.
DEMO_PEOPLE = [
    {
        "name": "Amara Okafor",
        "headline": "Staff engineer",
        "company": "Tidewater Health",
        "bio": "Builds data platforms for hospitals. Mentors new tech leads.",
        "ask_me_about": "data platforms, on-call culture, first-time tech leads",
        "learning": "product management",
        "met_days_ago": 1,
        "scanned_by_demo": True,
        "note": "Talked about moving from senior to staff. She suggested writing a "
        "one-page plan of the situations I avoid. Offered to review it.",
        "follow_up": ("Send her my one-page growth plan", 2),
    },
    {
        "name": "Jonas Lindqvist",
        "headline": "Engineering manager",
        "company": "Nordlys Games",
        "ask_me_about": "hiring juniors, game servers",
        "learning": "Rust",
        "met_days_ago": 1,
        "scanned_by_demo": False,
        "note": "Runs a monthly lunch for new managers in Berlin. Asked me to come.",
        "follow_up": ("Reply about the managers' lunch", -1),
    },
    {
        "name": "Priya Raman",
        "headline": "Research scientist",
        "company": "Open Climate Lab",
        "bio": "Satellite data and climate models; loves a good map.",
        "ask_me_about": "remote sensing, Python packaging",
        "learning": "public speaking",
        "met_days_ago": 2,
        "scanned_by_demo": True,
        "note": "Shared our vision for open data tools. She is giving a talk next "
        "month and wants feedback on her slides.",
        "follow_up": ("Give feedback on Priya's slides", 6),
    },
    {
        "name": "Tomás Herrera",
        "headline": "Founder",
        "company": "Tallo",
        "ask_me_about": "bootstrapping, pricing",
        "met_days_ago": 2,
        "scanned_by_demo": False,
        "note": "Honest chat about burnout and pacing a small company.",
        "follow_up": None,
    },
    {
        "name": "Mei Chen",
        "headline": "Developer advocate",
        "company": "Lattice DB",
        "ask_me_about": "conference talks, writing docs",
        "learning": "Go",
        "met_days_ago": 3,
        "scanned_by_demo": True,
        "note": "Could introduce me to the program committee of DataDays.",
        "follow_up": ("Ask Mei for the DataDays intro", 0),
    },
    {
        "name": "Samuel Adeyemi",
        "headline": "Platform engineer",
        "company": "Kestrel Bank",
        "met_days_ago": 3,
        "scanned_by_demo": True,
        "note": "",
        "follow_up": None,
    },
]


def seed_demo() -> tuple[User, bool]:
    """Create the demo account and a lived-in sample around it; returns (user, created)."""
    existing = find_user_by_email(DEMO_EMAIL)
    if existing is not None:
        return existing, False

    demo = User(
        name="Robin Demo",
        headline="Senior developer",
        company="Fernway",
        bio="Growing towards a staff role; happy to talk testing and accessibility.",
        ask_me_about="testing, accessibility, Flask",
        learning="system design, mentoring",
        share_links=True,
        links="https://example.org/robin",
    )
    demo.set_email(DEMO_EMAIL)
    demo.set_password(DEMO_PASSWORD)
    db.session.add(demo)

    today = date.today()
    event = Event(
        name="Rapport Demo Conf",
        slug="demo-conf",
        starts_on=today - timedelta(days=3),
        ends_on=today + timedelta(days=1),
        timezone="Europe/Berlin",
        venue="Kulturbrauerei, Berlin",
        description="A two-day conference about building software and careers.",
    )
    db.session.add(event)
    db.session.flush()
    db.session.add(Membership(event_id=event.id, user_id=demo.id, role="owner", in_directory=True))
    spaces = [
        Space(event_id=event.id, name="Main hall", kind="room"),
        Space(event_id=event.id, name="Data science table", kind="topic_table"),
        Space(event_id=event.id, name="Mentoring corner", kind="mentoring_corner"),
    ]
    db.session.add_all(spaces)
    db.session.flush()

    for index, person in enumerate(DEMO_PEOPLE):
        _seed_person(demo, person, index, event, spaces)

    lena = add_manual_contact(
        demo, "Lena Fischer", email="lena@example.org", company="Fischer & Co"
    )
    lena.met_at = now_utc() - timedelta(days=5)  # an old colleague, met before the conference
    db.session.flush()
    return demo, True


def _seed_person(demo: User, person: dict, index: int, event: Event, spaces: list[Space]) -> None:
    """Create one demo person, connect them with the demo user, and add the demo's note."""
    user = User(
        name=person["name"],
        headline=person.get("headline", ""),
        company=person.get("company", ""),
        bio=person.get("bio", ""),
        ask_me_about=person.get("ask_me_about", ""),
        learning=person.get("learning", ""),
    )
    user.set_email(person["name"].lower().replace(" ", ".").replace("á", "a") + "@example.org")
    db.session.add(user)
    db.session.flush()
    db.session.add(
        Membership(event_id=event.id, user_id=user.id, role="attendee", in_directory=True)
    )

    met_at = now_utc() - timedelta(days=person["met_days_ago"], hours=index)
    scanner, scanned = (demo, user) if person["scanned_by_demo"] else (user, demo)
    scan_badge(
        scanner,
        scanned.badge_token,
        scanned_at=met_at,
        event_id=event.id,
        space_id=spaces[index % len(spaces)].id,
    )
    contact = db.session.scalar(
        sa.select(Contact).where(Contact.owner_id == demo.id, Contact.person_id == user.id)
    )
    if person["note"]:
        what, due_in = person["follow_up"] or ("", None)
        add_note(
            demo,
            contact,
            person["note"],
            follow_up_what=what,
            follow_up_due_on=date.today() + timedelta(days=due_in) if due_in is not None else None,
            happened_at=met_at + timedelta(minutes=3),
        )


def init_app(app: Flask) -> None:
    """Register the CLI commands."""

    @app.cli.command("seed-demo")
    def seed_demo_command() -> None:
        """Fill the database with a small, realistic sample and print a login."""
        user, created = seed_demo()
        db.session.commit()
        if created:
            click.echo(
                "Demo data created: 6 people met at Rapport Demo Conf, notes and follow-ups."
            )
        else:
            click.echo("Demo data is already there.")
        click.echo(f"Log in as {user.email} with password {DEMO_PASSWORD}")
