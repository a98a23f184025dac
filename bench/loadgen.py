"""Simulated Telegram users posting real Update JSON to a webhook, closed or open loop."""

from __future__ import annotations

import asyncio
import itertools
import random
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import aiohttp

from bot.telegram.standin import make_callback_update, make_text_update, make_user

WORDS = [
    "đề",
    "nghị",
    "bổ",
    "sung",
    "quy",
    "định",
    "thời",
    "hạn",
    "trả",
    "lời",
    "phản",
    "ánh",
    "người",
    "dân",
    "doanh",
    "nghiệp",
    "cổng",
    "thông",
    "tin",
    "công",
    "khai",
    "kết",
    "quả",
    "xử",
    "lý",
    "cơ",
    "quan",
    "chủ",
    "trì",
    "trách",
    "nhiệm",
    "hướng",
    "dẫn",
    "thủ",
    "tục",
    "hồ",
    "sơ",
    "trực",
    "tuyến",
    "miễn",
    "phí",
    "lệ",
    "phí",
    "bảo",
    "đảm",
    "minh",
    "bạch",
    "kiểm",
    "tra",
    "giám",
    "sát",
    "định",
    "kỳ",
    "báo",
    "cáo",
    "ủy",
    "ban",
    "nhân",
    "dân",
    "tỉnh",
]


@dataclass
class Sample:
    chat: int
    posted: float
    answered: float


@dataclass
class User:
    """One citizen: consents once, then comments (text, stance, send) again and again."""

    chat: int
    step: int = 0
    rng: random.Random = field(default_factory=random.Random)

    def next_update(self, update_id: int, echo: bool) -> dict[str, Any]:
        user = make_user(self.chat, language_code="vi")
        if echo:
            return make_text_update(self.chat, self._text(), user=user, update_id=update_id)
        kind = self.step % 3
        self.step += 1
        if kind == 0:
            return make_text_update(self.chat, self._text(), user=user, update_id=update_id)
        data = "st:support" if kind == 1 else "send"
        return make_callback_update(self.chat, data, 1, user=user, update_id=update_id)

    def _text(self) -> str:
        return " ".join(self.rng.choice(WORDS) for _ in range(18)) + f" {self.rng.random():.6f}"


class LoadGenerator:
    """Posts updates to one webhook; users are taken round-robin so each chat is paced."""

    def __init__(self, url: str, secret: str, users: int, *, echo: bool, first_chat: int) -> None:
        self.url, self.secret, self.echo = url, secret, echo
        self.users = [User(first_chat + n, rng=random.Random(n)) for n in range(users)]
        self._ids = itertools.count(1_000_000)
        self._turn = itertools.cycle(self.users)
        self.samples: list[Sample] = []
        self.errors = 0

    async def setup(self, session: aiohttp.ClientSession) -> None:
        """Each user starts and consents (not measured)."""
        if self.echo:
            return
        gate = asyncio.Semaphore(32)

        async def start(user: User) -> None:
            tg_user = make_user(user.chat, language_code="vi")
            async with gate:
                await self._post(
                    session,
                    make_text_update(user.chat, "/start", user=tg_user, update_id=next(self._ids)),
                    user.chat,
                )
                await self._post(
                    session,
                    make_callback_update(
                        user.chat, "consent:yes", 1, user=tg_user, update_id=next(self._ids)
                    ),
                    user.chat,
                )

        await asyncio.gather(*(start(user) for user in self.users))
        self.samples.clear()

    async def _post(
        self, session: aiohttp.ClientSession, update: dict[str, Any], chat: int
    ) -> None:
        started = time.perf_counter()
        headers = {"X-Telegram-Bot-Api-Secret-Token": self.secret}
        try:
            async with session.post(self.url, json=update, headers=headers) as response:
                await response.read()
                ok = response.status == 200
        except aiohttp.ClientError:
            ok = False
        if ok:
            self.samples.append(
                Sample(chat, time.time() - (time.perf_counter() - started), time.time())
            )
        else:
            self.errors += 1

    async def closed_loop(self, workers: int, seconds: float) -> float:
        """As fast as `workers` concurrent senders can go; returns updates/s."""
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=workers)) as session:
            start = time.perf_counter()
            deadline = start + seconds

            async def worker() -> None:
                while time.perf_counter() < deadline:
                    user = next(self._turn)
                    await self._post(
                        session, user.next_update(next(self._ids), self.echo), user.chat
                    )

            await asyncio.gather(*(worker() for _ in range(workers)))
            return len(self.samples) / (time.perf_counter() - start)

    async def open_loop(self, rate: float, seconds: float) -> None:
        """Updates at a fixed rate, whatever the answers take (latency at a given load)."""
        async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=512)) as session:
            tasks: set[asyncio.Task[None]] = set()
            start = time.perf_counter()
            for n in range(int(rate * seconds)):
                delay = start + n / rate - time.perf_counter()
                if delay > 0:
                    await asyncio.sleep(delay)
                user = next(self._turn)
                task = asyncio.create_task(
                    self._post(session, user.next_update(next(self._ids), self.echo), user.chat)
                )
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            await asyncio.gather(*tasks)


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def reply_latencies(
    samples: list[Sample], sent: list[dict[str, Any]], key: Callable[[dict[str, Any]], int]
) -> list[float]:
    """For each answered update, seconds until the stand-in got the next message to that chat."""
    by_chat: dict[int, list[float]] = {}
    for call in sent:
        by_chat.setdefault(key(call), []).append(float(call["time"]))
    for times in by_chat.values():
        times.sort()
    result = []
    for sample in samples:
        later = [t for t in by_chat.get(sample.chat, []) if t >= sample.posted]
        if later:
            result.append(later[0] - sample.posted)
    return result
