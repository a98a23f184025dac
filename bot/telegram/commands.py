"""The bot's command menu in Vietnamese (default) and English."""

from __future__ import annotations

from telegram import Bot, BotCommand

COMMANDS = {
    "vi": [
        ("start", "Bắt đầu"), ("menu", "Trang chính"), ("drafts", "Xem dự thảo"),
        ("comment", "Góp ý"), ("ask", "Hỏi cơ quan soạn thảo"),
        ("mine", "Góp ý và trả lời của tôi"), ("follow", "Theo dõi"),
        ("language", "English"), ("privacy", "Quyền riêng tư"), ("help", "Trợ giúp"),
    ],
    "en": [
        ("start", "Start"), ("menu", "Main menu"), ("drafts", "Read drafts"),
        ("comment", "Comment"), ("ask", "Ask the drafting agency"),
        ("mine", "My comments and answers"), ("follow", "Follow"),
        ("language", "Tiếng Việt"), ("privacy", "Privacy"), ("help", "Help"),
    ],
}


async def publish_commands(bot: Bot) -> None:
    """Vietnamese for everyone, English for clients set to English."""
    for language, commands in COMMANDS.items():
        await bot.set_my_commands(
            [BotCommand(name, text) for name, text in commands],
            language_code=None if language == "vi" else language,
        )
