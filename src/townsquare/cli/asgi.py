"""The ASGI entry point uvicorn imports: settings are read when the server starts."""

from __future__ import annotations

from townsquare.app import create_app

app = create_app()
