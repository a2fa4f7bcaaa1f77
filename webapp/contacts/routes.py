"""Contacts: the list, a contact's card and timeline, private notes, removal and exports."""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from flask import Blueprint, Response, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from werkzeug.utils import secure_filename

from webapp.contacts.forms import (
    KIND_LABELS,
    ConfirmForm,
    EditNoteForm,
    ManualContactForm,
    NoteForm,
)
from webapp.extensions import db
from webapp.models import Contact, FollowUp
from webapp.services.connections import remove_contact
from webapp.services.contacts import (
    SORTS,
    add_manual_contact,
    contacts_query,
    get_contact_or_404,
    open_follow_up_counts,
)
from webapp.services.exports import contact_vcard, contacts_csv, export_rows, vcards_text
from webapp.services.notes import add_note, delete_note, get_note_or_404, update_note

bp = Blueprint("contacts", __name__)

PER_PAGE = 20
MAX_PAGE = 10_000  # far beyond any real list; keeps OFFSET inside what databases accept


def _page_number() -> int:
    """The requested page, clamped to a sensible range (junk means page 1)."""
    page = request.args.get("page", 1, type=int)
    return min(max(page, 1), MAX_PAGE)


@bp.get("/contacts")
@login_required
def index():
    """Everyone the user connected with or added by hand: search, sort and pages."""
    search = request.args.get("q", "")[:100]
    sort = request.args.get("sort", "recent")
    if sort not in SORTS:
        sort = "recent"
    page = db.paginate(
        contacts_query(current_user, search, sort),
        page=_page_number(),
        per_page=PER_PAGE,
        error_out=False,
    )
    counts = open_follow_up_counts(current_user, [contact.id for contact in page.items])
    return render_template(
        "contacts/index.html",
        page=page,
        search=search,
        sort=sort,
        sorts=SORTS,
        follow_up_counts=counts,
    )


@bp.route("/contacts/new", methods=["GET", "POST"])
@login_required
def new():
    """Add someone without the app by hand: a name, and an email and company if known."""
    form = ManualContactForm()
    if form.validate_on_submit():
        contact = add_manual_contact(
            current_user, form.name.data, email=form.email.data or "", company=form.company.data
        )
        db.session.commit()
        flash(f"{contact.display_name} is in your contacts.", "success")
        return redirect(url_for("contacts.show", contact_id=contact.id))
    status = 422 if form.is_submitted() else 200
    return render_template("contacts/new.html", form=form), status


def _render_contact(
    contact: Contact,
    note_form: NoteForm | None = None,
    status: int = 200,
):
    """Render a contact's card, follow-ups and timeline."""
    follow_ups_by_note: dict[int, list[FollowUp]] = defaultdict(list)
    for item in contact.follow_ups:
        if item.interaction_id is not None:
            follow_ups_by_note[item.interaction_id].append(item)
    open_items = [item for item in contact.follow_ups if item.done_at is None]
    done_items = [item for item in contact.follow_ups if item.done_at is not None]
    return render_template(
        "contacts/show.html",
        contact=contact,
        card=contact.card,
        connection=contact.connection,
        timeline=contact.interactions,
        open_follow_ups=open_items,
        done_follow_ups=done_items,
        follow_ups_by_note=follow_ups_by_note,
        note_form=note_form or NoteForm(),
        kind_labels=KIND_LABELS,
        today=date.today(),
    ), status


@bp.get("/contacts/<int:contact_id>")
@login_required
def show(contact_id: int):
    """One contact: their shared card, open follow-ups and the timeline of your notes."""
    contact = get_contact_or_404(current_user, contact_id, with_timeline=True)
    return _render_contact(contact)


@bp.post("/contacts/<int:contact_id>/notes")
@login_required
def add_note_view(contact_id: int):
    """Add a private note (meeting, call) with an optional follow-up."""
    contact = get_contact_or_404(current_user, contact_id, with_timeline=True)
    form = NoteForm()
    if not form.validate_on_submit_for(date.today()):
        return _render_contact(contact, note_form=form, status=422)
    what = (form.follow_up_what.data or "").strip()
    add_note(
        current_user,
        contact,
        form.body.data or "",
        kind=form.kind.data,
        follow_up_what=what,
        follow_up_due_on=form.follow_up_due_on.data if what else None,
    )
    db.session.commit()
    flash(
        "Follow-up saved." if what and not (form.body.data or "").strip() else "Note saved.",
        "success",
    )
    return redirect(url_for("contacts.show", contact_id=contact.id) + "#timeline")


@bp.route("/contacts/<int:contact_id>/notes/<int:note_id>/edit", methods=["GET", "POST"])
@login_required
def edit_note(contact_id: int, note_id: int):
    """Change the text of one of your notes."""
    contact = get_contact_or_404(current_user, contact_id)
    note = get_note_or_404(current_user, contact, note_id)
    form = EditNoteForm(obj=note)
    if form.validate_on_submit():
        update_note(note, form.body.data)
        db.session.commit()
        flash("Note updated.", "success")
        return redirect(url_for("contacts.show", contact_id=contact.id) + f"#note-{note.id}")
    status = 422 if form.is_submitted() else 200
    return render_template(
        "contacts/edit_note.html",
        form=form,
        contact=contact,
        note=note,
        delete_form=ConfirmForm(),
        kind_labels=KIND_LABELS,
    ), status


@bp.post("/contacts/<int:contact_id>/notes/<int:note_id>/delete")
@login_required
def delete_note_view(contact_id: int, note_id: int):
    """Delete one of your notes; a follow-up written with it stays on your list."""
    contact = get_contact_or_404(current_user, contact_id)
    note = get_note_or_404(current_user, contact, note_id)
    delete_note(note)
    db.session.commit()
    flash("Note deleted.", "success")
    return redirect(url_for("contacts.show", contact_id=contact.id) + "#timeline")


@bp.route("/contacts/<int:contact_id>/remove", methods=["GET", "POST"])
@login_required
def remove(contact_id: int):
    """Remove a contact from your list after a confirmation; the other side keeps theirs."""
    # Loading the timeline lets the ORM delete the notes and follow-ups too, even where the
    # database does not enforce ON DELETE CASCADE (SQLite without PRAGMA foreign_keys).
    contact = get_contact_or_404(current_user, contact_id, with_timeline=True)
    form = ConfirmForm()
    if form.validate_on_submit():
        name = contact.display_name
        remove_contact(current_user, contact)
        db.session.commit()
        flash(f"{name} was removed from your contacts, with your notes about them.", "success")
        return redirect(url_for("contacts.index"))
    return render_template("contacts/remove.html", contact=contact, form=form)


def _download(body: str, mimetype: str, filename: str) -> Response:
    """A file download that is never cached by shared caches (it holds private data)."""
    response = Response(body, mimetype=mimetype)
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


@bp.get("/contacts/<int:contact_id>/contact.vcf")
@login_required
def export_vcard(contact_id: int):
    """One contact as a vCard 3.0 file."""
    contact = get_contact_or_404(current_user, contact_id)
    filename = secure_filename(contact.display_name) or "contact"
    return _download(
        contact_vcard(contact).serialize(), "text/vcard; charset=utf-8", f"{filename}.vcf"
    )


@bp.get("/contacts/export.vcf")
@login_required
def export_all_vcards():
    """All contacts as one vCard 3.0 file."""
    contacts = db.session.scalars(contacts_query(current_user, sort="name")).all()
    return _download(
        vcards_text(contacts),
        "text/vcard; charset=utf-8",
        "rapport-contacts.vcf",
    )


@bp.get("/contacts/export.csv")
@login_required
def export_csv():
    """All contacts as CSV, with your last note and open follow-ups for each."""
    return _download(
        contacts_csv(export_rows(current_user)), "text/csv; charset=utf-8", "rapport-contacts.csv"
    )
