"""`parkrules serve`: the HTTP service and page (needs the `[serve]` extra: FastAPI and uvicorn)."""

from __future__ import annotations

import ipaddress
import os
import sys

import click

from parkrules.cli.cli_options import EXIT_ERROR, standards_option

TOKEN_VARIABLE = "PARKRULES_TOKEN"


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (loopback by default).")
@click.option("--port", type=click.IntRange(1, 65535), default=8000, show_default=True)
@standards_option
def serve_command(host: str, port: int, standards_dir) -> None:
    """Serve the JSON API (/v1/packs, /v1/assess, /v1/explain, /v1/plan, /v1/template; documentation at /docs)
    and the upload page (/).

    \b
    Listens on loopback by default. To serve others, put it behind a reverse proxy (nginx, Caddy) that terminates
    TLS, and set a token in the PARKRULES_TOKEN environment variable: every API call must then carry
    `Authorization: Bearer <token>`, and the page asks for it. Listening on another address without a token is
    refused.
    """
    try:
        import uvicorn

        from parkrules.serve.app import create_app
    except ImportError:
        click.echo("parkrules serve needs its extra: pip install 'parkrules[serve]'", err=True)
        sys.exit(EXIT_ERROR)
    token = os.environ.get(TOKEN_VARIABLE) or None
    if token is None and not _loopback(host):
        click.echo(f"--host {host} is not loopback: set {TOKEN_VARIABLE} first (see --help)", err=True)
        sys.exit(EXIT_ERROR)
    uvicorn.run(create_app(standards_dir, token), host=host, port=port, log_level="info")


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
