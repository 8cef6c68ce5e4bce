"""HTTP security headers for the dashboard: a strict Content-Security-Policy and friends.

Scripts may only come from this server or be Dash's own inline scripts, identified by
hash. Two relaxations are forced by the libraries and are as narrow as they allow:
'unsafe-eval' because plotly.js compiles its WebGL shaders (scattergl, via regl) with
new Function(), and style-src 'unsafe-inline' because plotly.js writes <style> elements.
"""

from __future__ import annotations

from dash import Dash


def content_security_policy(script_hashes: list[str]) -> str:
    directives = {
        "default-src": ["'self'"],
        "script-src": ["'self'", "'unsafe-eval'", *script_hashes],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:", "blob:"],
        "font-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
    return "; ".join(f"{name} {' '.join(values)}" for name, values in directives.items())


def add_security_headers(app: Dash) -> None:
    """Send the headers with every response (call after all callbacks are registered)."""
    headers = {
        "Content-Security-Policy": content_security_policy(list(app.csp_hashes())),
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        # source links open other sites: tell them nothing about what the reader was viewing
        "Referrer-Policy": "no-referrer",
        "Cross-Origin-Opener-Policy": "same-origin",
    }

    @app.server.after_request
    def _secure(response):
        for name, value in headers.items():
            response.headers.setdefault(name, value)
        return response
