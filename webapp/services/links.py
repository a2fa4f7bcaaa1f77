"""Absolute URLs printed in QR codes, and recognising our own codes when they are scanned."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from flask import current_app, request

TOKEN_PATTERN = re.compile(r"^[A-Za-z0-9_-]{16,64}$")

# Path prefixes of the codes this server prints, by kind. The scanner recognises all of them.
CODE_PREFIXES = {"badge": "/c/", "space": "/s/", "join": "/j/"}


def base_url() -> str:
    """The absolute base of printed URLs: RAPPORT_BASE_URL, or the request's host."""
    configured = current_app.config.get("RAPPORT_BASE_URL")
    if configured:
        return configured
    return request.host_url.rstrip("/")


def absolute_code_url(kind: str, token: str) -> str:
    """The absolute URL a QR code of ``kind`` encodes for ``token``."""
    return f"{base_url()}{CODE_PREFIXES[kind]}{token}"


def parse_code(text: str) -> tuple[str, str] | None:
    """Return ``(kind, token)`` for one of our QR codes or a bare badge token, else None.

    A URL counts only when it points at this server, so a look-alike code printed by
    someone else is never taken for ours.
    """
    text = (text or "").strip()
    if TOKEN_PATTERN.match(text):
        return "badge", text
    try:
        parts = urlsplit(text)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    if f"{parts.scheme}://{parts.netloc}".lower() not in _our_origins():
        return None
    for kind, prefix in CODE_PREFIXES.items():
        if parts.path.startswith(prefix):
            token = parts.path.removeprefix(prefix).rstrip("/")
            if TOKEN_PATTERN.match(token):
                return kind, token
    return None


def _our_origins() -> set[str]:
    """The origins that count as this server: the configured base and the request host."""
    origins = {request.host_url.rstrip("/").lower()}
    configured = current_app.config.get("RAPPORT_BASE_URL")
    if configured:
        parts = urlsplit(configured)
        origins.add(f"{parts.scheme}://{parts.netloc}".lower())
    return origins
