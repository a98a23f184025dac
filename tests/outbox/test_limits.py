"""The dispatcher's own view of a channel's limits, checked against the platform's."""

from __future__ import annotations

import heapq
import random

from bot.outbox.limits import ChannelLimiter, Ticket
from bot.telegram.standin.limits import RateLimiter
from tests.outbox.fakes import TELEGRAM, FakeTime


def go(limiter: ChannelLimiter, recipient: str, *, group: bool = False,
       broadcast: bool = False) -> Ticket | None:
    """Take a ticket when the limiter allows one now."""
    if limiter.delay(recipient, group=group, broadcast=broadcast) > 0:
        return None
    return limiter.take(recipient, group=group)


def test_a_private_chat_gets_a_burst_of_three_then_about_one_a_second() -> None:
    time = FakeTime()
    limiter = ChannelLimiter(TELEGRAM, clock=time)
    for _ in range(3):
        ticket = go(limiter, "101")
        assert ticket is not None, "the burst allowance was refused"
        limiter.done(ticket)
    assert go(limiter, "101") is None, "a fourth message in the same instant was allowed"
    assert go(limiter, "202") is not None, "one chat's burst held another chat"
    time.advance(limiter.delay("101", group=False, broadcast=False))
    assert go(limiter, "101") is not None


def test_overall_sends_count_until_a_second_after_their_answer() -> None:
    time = FakeTime()
    limiter = ChannelLimiter(TELEGRAM, clock=time)
    tickets = [go(limiter, str(chat)) for chat in range(30)]
    assert None not in tickets
    assert go(limiter, "999") is None, "a 31st send in flight was allowed"
    time.advance(5)  # slow answers: the platform may have counted them just now
    for ticket in tickets:
        assert ticket is not None
        limiter.done(ticket)
    assert go(limiter, "999") is None, "sends answered just now no longer counted"
    time.advance(1.1)
    assert go(limiter, "999") is not None


def test_broadcast_rows_use_the_broadcast_rate() -> None:
    limiter = ChannelLimiter(TELEGRAM, clock=FakeTime())
    sent = [go(limiter, str(chat), broadcast=True) for chat in range(100)]
    assert None not in sent, "paid broadcast was held to the ordinary rate"
    assert go(limiter, "5000") is None, "an ordinary send ignored the overall limit"


def test_a_group_gets_twenty_a_minute() -> None:
    time = FakeTime()
    limiter = ChannelLimiter(TELEGRAM, clock=time)
    for _ in range(20):
        time.advance(limiter.delay("-7", group=True, broadcast=False))
        ticket = go(limiter, "-7", group=True)
        assert ticket is not None
        limiter.done(ticket)
    assert limiter.delay("-7", group=True, broadcast=False) > 30


def test_a_hold_stops_one_recipient_or_the_whole_channel() -> None:
    time = FakeTime()
    limiter = ChannelLimiter(TELEGRAM, clock=time)
    limiter.hold(5, "101")
    assert go(limiter, "101") is None and go(limiter, "202") is not None
    limiter.hold(3)
    assert go(limiter, "303") is None, "a channel-wide 429 did not hold other recipients"
    time.advance(5.1)
    assert go(limiter, "101") is not None and go(limiter, "303") is not None


def test_random_latency_never_meets_the_platforms_limits() -> None:
    """Requests reach the platform and come back after random delays, in a shuffled order."""
    time, dice = FakeTime(), random.Random(11)
    limiter, platform = ChannelLimiter(TELEGRAM, clock=time), RateLimiter(clock=time)
    chats = [*(str(100 + n) for n in range(40)), "-1", "-2"]
    left = dict.fromkeys(chats, 12)
    events: list[tuple[float, int, str, str, Ticket | None]] = []
    order = iter(range(10**9))
    for chat in chats:
        heapq.heappush(events, (time.now, next(order), "try", chat, None))
    refused = 0
    while events:
        at, _, kind, chat, ticket = heapq.heappop(events)
        time.now = at
        group = chat.startswith("-")
        if kind == "try" and left[chat]:
            wait = limiter.delay(chat, group=group, broadcast=False)
            if wait > 0:
                heapq.heappush(events, (at + wait, next(order), "try", chat, None))
                continue
            ticket, left[chat] = limiter.take(chat, group=group), left[chat] - 1
            arrival = at + dice.uniform(0, 0.3)
            heapq.heappush(events, (arrival, next(order), "arrive", chat, ticket))
        elif kind == "arrive":
            refused += isinstance(platform.acquire(int(chat)), int)
            answer = at + dice.uniform(0, 0.3)
            heapq.heappush(events, (answer, next(order), "answer", chat, ticket))
        elif kind == "answer" and ticket is not None:
            limiter.done(ticket)
            heapq.heappush(events, (at, next(order), "try", chat, None))
    assert not any(left.values())
    assert refused == 0, f"the platform answered 429 {refused} times"
