"""Citizens commenting over Telegram, their updates spread over the instances.

Each update goes to the instances in turn, as a load balancer would send them; one that
gets no 200 (refused connection, cut connection, 5xx) is posted again to the next, as
Telegram redelivers an update until some server answers 200. Each citizen waits for the
answer to one update before sending the next, as Telegram does per chat.
"""

from __future__ import annotations

import asyncio
import itertools
import random
from collections import Counter

import aiohttp

from bench.loadgen import WORDS
from bot.telegram.standin import make_callback_update, make_text_update, make_user
from bot.telegram.webhook import SECRET_HEADER
from tests.multi.processes import SECRET, Child

# Between one citizen's updates: a comment (3 updates) brings 4 replies, and Telegram
# sends about one message a second to a chat, so the replies keep up.
PACE_S = 1.6
NO_MESSAGE = 999_999  # buttons pressed on a message the stand-in does not know: never edited
ROUNDS = 40  # times the instances are tried for one update before the test gives up


class Traffic:
    """Citizens who consent once, then comment (text, stance, send) until told to stop."""

    def __init__(self, instances: list[Child], chats: list[int]) -> None:
        self.instances = instances
        self.chats = chats
        self.comments: dict[int, list[str]] = {chat: [] for chat in chats}
        self.handled: Counter[str] = Counter()  # instance name -> updates it answered 200
        self.redelivered = 0  # posts that got no 200 and went to the next instance
        self.updates = 0
        self.stop = asyncio.Event()
        self._ids = itertools.count(1)
        self._turn = itertools.count()

    async def run(self) -> None:
        timeout = aiohttp.ClientTimeout(total=30)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            await asyncio.gather(*(self._citizen(session, chat) for chat in self.chats))

    async def _citizen(self, session: aiohttp.ClientSession, chat: int) -> None:
        user = make_user(chat, language_code="vi")
        await self._post(session, make_text_update(chat, "/start", user=user))
        await self._post(session, make_callback_update(chat, "consent:yes", NO_MESSAGE, user=user))
        for n in itertools.count():
            if self.stop.is_set():
                return
            body = _comment(chat, n)
            await self._post(session, make_text_update(chat, body, user=user))
            await self._post(session, make_callback_update(chat, "st:support", NO_MESSAGE,
                                                           user=user))
            await self._post(session, make_callback_update(chat, "send", NO_MESSAGE, user=user))
            self.comments[chat].append(body)

    async def _post(self, session: aiohttp.ClientSession, update: dict[str, object]) -> None:
        update["update_id"] = next(self._ids)
        self.updates += 1
        first = next(self._turn)
        order = [self.instances[(first + k) % len(self.instances)]
                 for k in range(len(self.instances))]
        for _ in range(ROUNDS):
            for target in order:
                if await self._accepted(session, target, update):
                    self.handled[target.name] += 1
                    await asyncio.sleep(PACE_S)
                    return
                self.redelivered += 1
            await asyncio.sleep(0.5)
        raise AssertionError(f"no instance accepted update {update['update_id']}")

    async def _accepted(
        self, session: aiohttp.ClientSession, target: Child, update: dict[str, object]
    ) -> bool:
        try:
            async with session.post(
                f"{target.url}/telegram/webhook", json=update, headers={SECRET_HEADER: SECRET}
            ) as response:
                await response.read()
                assert response.status < 400 or response.status >= 500, (
                    f"{target.name} refused a well-formed update: {response.status}"
                )
                return response.status == 200
        except (aiohttp.ClientError, TimeoutError):
            return False


def _comment(chat: int, n: int) -> str:
    """A comment unlike every other: near-identical ones would be joined as co-signatures."""
    words = random.Random(chat * 10_000 + n).choices(WORDS, k=24)
    return f"Góp ý {chat}-{n}: " + " ".join(words) + "."
