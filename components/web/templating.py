"""The Jinja2 environment for every HTML the server writes itself: autoescaped, templates in
components/web/templates/."""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

TEMPLATES = Environment(loader=PackageLoader("components.web", "templates"), autoescape=select_autoescape(["html"]))


def error_page(title: str, message: str) -> str:
    """The app's own small error page (404, 405, 413, offline): a title and one message, escaped."""
    return TEMPLATES.get_template("error_page.html").render(title=title, message=message)
