"""English texts for agency staff working from a chat, and for answers relayed to citizens."""

TEXTS: dict[str, str] = {
    # help and refusals
    "staff.help": (
        "Staff commands (lệnh dành cho cán bộ):\n"
        "/questions (/cauhoi) – questions waiting for an answer, soonest due first\n"
        "/answer (/traloi) <question no.> <text> – answer a citizen's question; or simply reply "
        "to a new-question notification\n"
        "/outcome (/ketqua) <comment no.> <accepted | partly | explained> <reason> – record what "
        "became of a comment (a reason is required unless accepted)\n"
        "/link (/lienket) <code> – link this account or group with a code from an admin"
    ),
    "staff.refused": (
        "Sorry, this command is for linked staff only. If you are staff, ask an admin for a link "
        "code, then send: /link <code>"
    ),
    "staff.refused_group": (
        "Sorry, this group is not linked to an agency. An admin can issue a group link code; "
        "then send /link <code> in the group."
    ),
    # linking
    "staff.link.usage": "Usage: /link <link code>, e.g. /link K7M2-Q9XD",
    "staff.link.staff_done": (
        "✅ This account is now linked to staff member {name}. New citizen questions will be "
        "announced here. Send /help for the commands."
    ),
    "staff.link.agency_done": (
        "✅ This group is now linked to {agency}. New citizen questions will be announced here; "
        "members can answer by replying to the notification."
    ),
    "staff.link.voided": (
        "⚠️ This personal code was sent in a group, so it has been cancelled for safety. Ask an "
        "admin for a new code and send it to the bot in a private chat."
    ),
    # answering questions
    "staff.answer.usage": "Usage: /answer <question no.> <answer text>",
    "staff.answer.sent": "✅ The answer to question no. {id} was recorded and sent to the asker.",
    "staff.answer.undelivered": (
        "The answer to question no. {id} was recorded, but it could not be delivered (the asker "
        "erased their data or can no longer be reached on this channel)."
    ),
    # outcomes of comments
    "staff.outcome.usage": (
        "Usage: /outcome <comment no.> <accepted | partly | explained> <reason>\n"
        "Example: /outcome 12 explained This is already covered by Article 5."
    ),
    "staff.outcome.done": "✅ Outcome recorded for comment no. {id}: {outcome}.",
    "staff.outcome.accepted": "accepted",
    "staff.outcome.partly_accepted": "partly accepted",
    "staff.outcome.explained": "explained",
    # open questions
    "staff.questions.none": "No questions are waiting for an answer. 👍",
    "staff.questions.title": "Questions waiting for an answer ({count}), soonest due first:",
    "staff.questions.item": "• No. {id} – due {due}{overdue} – {round}\n  «{question}»",
    "staff.questions.overdue": " ⚠️ overdue",
    "staff.questions.general": "general question",
    "staff.questions.more": "… and more. Answer some to see the rest.",
    "staff.questions.hint": "To answer: /answer <question no.> <text>",
    # notifications to the agency
    "staff.notify.question": (
        "❓ New question #Q{id} – answer due {due}\n"
        "Draft: {round}\n\n"
        "«{question}»\n\n"
        "To answer the asker, reply to this message or send /answer {id} <text>."
    ),
    # answers relayed to citizens
    "rate.button": "{n} ⭐",
    # errors shown to staff
    "staff.error.generic": "Sorry, something went wrong; nothing was recorded. Please try again.",
    "staff.error.link.invalid": "The link code is wrong or no longer valid. Ask an admin for a new one.",
    "staff.error.link.channel_unsupported": "Staff accounts cannot be linked on this channel yet.",
    "staff.error.link.agency_code_needs_group": (
        "This is an agency group code. Add the bot to your team's group and send /link <code> "
        "there."
    ),
    "staff.error.link.chat_taken": "This group is already linked to another agency.",
    "staff.error.question.not_found": "There is no question with this number.",
    "staff.error.question.already_answered": "This question has already been answered.",
    "staff.error.question.not_your_agency": (
        "This question belongs to another agency; you can only answer your agency's questions."
    ),
    "staff.error.answer.empty": "The answer is empty.",
    "staff.error.answer.too_long": "The answer is too long (at most {limit} characters). Please shorten it.",
    "staff.error.comment.not_found": "There is no comment with this number.",
    "staff.error.outcome.not_your_agency": (
        "This comment is on another agency's draft; you can only record outcomes for your "
        "agency's drafts."
    ),
    "staff.error.outcome.bad_value": "The outcome must be accepted, partly or explained.",
    "staff.error.outcome.note_required": (
        "A reason is required for partly accepted or explained: /outcome <no.> <outcome> <reason>"
    ),
    "staff.error.outcome.note_too_long": "The reason is too long (at most {limit} characters).",
    "staff.error.outcome.round_reported": (
        "This draft's synthesis report is published; its outcomes can no longer change."
    ),
}
