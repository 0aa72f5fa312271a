"""Dash component trees as the HTML a browser builds from them, to read with BeautifulSoup."""
from __future__ import annotations

from bs4 import BeautifulSoup
from markupsafe import escape


def markup(component) -> str:
    """``html.Li("x", className="a")`` -> ``<li class="a">x</li>``; text is escaped as React does."""
    if component is None:
        return ""
    if isinstance(component, (str, int, float)):
        return str(escape(component))
    if isinstance(component, (list, tuple)):
        return "".join(markup(child) for child in component)
    props = component.to_plotly_json()["props"]
    tag = type(component).__name__.lower()
    attrs = "".join(f' {"class" if name == "className" else name}="{escape(value)}"'
                    for name, value in props.items() if name != "children" and value is not None)
    return f"<{tag}{attrs}>{markup(props.get('children'))}</{tag}>"


def soup(component) -> BeautifulSoup:
    return BeautifulSoup(markup(component), "html.parser")


def words(node) -> str:
    """The text a person reads in a node, spaces normalised."""
    return " ".join(node.get_text(" ").split())
