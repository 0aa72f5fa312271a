"""The Jinja2 environment for every HTML the server writes itself: autoescaped, templates in
components/templates/."""
from __future__ import annotations

from jinja2 import Environment, PackageLoader, select_autoescape

TEMPLATES = Environment(loader=PackageLoader("components", "templates"), autoescape=select_autoescape(["html"]))
