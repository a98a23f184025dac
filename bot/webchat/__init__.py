"""The web chat channel: the embedded default door, no account needed."""

from bot.webchat.routes import setup

__all__ = ["setup"]
