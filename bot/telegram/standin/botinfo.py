"""Handlers of the bot/chat information methods: getMe, commands, getChat, getFile."""

from __future__ import annotations

import json
import re
from typing import Any

from .messages import Handler
from .protocol import Params, bad_request
from .state import StandinState

__all__ = ["info_handlers"]

_COMMAND = re.compile(r"[a-z0-9_]{1,32}")
_LANGUAGE = re.compile(r"[a-z]{2}")
_ALL_GIFTS = {
    "unlimited_gifts": True,
    "limited_gifts": True,
    "unique_gifts": True,
    "premium_subscription": True,
    "gifts_from_channels": True,
}


class InfoMethods:
    """Bot and chat information methods bound to one stand-in's state."""

    def __init__(self, state: StandinState) -> None:
        """Keep the shared state."""
        self._state = state

    async def get_me(self, params: Params) -> Any:
        """getMe: the bot's User object with the bot-only capability flags."""
        return {
            **self._state.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    @staticmethod
    def _command_key(params: Params) -> tuple[str, str]:
        """Commands are stored per (scope, language_code), as Telegram keeps them."""
        scope = params.get_json("scope") or {"type": "default"}
        if not isinstance(scope, dict) or not isinstance(scope.get("type"), str):
            raise bad_request("can't parse BotCommandScope JSON object")
        language = params.get_str("language_code") or ""
        if language and not _LANGUAGE.fullmatch(language):
            raise bad_request("invalid language code specified")
        return json.dumps(scope, sort_keys=True), language

    async def set_my_commands(self, params: Params) -> Any:
        """setMyCommands: validates names (lowercase, ≤32) and descriptions (1–256)."""
        commands = params.get_json("commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        cleaned: list[dict[str, str]] = []
        for item in commands:
            if not isinstance(item, dict):
                raise bad_request("can't parse BotCommand JSON object")
            command = str(item.get("command", "")).removeprefix("/")
            description = str(item.get("description", ""))
            if not _COMMAND.fullmatch(command):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(description.strip()) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
            cleaned.append({"command": command, "description": description})
        self._state.commands[self._command_key(params)] = cleaned
        return True

    async def get_my_commands(self, params: Params) -> Any:
        """getMyCommands for a scope and language; empty when none were set."""
        return list(self._state.commands.get(self._command_key(params), []))

    async def delete_my_commands(self, params: Params) -> Any:
        """deleteMyCommands for a scope and language."""
        self._state.commands.pop(self._command_key(params), None)
        return True

    async def get_chat(self, params: Params) -> Any:
        """getChat: a ChatFullInfo for chats the bot has seen; others are "not found"."""
        chat_id = params.chat_id()
        known = chat_id in self._state.chats or any(
            key[0] == chat_id for key in self._state.messages
        )
        if not known:
            raise bad_request("chat not found")
        return {
            **self._state.chat_object(chat_id),
            "accent_color_id": 0,
            "max_reaction_count": 11,
            "accepted_gift_types": dict(_ALL_GIFTS),
        }

    async def get_file(self, params: Params) -> Any:
        """getFile: file_path is served under ``/file/bot<token>/``."""
        file_id = params.get_str("file_id", required=True)
        stored = self._state.files.get(file_id or "")
        if stored is None:
            raise bad_request("invalid file_id")
        return stored.to_file()


def info_handlers(state: StandinState) -> dict[str, Handler]:
    """Method name → handler for the information methods."""
    methods = InfoMethods(state)
    return {
        "getMe": methods.get_me,
        "setMyCommands": methods.set_my_commands,
        "getMyCommands": methods.get_my_commands,
        "deleteMyCommands": methods.delete_my_commands,
        "getChat": methods.get_chat,
        "getFile": methods.get_file,
    }
