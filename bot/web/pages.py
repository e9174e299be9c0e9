"""The demo clinic site: the article as the homepage and a "visit us" page, each with the widget.

Two pages so that moving between them shows the conversation carrying over. Templates are plain
HTML rendered by Jinja2 with autoescaping; the clinic's details come from config/clinic.yml.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader
from sanic import Blueprint, HTTPResponse, Request
from sanic.response import html

from bot.web.web_settings import WebSettings

HERE = Path(__file__).resolve().parent
TEMPLATES = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=True)

# Pages load scripts, styles and data only from this app: an injected tag can't run or phone home.
PAGE_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'; object-src 'none'"
)


def pages_blueprint(settings: WebSettings) -> Blueprint:
    bp = Blueprint("pages")
    bp.static("/site", str(HERE / "static" / "site"), name="site")

    def page(template: str, path: str) -> HTTPResponse:
        body = TEMPLATES.get_template(template).render(clinic=settings.clinic, path=path)
        return html(body, headers={"Content-Security-Policy": PAGE_POLICY})

    @bp.get("/")
    async def home(_request: Request) -> HTTPResponse:
        return page("home.html", "/")

    @bp.get("/visit")
    async def visit(_request: Request) -> HTTPResponse:
        return page("visit.html", "/visit")

    return bp
