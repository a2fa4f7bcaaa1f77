"""Importing an event's attendee list from CSV: parse, preview problems, commit atomically.

The commit works in bulk (a few statements per thousand rows) so 10,000 attendees import in
seconds, and it runs inside the request's single transaction: a failure part-way leaves
nothing half-imported. Re-importing the same or an updated file updates people, never
duplicates them, because people are matched on their case-insensitive email.
"""

from __future__ import annotations

import csv
import io
import re
import secrets
from dataclasses import dataclass, field

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from flask import abort, url_for
from sqlalchemy.dialects import postgresql

from webapp.extensions import db
from webapp.models import Event, ImportBatch, Membership, User, now_utc
from webapp.models.user import new_badge_token, normalise_email
from webapp.services.links import base_url
from webapp.services.mail import build_message, send_messages

# Normalised header (lower case, letters and digits only) -> our field.
HEADER_ALIASES = {
    "email": "email",
    "emailaddress": "email",
    "mail": "email",
    "e": "email",
    "name": "name",
    "fullname": "name",
    "attendee": "name",
    "attendeename": "name",
    "firstname": "first_name",
    "givenname": "first_name",
    "first": "first_name",
    "forename": "first_name",
    "lastname": "last_name",
    "surname": "last_name",
    "familyname": "last_name",
    "last": "last_name",
    "company": "company",
    "organization": "company",
    "organisation": "company",
    "employer": "company",
    "companyname": "company",
    "title": "title",
    "jobtitle": "title",
    "position": "title",
    "role": "title",
}
CHUNK = 500  # rows per IN (...) lookup, well under every database's parameter limit


class ImportFileError(ValueError):
    """The file as a whole cannot be imported (not CSV, no email column, empty)."""


@dataclass
class ImportRow:
    """One valid attendee row."""

    line: int
    name: str
    email: str
    company: str = ""
    title: str = ""

    @property
    def email_normalized(self) -> str:
        """The case-insensitive form used to match accounts."""
        return normalise_email(self.email)


@dataclass
class ImportProblem:
    """A row that will be skipped, with its line number in the file and the reason."""

    line: int
    reason: str


@dataclass
class ParsedFile:
    """The result of reading a CSV: valid rows, problems, and what the columns were."""

    rows: list[ImportRow] = field(default_factory=list)
    problems: list[ImportProblem] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)  # our field -> header as written
    delimiter: str = ","


def decode_upload(data: bytes) -> str:
    """Decode an uploaded file: UTF-8 (with or without a BOM), else Windows-1252."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def _normalise_header(header: str) -> str:
    """A header reduced to lower-case letters and digits: "E-Mail Address" -> "emailaddress"."""
    return re.sub(r"[^a-z0-9]", "", header.strip().lstrip("\ufeff").lower())


def _guess_delimiter(text: str) -> str:
    """Comma or semicolon (or tab), whichever the header line uses most."""
    header = text.split("\n", 1)[0]
    counts = {d: header.count(d) for d in (",", ";", "\t")}
    best = max(counts, key=counts.get)
    return best if counts[best] else ","


# Plain ASCII addresses, which are nearly all of them, are checked by this pattern; anything
# else goes through email-validator, which is thorough but costs ~0.2 ms an address.
_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
SIMPLE_EMAIL = re.compile(rf"^{_ATOM}(?:\.{_ATOM})*@(?:{_LABEL}\.)+([A-Za-z]{{2,63}})$")
SPECIAL_USE_TLDS = {"arpa", "invalid", "local", "localhost", "onion", "test", "home", "lan"}


def _email_problem(email: str) -> str | None:
    """Why an email address is unusable, or None when it is fine."""
    if len(email) > 254:
        return "invalid email (too long)"
    simple = SIMPLE_EMAIL.match(email)
    if (
        simple
        and len(email.split("@")[0]) <= 64
        and simple.group(1).lower() not in (SPECIAL_USE_TLDS)
    ):
        return None
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError:
        return f"invalid email “{email}”"
    return None


def parse_attendee_csv(text: str) -> ParsedFile:
    """Read attendee rows from CSV text, collecting every problem with its line number."""
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError("The file is empty.")
    parsed = ParsedFile(delimiter=_guess_delimiter(text))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=parsed.delimiter)
    try:
        headers = next(reader)
    except csv.Error as error:
        raise ImportFileError(f"This does not look like a CSV file ({error}).") from None
    positions: dict[str, int] = {}
    for index, header in enumerate(headers):
        key = HEADER_ALIASES.get(_normalise_header(header))
        if key and key not in positions:
            positions[key] = index
            parsed.columns[key] = header.strip()
    if "email" not in positions:
        raise ImportFileError(
            "No email column found. The first line must name the columns, for example "
            "“Name, Email, Company, Title” or “First Name; Last Name; E-mail”."
        )
    if "name" not in positions and "first_name" not in positions:
        raise ImportFileError("No name column found (“Name”, or “First Name” and “Last Name”).")

    def cell(values: list[str], key: str) -> str:
        """The value of column ``key`` in a row, with whitespace collapsed ("" if absent)."""
        index = positions.get(key)
        if index is None or index >= len(values):
            return ""
        return " ".join(values[index].split())

    first_line: dict[str, int] = {}
    line = reader.line_num
    try:
        for values in reader:
            row_line, line = line + 1, reader.line_num
            if not any(value.strip() for value in values):
                continue
            name = cell(values, "name") or " ".join(
                part for part in (cell(values, "first_name"), cell(values, "last_name")) if part
            )
            email = cell(values, "email")
            if not email:
                parsed.problems.append(ImportProblem(row_line, "missing email"))
                continue
            if problem := _email_problem(email):
                parsed.problems.append(ImportProblem(row_line, problem))
                continue
            if not name:
                parsed.problems.append(ImportProblem(row_line, "missing name"))
                continue
            key = normalise_email(email)
            if key in first_line:
                parsed.problems.append(
                    ImportProblem(row_line, f"duplicate of line {first_line[key]} ({email})")
                )
                continue
            first_line[key] = row_line
            parsed.rows.append(
                ImportRow(
                    line=row_line,
                    name=name[:120],
                    email=email,
                    company=cell(values, "company")[:120],
                    title=cell(values, "title")[:120],
                )
            )
    except csv.Error as error:
        raise ImportFileError(f"Line {reader.line_num} cannot be read: {error}.") from None
    return parsed


@dataclass
class ImportPlan:
    """What committing would do: counts by outcome, for the preview."""

    new_accounts: int = 0
    existing_accounts: int = 0
    already_members: int = 0


def _chunks(items: list, size: int = CHUNK):
    """Split ``items`` into lists of at most ``size``."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _email_in(emails: list[str]):
    """``users.email_normalized IN emails``, as one array parameter on PostgreSQL.

    PostgreSQL spends far longer on a statement with hundreds of parameters than on one array,
    so there the whole list goes at once; SQLite gets chunks of plain IN lists.
    """
    if db.session.get_bind().dialect.name == "postgresql":
        return User.email_normalized == sa.func.any(
            sa.bindparam("emails", emails, type_=postgresql.ARRAY(sa.String))
        )
    return User.email_normalized.in_(emails)


def _existing_users(emails: list[str]) -> dict[str, tuple[int, bool, tuple]]:
    """Accounts by normalised email: ``(id, claimed, (name, company, headline))``.

    Claimed means the account has a password: its owner, not the organizer, keeps it up to date.
    """
    found: dict[str, tuple[int, bool, tuple]] = {}
    postgres = db.session.get_bind().dialect.name == "postgresql"
    for chunk in [emails] if postgres else _chunks(emails):
        rows = db.session.execute(
            sa.select(
                User.email_normalized,
                User.id,
                User.password_hash.is_not(None),
                User.name,
                User.company,
                User.headline,
            ).where(_email_in(chunk))
        )
        for email, user_id, claimed, *details in rows:
            found[email] = (user_id, bool(claimed), tuple(details))
    return found


def _member_ids(event: Event) -> set[int]:
    """Ids of the users already belonging to ``event``."""
    query = sa.select(Membership.user_id).where(Membership.event_id == event.id)
    return set(db.session.scalars(query))


def plan_import(event: Event, parsed: ParsedFile) -> ImportPlan:
    """Count what committing ``parsed`` into ``event`` would create, link and update."""
    existing = _existing_users([row.email_normalized for row in parsed.rows])
    members = _member_ids(event)
    plan = ImportPlan()
    for row in parsed.rows:
        account = existing.get(row.email_normalized)
        if account is None:
            plan.new_accounts += 1
        elif account[0] in members:
            plan.already_members += 1
        else:
            plan.existing_accounts += 1
    return plan


def create_import_batch(event: Event, by: User, filename: str, text: str) -> ImportBatch:
    """Keep an uploaded file between preview and commit."""
    batch = ImportBatch(
        event_id=event.id, created_by_id=by.id, filename=filename[:200], content=text
    )
    db.session.add(batch)
    db.session.flush()
    return batch


def get_batch_or_404(event: Event, batch_id: int) -> ImportBatch:
    """An import batch of ``event``, or 404."""
    batch = db.session.scalar(
        sa.select(ImportBatch).where(ImportBatch.id == batch_id, ImportBatch.event_id == event.id)
    )
    if batch is None:
        abort(404, description="No such import.")
    return batch


@dataclass
class ImportResult:
    """What a commit did, and the claim links to send to new accounts."""

    created: int = 0
    updated: int = 0
    linked: int = 0
    skipped: int = 0
    new_accounts: list[tuple[str, str, str]] = field(default_factory=list)  # email, name, token
    replayed: bool = False


def commit_import(event: Event, batch: ImportBatch) -> ImportResult:
    """Write the batch's valid rows into ``event``: create, link or update each attendee.

    Flushes only; the caller commits once, or rolls back everything on failure. Committing
    the same batch twice does nothing the second time.
    """
    if batch.committed_at is not None:
        return ImportResult(
            created=batch.created_count,
            updated=batch.updated_count,
            linked=batch.linked_count,
            replayed=True,
        )
    parsed = parse_attendee_csv(batch.content)
    rows = parsed.rows
    result = ImportResult(skipped=len(parsed.problems))
    existing = _existing_users([row.email_normalized for row in rows])
    members = _member_ids(event)

    new_rows = [row for row in rows if row.email_normalized not in existing]
    if new_rows:
        user_values = []
        for row in new_rows:
            token = secrets.token_urlsafe(24)
            user_values.append(
                {
                    "email": row.email,
                    "email_normalized": row.email_normalized,
                    "name": row.name,
                    "company": row.company,
                    "headline": row.title,
                    "claim_token": token,
                    "badge_token": new_badge_token(),
                }
            )
            result.new_accounts.append((row.email, row.name, token))
        db.session.execute(sa.insert(User), user_values)
        existing.update(_existing_users([row.email_normalized for row in new_rows]))
        result.created = len(new_rows)

    # Unclaimed imported accounts take the organizer's latest data; people who have claimed
    # their account (or signed up themselves) own their profile, so it is left alone.
    updates = []
    new_emails = {row.email_normalized for row in new_rows}
    for row in rows:
        if row.email_normalized in new_emails:
            continue
        user_id, claimed, details = existing[row.email_normalized]
        if user_id in members:
            result.updated += 1
        else:
            result.linked += 1
        if not claimed and details != (row.name, row.company, row.title):
            updates.append(
                {"id": user_id, "name": row.name, "company": row.company, "headline": row.title}
            )
    for chunk in _chunks(updates):
        db.session.execute(sa.update(User), chunk)

    joined_at = now_utc()
    membership_values = [
        {
            "event_id": event.id,
            "user_id": existing[row.email_normalized][0],
            "role": Membership.ROLE_ATTENDEE,
            "in_directory": False,
            "joined_at": joined_at,
        }
        for row in rows
        if existing[row.email_normalized][0] not in members
    ]
    insert_memberships(membership_values)

    batch.committed_at = now_utc()
    batch.created_count, batch.updated_count = result.created, result.updated
    batch.linked_count = result.linked
    db.session.flush()
    return result


def insert_memberships(values: list[dict]) -> None:
    """Insert attendee memberships in bulk."""
    if values:
        db.session.execute(sa.insert(Membership), values)


def claim_url(token: str) -> str:
    """The absolute claim link for ``token``, on the public address (RAPPORT_BASE_URL)."""
    return base_url() + url_for("events.claim", token=token)


def send_claim_emails(event: Event, new_accounts: list[tuple[str, str, str]]) -> int:
    """Email each new attendee their claim link (printed to the console in development).

    Called after the import is committed, so nobody is mailed about an import that failed.
    """
    messages = [
        build_message(
            email,
            f"Your badge for {event.name}",
            f"Hello {name},\n\nYou are registered for {event.name}. Rapport made you an "
            "account so you can swap badges and keep notes on the people you meet.\n\n"
            "Set your password and take over your account here:\n"
            f"{claim_url(token)}\n",
        )
        for email, name, token in new_accounts
    ]
    return send_messages(messages)


def unclaimed_attendees(event: Event) -> list[tuple[str, str, str]]:
    """``(email, name, claim token)`` of the event's members who have not claimed yet."""
    rows = db.session.execute(
        sa.select(User.email, User.name, User.claim_token)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.event_id == event.id,
            User.awaiting_claim,
        )
        .order_by(User.id)
    )
    return [tuple(row) for row in rows]
