"""Pages of the events area: events, roles, joining, directory, spaces, import, badges,
door check-in and the organizer dashboard. Every organizer page 404s for anyone else."""

from __future__ import annotations

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required, login_user
from markupsafe import Markup, escape
from sqlalchemy.exc import SQLAlchemyError

from webapp.events.forms import (
    ClaimForm,
    ConfirmForm,
    EventForm,
    ImportCommitForm,
    ImportForm,
    ListingForm,
    OrganizerEmailForm,
    RoleForm,
    SpaceForm,
)
from webapp.extensions import db
from webapp.models import Membership, User
from webapp.pwa import routes as pwa_routes
from webapp.services import analytics, events, imports
from webapp.services.badges_pdf import BadgeData, badges_pdf
from webapp.services.links import absolute_code_url
from webapp.services.qr import qr_svg

bp = Blueprint("events", __name__)

MAX_IMPORT_BYTES = 8 * 1024 * 1024
ATTENDEES_PER_PAGE = 100


def inline_qr(url: str, label: str, element_id: str = "qr-title") -> Markup:
    """The QR code for ``url`` as inline SVG with an accessible name."""
    svg = qr_svg(url)
    opening_end = svg.index(">") + 1
    opening = svg[:opening_end].replace(
        "<svg ",
        f'<svg role="img" aria-labelledby="{element_id}" focusable="false" '
        'shape-rendering="crispEdges" preserveAspectRatio="xMidYMid meet" ',
        1,
    )
    title = f'<title id="{element_id}">{escape(label)}</title>'
    return Markup(opening + title + svg[opening_end:])


# --- events ----------------------------------------------------------------------------------


@bp.get("/events")
@login_required
def index():
    """List the user's events, with their role in each."""
    return render_template(
        "events/index.html", rows=events.events_of(current_user), roles=events.ROLE_LABELS
    )


@bp.route("/events/new", methods=["GET", "POST"])
@login_required
def create():
    """Create an event; the creator becomes its owner."""
    form = EventForm()
    if form.validate_on_submit():
        event = events.create_event(current_user, **form.values())
        db.session.commit()
        flash(
            f"{event.name} is ready. Add spaces, import attendees or share the join link.",
            "success",
        )
        return redirect(url_for("events.show", slug=event.slug))
    return render_template("events/form.html", form=form, event=None)


@bp.get("/events/<slug>")
@login_required
def show(slug: str):
    """The event page: details, spaces, join link, and organizer tools for organizers."""
    event, membership = events.get_event_or_404(current_user, slug)
    context = {"event": event, "membership": membership, "listing_form": ListingForm()}
    if membership.is_organizer:
        context["join_url"] = absolute_code_url("join", event.join_token)
        context["registered"] = events.registered_count(event)
        context["checked_in"] = events.checked_in_count(event)
    context["here"] = events.current_space_checkin(current_user)
    return render_template("events/show.html", **context)


@bp.route("/events/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    """Change the event's details (organizers)."""
    event, membership = events.get_event_or_404(current_user, slug, "organizer")
    form = EventForm(obj=event, event_id=event.id)
    if form.validate_on_submit():
        events.update_event(event, **form.values())
        db.session.commit()
        flash("Event saved.", "success")
        return redirect(url_for("events.show", slug=event.slug))
    return render_template(
        "events/form.html",
        form=form,
        event=event,
        membership=membership,
        delete_form=ConfirmForm(),
    )


@bp.post("/events/<slug>/delete")
@login_required
def delete(slug: str):
    """Delete the event (owners); connections made there are kept, without the event."""
    event, _ = events.get_event_or_404(current_user, slug, "owner")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    name = event.name
    events.delete_event(event)
    db.session.commit()
    flash(f"{name} was deleted.", "info")
    return redirect(url_for("events.index"))


# --- organizers and roles --------------------------------------------------------------------


@bp.route("/events/<slug>/organizers", methods=["GET", "POST"])
@login_required
def organizers(slug: str):
    """Owners manage co-organizers: add by email, share an invite link, change roles."""
    event, membership = events.get_event_or_404(current_user, slug, "owner")
    form = OrganizerEmailForm()
    if form.validate_on_submit():
        try:
            added = events.add_organizer_by_email(event, form.email.data)
        except events.EventError as error:
            form.email.errors.append(str(error))
        else:
            db.session.commit()
            flash(f"{added.user.name} is now an organizer.", "success")
            return redirect(url_for("events.organizers", slug=slug))
    invite_url = request.args.get("invite")
    return render_template(
        "events/organizers.html",
        event=event,
        membership=membership,
        form=form,
        members=events.organizers_of(event),
        roles=events.ROLE_LABELS,
        role_form=RoleForm(),
        confirm_form=ConfirmForm(),
        invite_url=invite_url if invite_url and "/invite/" in invite_url else None,
    )


@bp.post("/events/<slug>/organizers/invite")
@login_required
def create_invite(slug: str):
    """Make a one-time organizer invite link and show it once."""
    event, _ = events.get_event_or_404(current_user, slug, "owner")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    invite = events.create_organizer_invite(event, current_user)
    db.session.commit()
    url = url_for("events.invite", token=invite.token, _external=True)
    flash("Invite link created. It works once, for 7 days.", "success")
    return redirect(url_for("events.organizers", slug=slug, invite=url))


@bp.post("/events/<slug>/members/<int:membership_id>/role")
@login_required
def change_role(slug: str, membership_id: int):
    """Change a member's role (owners)."""
    event, _ = events.get_event_or_404(current_user, slug, "owner")
    member = events.get_member_or_404(event, membership_id)
    form = RoleForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        events.set_member_role(event, member, form.role.data)
    except events.EventError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash(f"{member.user.name} is now {events.ROLE_LABELS[form.role.data].lower()}.", "success")
    return redirect(url_for("events.organizers", slug=slug))


@bp.post("/events/<slug>/members/<int:membership_id>/remove")
@login_required
def remove_member(slug: str, membership_id: int):
    """Remove someone from the event (owners)."""
    event, _ = events.get_event_or_404(current_user, slug, "owner")
    member = events.get_member_or_404(event, membership_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        events.remove_member(event, member)
    except events.EventError as error:
        flash(str(error), "error")
    else:
        db.session.commit()
        flash("Removed from the event.", "info")
    return redirect(url_for("events.organizers", slug=slug))


@bp.route("/invite/<token>", methods=["GET", "POST"])
@login_required
def invite(token: str):
    """Accept an organizer invite link."""
    found = events.find_open_invite(token)
    if found is None:
        abort(404, description="This invite link was used already or has expired.")
    form = ConfirmForm()
    if form.validate_on_submit():
        events.accept_organizer_invite(found, current_user)
        db.session.commit()
        flash(f"You are now an organizer of {found.event.name}.", "success")
        return redirect(url_for("events.show", slug=found.event.slug))
    return render_template("events/invite.html", invite=found, form=form)


# --- joining and the directory ---------------------------------------------------------------


@bp.get("/j/<token>")
def join(token: str):
    """The page a join link or poster opens: the event, and a Join button."""
    event = events.find_event_by_join_token(token)
    if event is None:
        abort(404, description="This join link is not valid.")
    membership = events.membership_of(current_user, event.id)
    return render_template(
        "events/join.html", event=event, membership=membership, form=ConfirmForm(), token=token
    )


@bp.post("/j/<token>")
@login_required
def join_post(token: str):
    """Join the event as an attendee."""
    event = events.find_event_by_join_token(token)
    if event is None:
        abort(404, description="This join link is not valid.")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    _, created = events.join_event(current_user, event)
    db.session.commit()
    if created:
        flash(
            f"Welcome to {event.name}! People you meet here will be remembered as met at "
            f"{event.name}.",
            "success",
        )
    return redirect(url_for("events.show", slug=event.slug))


@bp.get("/events/<slug>/poster")
@login_required
def join_poster(slug: str):
    """A printable poster with the event's join QR code (organizers)."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    url = absolute_code_url("join", event.join_token)
    return render_template(
        "events/poster.html",
        event=event,
        heading=event.name,
        call_to_action="Scan to join and meet people here",
        url=url,
        qr=inline_qr(url, f"QR code to join {event.name}"),
    )


@bp.post("/events/<slug>/listing")
@login_required
def set_listing(slug: str):
    """Show or hide oneself in the event's directory."""
    event, membership = events.get_event_or_404(current_user, slug)
    form = ListingForm()
    if not form.validate_on_submit():
        abort(400)
    listed = form.listed.data == "1"
    events.set_directory_listing(membership, listed)
    db.session.commit()
    flash(
        "You are listed in the directory." if listed else "You are no longer in the directory.",
        "success",
    )
    back = "events.directory" if request.form.get("back") == "directory" else "events.show"
    return redirect(url_for(back, slug=slug))


@bp.get("/events/<slug>/directory")
@login_required
def directory(slug: str):
    """The attendees who list themselves, searchable by topic (members)."""
    event, membership = events.get_event_or_404(current_user, slug)
    topic = request.args.get("topic", "")
    open_only = request.args.get("open") == "1"
    people = events.directory(event, topic, open_only)
    return render_template(
        "events/directory.html",
        event=event,
        membership=membership,
        people=[(person, person.shared_card()) for person in people],
        topic=topic,
        open_only=open_only,
        listing_form=ListingForm(),
    )


# --- spaces ----------------------------------------------------------------------------------


@bp.get("/events/<slug>/spaces")
@login_required
def spaces(slug: str):
    """The event's spaces with their activity counts (organizers)."""
    event, membership = events.get_event_or_404(current_user, slug, "organizer")
    return render_template(
        "events/spaces.html",
        event=event,
        membership=membership,
        activity=events.space_activity(event),
        kinds=events.SPACE_KIND_LABELS,
        confirm_form=ConfirmForm(),
    )


@bp.route("/events/<slug>/spaces/new", methods=["GET", "POST"])
@login_required
def create_space(slug: str):
    """Add a space (organizers)."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    form = SpaceForm()
    if form.validate_on_submit():
        space = events.create_space(event, **form.values())
        db.session.commit()
        flash(f"{space.name} added. Print its poster so people can check in.", "success")
        return redirect(url_for("events.spaces", slug=slug))
    return render_template("events/space_form.html", event=event, form=form, space=None)


@bp.route("/events/<slug>/spaces/<int:space_id>/edit", methods=["GET", "POST"])
@login_required
def edit_space(slug: str, space_id: int):
    """Change a space (organizers)."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    space = events.get_space_or_404(event, space_id)
    form = SpaceForm(obj=space)
    if form.validate_on_submit():
        events.update_space(space, **form.values())
        db.session.commit()
        flash("Space saved.", "success")
        return redirect(url_for("events.spaces", slug=slug))
    return render_template("events/space_form.html", event=event, form=form, space=space)


@bp.post("/events/<slug>/spaces/<int:space_id>/delete")
@login_required
def delete_space(slug: str, space_id: int):
    """Delete a space (organizers)."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    space = events.get_space_or_404(event, space_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    events.delete_space(space)
    db.session.commit()
    flash("Space deleted.", "info")
    return redirect(url_for("events.spaces", slug=slug))


@bp.get("/events/<slug>/spaces/<int:space_id>/poster")
@login_required
def space_poster(slug: str, space_id: int):
    """A printable poster with the space's QR code (organizers)."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    space = events.get_space_or_404(event, space_id)
    url = absolute_code_url("space", space.poster_token)
    return render_template(
        "events/poster.html",
        event=event,
        heading=space.name,
        kind=events.SPACE_KIND_LABELS.get(space.kind, space.kind),
        description=space.description,
        call_to_action="Scan to check in and see who's here",
        url=url,
        qr=inline_qr(url, f"QR code to check in at {space.name}"),
    )


def _space_or_404(token: str):
    """The space whose poster carries ``token``, or 404."""
    space = events.find_space_by_token(token)
    if space is None:
        abort(404, description="This space code is not valid.")
    return space


@bp.get("/s/<token>")
@login_required
def space_page(token: str):
    """A space: who is here and open to chat, with their topics, and a Check in button."""
    space = _space_or_404(token)
    here = events.current_space_checkin(current_user)
    people = [
        (person, person.shared_card())
        for person in events.people_in_space(space)
        if person.open_to_chat and person.id != current_user.id
    ]
    return render_template(
        "events/space.html",
        space=space,
        event=space.event,
        checked_in_here=here is not None and here.space_id == space.id,
        here=here,
        until=here.expires_at.astimezone(events.event_zone(space.event)) if here else None,
        people=people,
        form=ConfirmForm(),
        kind=events.SPACE_KIND_LABELS.get(space.kind, space.kind),
    )


@bp.post("/s/<token>")
@login_required
def space_check_in(token: str):
    """Check in to a space (joining its event if needed)."""
    space = _space_or_404(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    checkin, _ = events.check_in_to_space(current_user, space)
    db.session.commit()
    until = checkin.expires_at.astimezone(events.event_zone(space.event))
    flash(
        f"Checked in at {space.name} until {until:%H:%M}. People you meet now are "
        "remembered as met here.",
        "success",
    )
    return redirect(url_for("events.space_page", token=token))


@bp.post("/s/<token>/leave")
@login_required
def space_leave(token: str):
    """Leave a space."""
    space = _space_or_404(token)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if events.leave_space(current_user, space):
        db.session.commit()
        flash(f"You left {space.name}.", "info")
    return redirect(url_for("events.space_page", token=token))


# --- attendees, badges and import ------------------------------------------------------------


@bp.get("/events/<slug>/attendees")
@login_required
def attendees(slug: str):
    """Attendee list with search, and a selection form for printing badges (organizers)."""
    event, membership = events.get_event_or_404(current_user, slug, "organizer")
    search = request.args.get("q", "")
    page = max(request.args.get("page", 1, type=int) or 1, 1)
    result = db.paginate(
        events.attendees_query(event, search),
        page=page,
        per_page=ATTENDEES_PER_PAGE,
        error_out=False,
        count=True,
    )
    return render_template(
        "events/attendees.html",
        event=event,
        membership=membership,
        rows=list(result.items),
        pagination=result,
        search=search,
        roles=events.ROLE_LABELS,
        confirm_form=ConfirmForm(),
    )


@bp.get("/events/<slug>/badges.pdf")
@login_required
def badges(slug: str):
    """Print-ready badges as a PDF, for everyone or the selected members (organizers)."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    paper = request.args.get("paper", "a4")
    if paper not in ("a4", "letter"):
        paper = "a4"
    selected = [int(v) for v in request.args.getlist("m") if v.isdigit() and len(v) < 12]
    query = events.attendees_query(event)
    if selected:
        query = query.where(Membership.id.in_(selected[:5000]))
    people = [membership.user for membership in db.session.scalars(query)]
    pdf = badges_pdf(
        [
            BadgeData(
                name=user.name,
                company=user.company,
                url=absolute_code_url("badge", user.badge_token),
            )
            for user in people
        ],
        event.name,
        paper,
    )
    response = Response(pdf, mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'inline; filename="badges-{event.slug}.pdf"'
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/events/<slug>/import", methods=["GET", "POST"])
@login_required
def import_upload(slug: str):
    """Upload an attendee CSV; nothing is written to the attendee list until confirmed."""
    event, membership = events.get_event_or_404(current_user, slug, "organizer")
    form = ImportForm()
    if form.validate_on_submit():
        data = form.file.data.read(MAX_IMPORT_BYTES + 1)
        if len(data) > MAX_IMPORT_BYTES:
            form.file.errors.append("The file is larger than 8 MB.")
        else:
            text = imports.decode_upload(data)
            try:
                imports.parse_attendee_csv(text)
            except imports.ImportFileError as error:
                form.file.errors.append(str(error))
            else:
                batch = imports.create_import_batch(
                    event, current_user, form.file.data.filename or "", text
                )
                db.session.commit()
                return redirect(url_for("events.import_preview", slug=slug, batch_id=batch.id))
    return render_template("events/import.html", event=event, membership=membership, form=form)


@bp.get("/events/<slug>/import/<int:batch_id>")
@login_required
def import_preview(slug: str, batch_id: int):
    """The preview: problems with line numbers, and what the import will do."""
    event, membership = events.get_event_or_404(current_user, slug, "organizer")
    batch = imports.get_batch_or_404(event, batch_id)
    parsed = imports.parse_attendee_csv(batch.content)
    return render_template(
        "events/import_preview.html",
        event=event,
        membership=membership,
        batch=batch,
        parsed=parsed,
        plan=imports.plan_import(event, parsed) if batch.committed_at is None else None,
        sample=parsed.rows[:20],
        form=ImportCommitForm(),
    )


@bp.post("/events/<slug>/import/<int:batch_id>/commit")
@login_required
def import_commit(slug: str, batch_id: int):
    """Write the import in one transaction, then email claim links to new attendees."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    batch = imports.get_batch_or_404(event, batch_id)
    form = ImportCommitForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        result = imports.commit_import(event, batch)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        flash("The import failed and nothing was imported. Please try again.", "error")
        return redirect(url_for("events.import_preview", slug=slug, batch_id=batch_id))
    sent = 0
    if form.send_claim_emails.data and result.new_accounts:
        sent = imports.send_claim_emails(event, result.new_accounts)
    if result.replayed:
        flash("This file was imported already; nothing changed.", "info")
    else:
        flash(
            f"Imported: {result.created} new, {result.linked} existing accounts added, "
            f"{result.updated} updated, {result.skipped} rows skipped"
            + (f"; {sent} claim emails sent." if sent else "."),
            "success",
        )
    return redirect(url_for("events.attendees", slug=slug))


@bp.post("/events/<slug>/claim-emails")
@login_required
def resend_claim_emails(slug: str):
    """Email the claim link again to every attendee who has not claimed their account."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    if not ConfirmForm().validate_on_submit():
        abort(400)
    sent = imports.send_claim_emails(event, imports.unclaimed_attendees(event))
    flash(f"{sent} claim emails sent." if sent else "Everyone has claimed their account.", "info")
    return redirect(url_for("events.attendees", slug=slug))


@bp.get("/events/<slug>/claim-letters")
@login_required
def claim_letters(slug: str):
    """One printable letter per attendee who has not claimed their account (organizers)."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    letters = []
    for index, (email, name, token) in enumerate(imports.unclaimed_attendees(event)):
        url = imports.claim_url(token)
        qr = inline_qr(url, f"Claim link for {name}", f"claim-qr-{index}")
        letters.append({"name": name, "email": email, "url": url, "qr": qr})
    response = make_response(
        render_template("events/claim_letters.html", event=event, letters=letters)
    )
    # Each link takes over an account: keep the page out of every cache.
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/claim/<token>", methods=["GET", "POST"])
def claim(token: str):
    """Take over an imported account: set a password, then log in."""
    user = db.session.scalar(db.select(User).where(User.claim_token == token))
    if user is None:
        abort(404, description="This claim link was used already or is not valid.")
    form = ClaimForm()
    if form.validate_on_submit():
        user.set_password(form.password.data)
        user.claim_token = None
        db.session.commit()
        login_user(user, remember=True)
        flash("Your account is yours. Check what your badge shares.", "success")
        return redirect(url_for("profile.edit"))
    return render_template("events/claim.html", form=form, person=user)


# --- door check-in ---------------------------------------------------------------------------


def _scanner_context(**context) -> dict:
    """The context ``pwa/scan.html`` takes, built by the scanner's own helper when it has one."""
    build = getattr(pwa_routes, "scanner_context", None)
    return build(**context) if build else context


@bp.get("/events/<slug>/checkin")
@login_required
def checkin(slug: str):
    """Door check-in: the scanner in check-in mode, manual search and the live count."""
    event, membership = events.get_event_or_404(current_user, slug, "organizer")
    search = request.args.get("q", "").strip()
    code = request.args.get("code", "").strip()
    found = []
    code_error = None
    if code:
        try:
            found = [events.attendee_for_code(event, code)]
        except events.CheckInError as error:
            code_error = error.message
    elif search:
        found = list(db.session.scalars(events.attendees_query(event, search).limit(25)))
    return render_template(
        "events/checkin.html",
        **_scanner_context(
            mode="checkin",
            checkin_url=url_for("events_api.door_checkin", event_id=event.id),
            event=event,
        ),
        manual_action=url_for("events.checkin", slug=slug),
        membership=membership,
        search=search,
        code=code,
        code_error=code_error,
        found=found,
        checked_in=events.checked_in_count(event),
        registered=events.registered_count(event),
        count_url=url_for("events_api.checkin_count", event_id=event.id),
        form=ConfirmForm(),
    )


@bp.post("/events/<slug>/checkin/<int:membership_id>")
@login_required
def checkin_member(slug: str, membership_id: int):
    """Check one attendee in by hand (no badge with them)."""
    event, _ = events.get_event_or_404(current_user, slug, "organizer")
    member = events.get_member_or_404(event, membership_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    record, _ = events.check_in_attendee(event, member, current_user)
    db.session.commit()
    if record.was_already_checked_in:
        flash(f"{member.user.name} was already checked in.", "info")
    else:
        flash(f"{member.user.name} is checked in.", "success")
    return redirect(url_for("events.checkin", slug=slug, q=request.form.get("q") or None))


# --- dashboard -------------------------------------------------------------------------------


@bp.get("/events/<slug>/dashboard")
@login_required
def dashboard(slug: str):
    """Aggregate figures for organizers: never notes, nor who met whom."""
    event, membership = events.get_event_or_404(current_user, slug, "organizer")
    stats = analytics.event_stats(event)
    return render_template(
        "events/dashboard.html",
        event=event,
        membership=membership,
        stats=stats,
        chart=Markup(analytics.hourly_chart_svg(stats.per_hour)),
        kinds=events.SPACE_KIND_LABELS,
    )
