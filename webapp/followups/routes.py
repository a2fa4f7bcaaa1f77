"""Follow-ups: what the user promised, by due date, to mark done or snooze."""

from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from webapp.auth.routes import safe_next_url
from webapp.extensions import db
from webapp.followups.forms import SNOOZE_TO_DATE, SnoozeForm
from webapp.models import now_utc
from webapp.services.notes import (
    complete_follow_up,
    get_follow_up_or_404,
    open_follow_ups_query,
    recently_done_follow_ups_query,
    reopen_follow_up,
    snooze_date,
    snooze_follow_up,
)

bp = Blueprint("followups", __name__)

PER_PAGE = 50
MAX_PAGE = 10_000
RECENTLY_DONE_DAYS = 7
RECENTLY_DONE_SHOWN = 10
MAX_SNOOZE = timedelta(days=5 * 366)


def _back(default_endpoint: str = "followups.index"):
    """Redirect to the page the form came from, if it is on this site."""
    target = safe_next_url(request.form.get("next")) or url_for(default_endpoint)
    return redirect(target)


def _render_index(today: date, snooze_errors: dict[int, str] | None = None, status: int = 200):
    """Render the open follow-ups, overdue first, and the ones done recently."""
    page_number = min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)
    page = db.paginate(
        open_follow_ups_query(current_user), page=page_number, per_page=PER_PAGE, error_out=False
    )
    items = page.items
    groups = [
        ("overdue", "Overdue", [item for item in items if item.due_on < today]),
        ("today", "Today", [item for item in items if item.due_on == today]),
        (
            "week",
            "Next 7 days",
            [item for item in items if today < item.due_on <= today + timedelta(days=7)],
        ),
        ("later", "Later", [item for item in items if item.due_on > today + timedelta(days=7)]),
    ]
    recently_done = db.session.scalars(
        recently_done_follow_ups_query(
            current_user, now_utc() - timedelta(days=RECENTLY_DONE_DAYS)
        ).limit(RECENTLY_DONE_SHOWN)
    ).all()
    return render_template(
        "followups/index.html",
        page=page,
        groups=[group for group in groups if group[2]],
        recently_done=recently_done,
        today=today,
        tomorrow=snooze_date("tomorrow", today),
        next_week=snooze_date("next_week", today),
        snooze_errors=snooze_errors or {},
    ), status


@bp.get("/follow-ups")
@login_required
def index():
    """Open follow-ups by due date, overdue first and marked as such."""
    return _render_index(date.today())


@bp.post("/follow-ups/<int:follow_up_id>/done")
@login_required
def done(follow_up_id: int):
    """Mark a follow-up done."""
    follow_up = get_follow_up_or_404(current_user, follow_up_id)
    complete_follow_up(follow_up)
    db.session.commit()
    flash(f"Done: {follow_up.what}", "success")
    return _back()


@bp.post("/follow-ups/<int:follow_up_id>/reopen")
@login_required
def reopen(follow_up_id: int):
    """Put a done follow-up back on the list."""
    follow_up = get_follow_up_or_404(current_user, follow_up_id)
    reopen_follow_up(follow_up)
    db.session.commit()
    flash(f"Back on your list: {follow_up.what}", "success")
    return _back()


def snooze_until(form: SnoozeForm, today: date) -> tuple[date | None, str | None]:
    """The date a snooze form asks for, or an error message that says what is wrong."""
    if form.choice.data == SNOOZE_TO_DATE:
        typed = " ".join(form.until.raw_data or []).strip()
        if not typed:
            return None, "Pick the date to snooze until."
        if form.until.data is None:
            return None, "Enter a real date, like 2026-12-01."
        if form.until.data < today:
            return None, "That date has passed. Pick today or a later date."
        if form.until.data > today + MAX_SNOOZE:
            return None, "Pick a date within the next five years."
        return form.until.data, None
    until = snooze_date(form.choice.data or "", today)
    if until is None:
        return None, "Choose tomorrow, next week or a date."
    return until, None


@bp.post("/follow-ups/<int:follow_up_id>/snooze")
@login_required
def snooze(follow_up_id: int):
    """Move a follow-up to tomorrow, next week or a chosen (not past) date."""
    follow_up = get_follow_up_or_404(current_user, follow_up_id)
    today = date.today()
    form = SnoozeForm()
    form.validate()  # errors are turned into one clear message below
    until, error = snooze_until(form, today)
    if error:
        return _render_index(today, snooze_errors={follow_up.id: error}, status=422)
    snooze_follow_up(follow_up, until)
    db.session.commit()
    flash(f"Snoozed until {until.day} {until:%b %Y}: {follow_up.what}", "success")
    return _back()
