"""The admin console (/admin): rounds today; work queues, insights and outputs build on it."""

from bot.admin.app import setup_admin

__all__ = ["setup_admin"]
