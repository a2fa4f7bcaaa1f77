"""Reading one owner's contacts: lookups scoped to the owner, search and sorting."""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from sqlalchemy.orm import aliased, joinedload, selectinload

from webapp.extensions import db
from webapp.models import Connection, Contact, FollowUp, Interaction, User

SORTS = {"recent": "Recently met", "name": "Name"}


def get_contact_or_404(owner: User, contact_id: int, *, with_timeline: bool = False) -> Contact:
    """Load one of ``owner``'s contacts; anyone else's id is a 404, so ids leak nothing."""
    query = (
        sa.select(Contact)
        .where(Contact.id == contact_id, Contact.owner_id == owner.id)
        .options(
            joinedload(Contact.person),
            joinedload(Contact.connection).joinedload(Connection.event),
            joinedload(Contact.connection).joinedload(Connection.space),
        )
    )
    if with_timeline:
        query = query.options(selectinload(Contact.interactions), selectinload(Contact.follow_ups))
    contact = db.session.scalar(query)
    if contact is None:
        abort(404, description="No such contact.")
    return contact


def contacts_query(owner: User, search: str = "", sort: str = "recent") -> sa.Select:
    """A select of ``owner``'s contacts matching ``search`` (name, company, note text)."""
    person = aliased(User)
    name = sa.func.coalesce(person.name, Contact.name)
    query = (
        sa.select(Contact)
        .outerjoin(person, Contact.person_id == person.id)
        .where(Contact.owner_id == owner.id)
        .options(
            sa.orm.contains_eager(Contact.person.of_type(person)),
            joinedload(Contact.connection).joinedload(Connection.event),
            joinedload(Contact.connection).joinedload(Connection.space),
        )
    )
    search = " ".join(search.split())[:100]
    if search:
        pattern = f"%{_escape_like(search.lower())}%"
        # Only the shared company of a connected person is searchable, never a hidden one.
        shared_company = sa.case((person.share_company, person.company), else_="")
        in_notes = (
            sa.select(Interaction.id)
            .where(
                Interaction.contact_id == Contact.id,
                Interaction.owner_id == owner.id,
                sa.func.lower(Interaction.body).like(pattern, escape="\\"),
            )
            .exists()
        )
        query = query.where(
            sa.or_(
                sa.func.lower(name).like(pattern, escape="\\"),
                sa.func.lower(Contact.company).like(pattern, escape="\\"),
                sa.func.lower(shared_company).like(pattern, escape="\\"),
                in_notes,
            )
        )
    if sort == "name":
        query = query.order_by(sa.func.lower(name), Contact.id)
    else:
        query = query.order_by(Contact.met_at.desc(), Contact.id.desc())
    return query


def _escape_like(text: str) -> str:
    """Escape LIKE wildcards so a search for "50%" means the characters typed."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def open_follow_up_counts(owner: User, contact_ids: list[int]) -> dict[int, int]:
    """Count open follow-ups per contact for a page of contacts, in one query."""
    if not contact_ids:
        return {}
    rows = db.session.execute(
        sa.select(FollowUp.contact_id, sa.func.count(FollowUp.id))
        .where(
            FollowUp.owner_id == owner.id,
            FollowUp.contact_id.in_(contact_ids),
            FollowUp.done_at.is_(None),
        )
        .group_by(FollowUp.contact_id)
    )
    return dict(rows.all())


def add_manual_contact(owner: User, name: str, email: str = "", company: str = "") -> Contact:
    """Add a person without the app to ``owner``'s contacts by hand."""
    contact = Contact(
        owner_id=owner.id,
        name=name.strip(),
        email=email.strip(),
        company=company.strip(),
        how=Contact.HOW_MANUAL,
    )
    db.session.add(contact)
    db.session.flush()
    return contact
