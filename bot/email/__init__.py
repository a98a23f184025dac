"""E-mail: the agencies' digests over SMTP, with an HTML part and the period's comments
as a spreadsheet. Enabled when SMTP_HOST is set; not a door for citizens, only a sender."""

from bot.email.bridge import EmailBridge
from bot.email.sender import EmailSender, SmtpConfig

__all__ = ["EmailBridge", "EmailSender", "SmtpConfig"]
