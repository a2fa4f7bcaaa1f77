"""Rapport: an event-networking companion. ``create_app`` builds the Flask application."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from webapp.config import load_config
from webapp.extensions import csrf, db, limiter, login_manager, migrate


def create_app(test_config: dict | None = None) -> Flask:
    """Create and configure an instance of the Rapport application."""
    app = Flask(__name__, instance_relative_config=True)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    app.config.from_mapping(load_config(Path(app.instance_path)))
    if test_config:
        app.config.from_mapping(test_config)

    if app.config["TRUSTED_PROXIES"]:
        hops = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)

    from webapp import auth_session, cli, errors, security, sqlite, templating

    sqlite.init_app(app)
    auth_session.init_app(app)
    security.init_app(app)
    errors.init_app(app)
    cli.init_app(app)
    templating.init_app(app)
    _register_blueprints(app)
    return app


def _register_blueprints(app: Flask) -> None:
    """Attach one blueprint per area of the product."""
    from webapp.api import bp as api_bp
    from webapp.auth import bp as auth_bp
    from webapp.badge import bp as badge_bp
    from webapp.contacts import bp as contacts_bp
    from webapp.events import api_bp as events_api_bp
    from webapp.events import bp as events_bp
    from webapp.followups import bp as followups_bp
    from webapp.main import bp as main_bp
    from webapp.profile import bp as profile_bp
    from webapp.pwa import bp as pwa_bp

    for blueprint in (
        main_bp,
        auth_bp,
        profile_bp,
        pwa_bp,
        badge_bp,
        contacts_bp,
        followups_bp,
        events_bp,
        events_api_bp,
        api_bp,
    ):
        app.register_blueprint(blueprint)
