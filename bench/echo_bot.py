"""The baselines: a bare python-telegram-bot echo bot on a webhook, as people write it.

`--backend httpx` is PTB's default request backend; `--backend aiohttp` is ours
(bot/telegram/request.py). The webhook server is our aiohttp one in both, so the
two runs differ only in how PTB talks to the Bot API: the floor any PTB bot has.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from typing import Any

from aiohttp import web
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from bot.telegram.request import AiohttpRequest

SECRET = "bench-secret"


async def echo(update: Update, _: ContextTypes.DEFAULT_TYPE) -> None:
    if update.message and update.message.text:
        await update.message.reply_text(update.message.text)


def build(token: str, api: str, backend: str) -> Application[Any, Any, Any, Any, Any, Any]:
    builder = ApplicationBuilder().token(token).base_url(f"{api}/bot").updater(None)
    if backend == "aiohttp":
        builder = builder.request(AiohttpRequest(connection_pool_size=256))
    else:
        builder = builder.connection_pool_size(256)
    application = builder.concurrent_updates(256).build()
    application.add_handler(MessageHandler(filters.TEXT, echo))
    return application


async def serve(token: str, api: str, backend: str, port: int) -> None:
    application = build(token, api, backend)

    async def webhook(request: web.Request) -> web.Response:
        if request.headers.get("X-Telegram-Bot-Api-Secret-Token") != SECRET:
            return web.Response(status=403)
        update = Update.de_json(await request.json(), application.bot)
        await application.process_update(update)  # reply sent before the 200, like ours
        return web.Response(text="ok")

    app = web.Application()
    app.router.add_post("/telegram/webhook", webhook)
    runner = web.AppRunner(app, access_log=None)
    async with application:
        await runner.setup()
        await web.TCPSite(runner, "127.0.0.1", port).start()
        print(f"echo bot ({backend}) on {port}", flush=True)
        stop = asyncio.Event()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                asyncio.get_running_loop().add_signal_handler(sig, stop.set)
        await stop.wait()
        await runner.cleanup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--token", required=True)
    parser.add_argument("--api", required=True)
    parser.add_argument("--backend", choices=["httpx", "aiohttp"], required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    asyncio.run(serve(args.token, args.api, args.backend, args.port))


if __name__ == "__main__":
    main()
