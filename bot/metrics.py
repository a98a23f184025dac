"""Prometheus metrics of one running app: what an operator graphs and alerts on.

Each AppContext owns a CollectorRegistry instead of prometheus-client's global
one, so several apps in one process (the tests) keep separate counts and never
register a name twice. Label values are channel names, job names and short
platform codes only: never a user id, a token or message text.
"""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder

from bot.outbox.sender import ChannelLimits, ChannelSender, Delivery, SendResult, SendStatus
from consultations.outbox_stats import ChannelBacklog

# An inbound event is a few queries and one commit: milliseconds, seconds when contended.
FLOW_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
# Sweeps take well under a second; a big digest or report can take minutes.
JOB_BUCKETS = (0.05, 0.25, 1.0, 5.0, 15.0, 30.0, 60.0, 120.0, 300.0, 900.0)
# The platform's own code at the start of a send error ("429", "-230 outside the window",
# "HTTP 429"); anything else is counted under the send status, so labels stay few.
_CODE = re.compile(r"^(?:HTTP )?(-?\d{1,4})\b")
WEBCHAT = "webchat"


class Metrics:
    """The app's registry and its metrics; bridges, senders and jobs report here."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.inbound = Counter("consultbot_inbound_events", "Inbound events handled and "
                               "committed, by channel", ["channel"], registry=r)
        self.inbound_failed = Counter("consultbot_inbound_failures", "Inbound events whose "
                                      "handling raised (retried by the platform or the inbox)",
                                      ["channel"], registry=r)
        self.flow_seconds = Histogram("consultbot_flow_seconds", "From an inbound event reaching "
                                      "its bridge to its transaction committing", ["channel"],
                                      buckets=FLOW_BUCKETS, registry=r)
        self.sent = Counter("consultbot_sent", "Messages the platform accepted", ["channel"],
                            registry=r)
        self.send_errors = Counter("consultbot_send_errors", "Sends that did not deliver, by the "
                                   "platform's code or else the outcome", ["channel", "code"],
                                   registry=r)
        self.outbox_depth = Gauge("consultbot_outbox_depth", "Outbox rows pending or being sent",
                                  ["channel"], registry=r)
        self.outbox_oldest = Gauge("consultbot_outbox_oldest_seconds", "Age of the oldest "
                                   "pending outbox row", ["channel"], registry=r)
        self.outbox_waiting = Gauge("consultbot_outbox_waiting", "Outbox rows waiting until the "
                                    "recipient writes again", ["channel"], registry=r)
        self.outbox_dead = Gauge("consultbot_outbox_dead", "Outbox rows given up on (dead "
                                 "letters)", ["channel"], registry=r)
        self.job_seconds = Histogram("consultbot_job_seconds", "Duration of scheduled jobs "
                                     "(digests, reminders, rounds) and console reports", ["job"],
                                     buckets=JOB_BUCKETS, registry=r)
        self.scheduler_leader = Gauge("consultbot_scheduler_leader", "1 when this instance holds "
                                      "the scheduler lock", registry=r)
        self.channels: set[str] = {WEBCHAT}

    @contextlib.asynccontextmanager
    async def flow(self, channel: str) -> AsyncIterator[None]:
        """Wrap one inbound event from its arrival to its commit: counted and timed."""
        started = time.perf_counter()
        try:
            yield
        except Exception:
            self.inbound_failed.labels(channel).inc()
            raise
        self.inbound.labels(channel).inc()
        self.flow_seconds.labels(channel).observe(time.perf_counter() - started)

    def observe_job(self, name: str, seconds: float) -> None:
        """One run of a job (a bounded name such as "digests" or "digest:daily")."""
        self.job_seconds.labels(name).observe(seconds)

    @contextlib.contextmanager
    def timed_job(self, name: str) -> Iterator[None]:
        """Time a block as a run of `name`, whether it succeeds or raises."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.observe_job(name, time.perf_counter() - started)

    def set_scheduler_leader(self, held: bool) -> None:
        self.scheduler_leader.set(1 if held else 0)

    def record_send(self, channel: str, result: SendResult) -> None:
        if result.status is SendStatus.SENT:
            self.sent.labels(channel).inc()
        else:
            self.send_errors.labels(channel, send_code(result)).inc()

    def set_outbox(self, backlog: Mapping[str, ChannelBacklog]) -> None:
        """Replace the outbox gauges with a fresh reading; known channels show 0, not nothing."""
        self.clear_outbox()
        for channel in self.channels | backlog.keys():
            now = backlog.get(channel, ChannelBacklog(channel))
            self.outbox_depth.labels(channel).set(now.depth)
            self.outbox_oldest.labels(channel).set(now.oldest_seconds)
            self.outbox_waiting.labels(channel).set(now.waiting)
            self.outbox_dead.labels(channel).set(now.dead)

    def clear_outbox(self) -> None:
        """No reading: absent gauges say "unknown", where stale or zero values would mislead."""
        for gauge in (self.outbox_depth, self.outbox_oldest, self.outbox_waiting, self.outbox_dead):
            gauge.clear()

    def exposition(self, accept: str) -> tuple[bytes, str]:
        """(body, content type): Prometheus text, or OpenMetrics when the scraper asks for it."""
        encode, content_type = choose_encoder(accept)
        return encode(self.registry), content_type

    def metered(self, senders: Iterable[ChannelSender]) -> dict[str, ChannelSender]:
        """The dispatcher's senders by channel, each counting what it sends."""
        wrapped: dict[str, ChannelSender] = {}
        for sender in senders:
            self.channels.add(sender.channel)
            wrapped[sender.channel] = MeteredSender(sender, self)
        return wrapped


def send_code(result: SendResult) -> str:
    match = _CODE.match(result.error or "")
    return match.group(1) if match else result.status.value


class MeteredSender:
    """A ChannelSender that reports each outcome; the dispatcher cannot tell it apart."""

    def __init__(self, inner: ChannelSender, metrics: Metrics) -> None:
        self.inner = inner
        self.metrics = metrics
        self.channel: str = inner.channel
        self.limits: ChannelLimits = inner.limits

    def is_group(self, recipient: str) -> bool:
        return self.inner.is_group(recipient)

    async def send(self, delivery: Delivery) -> SendResult:
        try:
            result = await self.inner.send(delivery)
        except Exception:
            self.metrics.send_errors.labels(self.channel, "exception").inc()
            raise
        self.metrics.record_send(self.channel, result)
        return result
