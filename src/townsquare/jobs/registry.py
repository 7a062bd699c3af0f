"""Job kinds and the handlers that run them."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncConnection

from townsquare.domain.common.site import Site
from townsquare.domain.media.actions import REMOVE_UNATTACHED_JOB, remove_unattached_media
from townsquare.domain.moderation.sanctions import LIFT_JOB, PURGE_JOB
from townsquare.domain.timelines.feeds import FAN_OUT_JOB, TRIM_JOB
from townsquare.domain.trends.recording import RECORD_JOB, REFRESH_JOB
from townsquare.domain.trends.withdrawal import WITHDRAW_JOB
from townsquare.jobs.handlers.feeds import fan_out_home, trim_home_feeds
from townsquare.jobs.handlers.moderation import lift_account_action_job, purge_account_job
from townsquare.jobs.handlers.search import index_account_job, index_status_job
from townsquare.jobs.handlers.subscribers import notify_subscribers
from townsquare.jobs.handlers.trends import (
    record_trend_uses,
    refresh_trends_job,
    withdraw_trend_uses,
)

Handler = Callable[[AsyncConnection, Site, dict[str, Any]], Awaitable[None]]

HANDLERS: dict[str, Handler] = {
    "notify_subscribers": notify_subscribers,
    "index_status": index_status_job,
    "index_account": index_account_job,
    FAN_OUT_JOB: fan_out_home,
    TRIM_JOB: trim_home_feeds,
    RECORD_JOB: record_trend_uses,
    REFRESH_JOB: refresh_trends_job,
    WITHDRAW_JOB: withdraw_trend_uses,
    PURGE_JOB: purge_account_job,
    LIFT_JOB: lift_account_action_job,
    REMOVE_UNATTACHED_JOB: remove_unattached_media,
}
