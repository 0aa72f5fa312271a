"""QR codes that hand the visit over: the link holds the state, the code holds the link, and the
server stores nothing.

The codes are SVG made by segno (no Pillow), black on white whatever the theme, with the quiet
zone the standard asks for (4 modules), so they print with scripts off and scan from paper. The
address in them is the server's public one: ``--public-url`` / ``CALF_PUBLIC_URL``, or else the
address the request came to. A loopback address (127.0.0.1, localhost, ::1) works only on the
machine itself, so the page warns when a code would hold one.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

import segno
from markupsafe import Markup

CONFIG_KEY = "CALF_PUBLIC_URL"
ERROR_LEVEL = "m"  # 15% of the code may be lost (a crease, a smudge) and it still reads
QUIET_ZONE = 4
LOOPBACK_WARNING = (
    "This address ({host}) works only on this computer: a phone cannot open it. Start the app with "
    "--public-url (or CALF_PUBLIC_URL) set to an address the phone can reach."
)


def public_base(configured: str | None, request_root: str) -> str:
    """The address links and codes start with, without a trailing slash."""
    return (configured or request_root or "").rstrip("/")


def valid_public_url(value: str) -> bool:
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.hostname) and not parts.query and not parts.fragment


def is_loopback(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def loopback_warning(url: str) -> str:
    return LOOPBACK_WARNING.format(host=urlsplit(url).hostname) if is_loopback(url) else ""


def _code(url: str):
    return segno.make(url, error=ERROR_LEVEL, micro=False)


def qr_svg(url: str, *, css_class: str, title: str) -> Markup:
    """The code as inline SVG markup (sized by CSS through its viewBox). segno escapes the title."""
    return Markup(_code(url).svg_inline(scale=1, border=QUIET_ZONE, dark="#000", light="#fff", title=title,
                                        svgclass=css_class, omitsize=True))


def qr_data_uri(url: str) -> str:
    """The same code as a data: URI, for an <img> that React renders as it is."""
    return _code(url).svg_data_uri(scale=1, border=QUIET_ZONE, dark="#000", light="#fff")
