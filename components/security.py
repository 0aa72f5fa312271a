"""Security headers on every response; a Content-Security-Policy that Dash and Plotly work with."""
from __future__ import annotations

from dash import Dash


def content_security_policy(script_hashes: list[str]) -> str:
    scripts = " ".join(["'self'", *script_hashes])
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src {scripts}",
            # Plotly and React set inline style attributes; no inline script is allowed.
            "style-src 'self' 'unsafe-inline'",
            "img-src 'self' data: blob:",
            "font-src 'self' data:",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def install_security_headers(app: Dash) -> None:
    policy_cache: dict[str, str] = {}

    @app.server.after_request
    def add_headers(response):
        if "policy" not in policy_cache:
            policy_cache["policy"] = content_security_policy(app.csp_hashes())
        response.headers.setdefault("Content-Security-Policy", policy_cache["policy"])
        response.headers["X-Content-Type-Options"] = "nosniff"
        response.headers["X-Frame-Options"] = "DENY"
        response.headers["Referrer-Policy"] = "no-referrer"
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response
