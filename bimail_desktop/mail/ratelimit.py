"""The per-sender limit of mails per rolling minute (T3).

Providers block senders that send too often ("Failed to get verification code"), so the
program refuses a send itself before the provider does, and says when the next one is
possible. The times come from the sending records, so the limit holds across processes
(the GUI and a CLI script share it); this module only does the arithmetic.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import datetime, timedelta

WINDOW = timedelta(seconds=60)


def window_start(now: datetime) -> datetime:
    """Messages started after this moment count against the limit."""
    return now - WINDOW


def seconds_until_allowed(started: Iterable[datetime], limit: int, now: datetime) -> float:
    """Seconds until one more message may be sent, given the start times of the messages
    of the last minute; 0.0 when a send is allowed now. ``limit`` 0 means no limit."""
    if limit <= 0:
        return 0.0
    recent = sorted(t for t in started if t > now - WINDOW)
    if len(recent) < limit:
        return 0.0
    # the oldest messages must leave the window until only limit - 1 remain
    freeing = recent[len(recent) - limit]
    return max(0.0, (freeing + WINDOW - now).total_seconds())


def whole_seconds(seconds: float) -> int:
    """What the user is told: whole seconds, rounded up, at least 1 when waiting."""
    return 0 if seconds <= 0 else max(1, math.ceil(seconds))
