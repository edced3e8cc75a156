"""The per-session rate limit."""

import pytest

from scamlab.ui.rate_limit import RateLimiter, RateLimitExceeded


def test_limit_per_session_and_sliding_window():
    now = [0.0]
    limiter = RateLimiter(limit=3, window=60, clock=lambda: now[0])
    for _ in range(3):
        limiter.check("alice")
    with pytest.raises(RateLimitExceeded, match="3 requests per 60 seconds. Try again in 60 s"):
        limiter.check("alice")
    limiter.check("bob")  # another session is not affected
    now[0] = 59.0
    with pytest.raises(RateLimitExceeded, match="Try again in 1 s"):
        limiter.check("alice")
    now[0] = 60.0
    limiter.check("alice")  # the first request left the window
