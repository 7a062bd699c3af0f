"""``create_app(settings)``: the ASGI application, with no I/O until it starts."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator

from fastapi import FastAPI
from sqlalchemy.exc import DBAPIError

from townsquare import __version__
from townsquare.config import Settings, load_settings
from townsquare.domain.common.site import Site
from townsquare.domain.languages.detection import warm
from townsquare.http import health, media_files, static
from townsquare.http.errors import install_error_handlers
from townsquare.http.mastodon.routes import ROUTERS
from townsquare.http.middleware import RateLimitHeaders, SecurityHeaders, StripTrailingSlash
from townsquare.http.oauth import apps, authorize, token
from townsquare.http.ratelimit import RateLimiter
from townsquare.http.routing import mount_flat
from townsquare.http.state import AppState
from townsquare.http.web import routes as web
from townsquare.http.web.routes import install as install_web
from townsquare.jobs.worker import Worker
from townsquare.storage.blobs import LocalBlobStore
from townsquare.storage.database import Database
from townsquare.storage.id_nodes import claim_id_node


def site_of(settings: Settings) -> Site:
    return Site(
        base_url=settings.base_url,
        domain=settings.domain,
        max_status_chars=settings.max_status_chars,
        languages=settings.languages,
        moderation_policy=settings.moderation_policy,
        trends_refresh_seconds=settings.trends_refresh_seconds,
        blobs=LocalBlobStore(settings.media_dir, f"{settings.base_url}/media"),
    )


async def _claim_id_node(db: Database) -> None:
    try:
        await claim_id_node(db)
    except DBAPIError as exc:  # a database not migrated yet: ids stay random-spread
        logging.getLogger(__name__).warning("no id node claimed: %s", exc.orig)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or load_settings()
    db = Database(
        settings.database_url,
        echo=settings.sql_echo,
        pool_size=None if settings.is_sqlite else settings.database_pool_size,
    )
    state = AppState(
        settings=settings, db=db, site=site_of(settings), limiter=RateLimiter(settings.redis_url)
    )

    @contextlib.asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # The language detector takes a second or two to build: build it now, off the
        # event loop, rather than in the first request that posts.
        await asyncio.to_thread(warm, settings.languages)
        await _claim_id_node(db)
        worker = Worker(db, state.site)
        task = asyncio.create_task(worker.run_forever()) if settings.in_process_worker else None
        try:
            yield
        finally:
            if task is not None:
                worker.stop()
                with contextlib.suppress(asyncio.CancelledError, TimeoutError):
                    await asyncio.wait_for(task, timeout=10)
            await state.limiter.close()
            await db.dispose()

    app = FastAPI(
        title="townsquare",
        version=__version__,
        description="The townsquare server: the Mastodon client API and OAuth 2.",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        # no OpenTelemetry here: without this, FastAPI asks for the global tracer and
        # meter providers on every request and around every dependency
        telemetry={"tracing": False, "metrics": False, "logs": False, "operation_spans": False},
    )
    app.state.townsquare = state
    install_error_handlers(app)
    install_web(app)
    mount_flat(
        app,
        [*ROUTERS, apps.router, token.router, authorize.router, static.router, health.router,
         media_files.router,
         *web.ROUTERS],
        extra=[web.assets()],
    )  # fmt: skip
    app.add_middleware(RateLimitHeaders, state=state)
    app.add_middleware(SecurityHeaders)
    app.add_middleware(StripTrailingSlash)
    return app
