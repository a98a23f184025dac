"""English texts, for participants who choose English."""

TEXTS: dict[str, str] = {
    "consent.prompt": (
        "Hello! This is the public consultation channel for draft documents of {province}.\n\n"
        "To record your comments and questions we need your consent to store your account id "
        "on this channel, what you send and your language. Data is used only to compile "
        "opinions and answer you; comments are published anonymously with phone numbers, ID "
        "numbers and e-mails masked. You can see or erase your data at any time (type "
        '"privacy").\n\n'
        'Xin chào! Đây là kênh lấy ý kiến nhân dân. Gõ "quyền riêng tư" để xem hoặc xoá dữ liệu.'
    ),
    "consent.agree": "✅ I agree",
    "consent.decline": "I do not agree",
    "consent.thanks": "Thank you! Your consent has been recorded.",
    "consent.declined": (
        "We will not store anything about you. You can still read the drafts. When you want to "
        'comment, choose "I agree".'
    ),
    "consent.required": "To send a comment or a question, please give your consent first.",
    "menu.title": "What would you like to do? Choose an item or type its number:",
    "menu.rounds": "1. Read drafts",
    "menu.comment": "2. Comment",
    "menu.ask": "3. Ask the drafting agency",
    "menu.mine": "4. My comments & answers",
    "menu.follow": "5. Follow",
    "menu.language": "6. Tiếng Việt",
    "menu.privacy": "7. Privacy",
    "menu.help": "8. Help",
    "button.menu": "☰ Menu",
    "button.cancel": "Cancel",
    "button.back": "◀ Back",
    "rounds.none": "No draft is open for comments right now. Follow to be told when one opens.",
    "rounds.title": "Drafts open for comments:",
    "rounds.item": "{n}. {title} (until {closes})",
    "round.summary": (
        "📄 {title}\nDrafting agency: {agency}\nConsultation period: {opens} – {closes}\n"
        "Articles: {articles}\n\n{summary}"
    ),
    "round.status.closed": "This draft is no longer open for comments.",
    "round.read": "📖 Read article by article",
    "round.comment": "✍️ Comment on the whole draft",
    "round.ask": "❓ Ask a question",
    "round.follow": "🔔 Follow",
    "round.unfollow": "🔕 Unfollow",
    "read.page": "{title}\n{path}\n\n{text}\n\n— Article {index}/{total}{part}",
    "read.part": " · part {part}/{parts}",
    "read.prev": "◀ Previous",
    "read.next": "Next ▶",
    "read.more": "Continue ▶",
    "read.comment": "✍️ Comment on this article",
    "read.hint": 'Type your opinion on this article at any time, or type "article 5" to jump.',
    "read.no_article": "{label} was not found in this draft.",
    "compose.pick_round": "Which draft would you like to comment on?",
    "compose.ask_text.round": 'Please type your comment on the draft "{title}":',
    "compose.ask_text.article": 'Please type your comment on {label}{heading} of "{title}":',
    "compose.ask_stance": "What is your position on this?",
    "stance.support": "👍 Support",
    "stance.oppose": "👎 Oppose",
    "stance.suggest": "✏️ Suggest a change",
    "stance.other": "💬 Other",
    "compose.confirm": (
        "Please check your comment:\n\nDraft: {title}\nOn: {target}\nPosition: {stance}\n"
        "Sent as: {respondent}\n\n«{text}»\n\nSend this comment?"
    ),
    "compose.target.round": "the whole draft",
    "respondent.citizen": "an individual",
    "respondent.business": "a business ({organisation})",
    "compose.send": "✅ Send",
    "compose.edit": "✏️ Edit text",
    "compose.as_business": "🏢 Send on behalf of a business",
    "compose.as_citizen": "👤 Send as an individual",
    "compose.ask_org": "Please type the name of your business or organisation:",
    "compose.org_invalid": "The name cannot be empty and has at most 300 characters. Please retype:",
    "compose.edit_prompt": "Please type your comment again:",
    "compose.captured": "I kept what you just typed as a comment.",
    "compose.done": (
        "✅ Comment no. {id} recorded. Thank you! The drafting agency will compile comments and "
        'publish what it accepted or explained. Type "mine" to follow up.'
    ),
    "compose.held": (
        "Comment no. {id} was recorded and will be reviewed before publication because it "
        "contains words that may be inappropriate."
    ),
    "compose.cancelled": "Cancelled. Nothing was sent.",
    "compose.duplicate": (
        "A very similar comment already exists ({count} people co-signed it):\n\n«{body}»\n\n"
        "Would you like to co-sign it, or send your own comment anyway?"
    ),
    "compose.cosign": "🤝 Co-sign",
    "compose.own": "✍️ Send my own",
    "compose.cosigned": "🤝 You co-signed. This comment now has {count} co-signatures.",
    "ask.pick_round": "Which draft is your question about?",
    "ask.prompt": "Please type your question to {agency}:",
    "ask.done": (
        "✅ Question no. {id} sent to {agency}. Answer due by {due}. The answer will reach you "
        "on this channel."
    ),
    "mine.empty": "You have not sent any comment or question yet.",
    "mine.comments": "Your comments:",
    "mine.comment": "• No. {id} – {round}{label}: «{body}»\n  {status}",
    "mine.questions": "Your questions:",
    "mine.question": "• No. {id}: «{body}»\n  {status}",
    "outcome.none": "Awaiting review by the drafting agency",
    "outcome.accepted": "Accepted",
    "outcome.partly_accepted": "Partly accepted",
    "outcome.explained": "Explained",
    "moderation.pending": "Awaiting moderation",
    "moderation.hidden": "Not published",
    "question.open": "Awaiting an answer (due {due})",
    "question.answered": "Answered: {answer}",
    "question.closed": "Closed",
    "follow.title": "Follow to be told about new drafts and about what became of comments.",
    "follow.all": "🔔 Follow all new drafts",
    "follow.all_off": "🔕 Stop following new drafts",
    "follow.on": "🔔 Following.",
    "follow.off": "🔕 Not following any more.",
    "follow.already": "You already follow this.",
    "language.set": "Switched to English.",
    "privacy.title": (
        "Privacy: we store your account id on this channel, your language, your comments and "
        "questions, and when you consented (text version {version}). You can:"
    ),
    "privacy.export": "📦 See my data",
    "privacy.forget": "🗑 Erase my data",
    "privacy.export_text": "The data we hold about you:\n\n{data}",
    "privacy.forget_confirm": (
        "Erasing removes your account from the system at once. Comments you sent stay in the "
        "consultation record, anonymous and no longer linked to you. Are you sure?"
    ),
    "privacy.forget_yes": "🗑 Yes, erase my data",
    "privacy.forgotten": "Your data has been erased. Thank you for taking part.",
    "help.text": (
        'Help:\n• Type "menu" for the main menu.\n• Type "drafts" to read, "article 2" to '
        "jump to article 2.\n• While reading an article, just type your opinion to comment on "
        'it.\n• Type "ask" to ask a question, "mine" to see your comments and answers.\n'
        '• Type "privacy" to see or erase your data.'
    ),
    "unknown.text": 'Sorry, I did not understand. Choose an item below or type "help".',
    "unknown.action": "This button is no longer valid. Please choose again.",
    "unsupported.media": (
        "Sorry, this channel does not take {kind}. Please type your message, or send a photo or "
        "file with a comment."
    ),
    "attachment.kept": "Attachment received; it will be sent with your comment.",
    "throttled": "You are sending too fast. Please wait a few seconds.",
    "error.generic": "Sorry, something went wrong. What you sent before is kept.",
    "error.round.not_found": "This draft was not found.",
    "error.round.not_open": "This draft is not taking comments (not yet open or already closed).",
    "error.section.not_found": "This article was not found in the draft.",
    "error.comment.empty": "The comment is empty. Please type something.",
    "error.comment.too_long": "The comment is too long (at most {limit} characters).",
    "error.comment.not_found": "This comment was not found.",
    "error.question.empty": "The question is empty. Please type something.",
    "error.question.too_long": "The question is too long (at most {limit} characters).",
    "error.rating.out_of_range": "Please choose a score from 1 to 5.",
    "error.rating.target_not_found": "What you are rating was not found.",
    "error.participant.not_found": 'Your account was not found. Type "menu" to start again.',
    "error.empty": "The message is empty. Please type something.",
    "error.too_long": "The message is too long (at most {limit} characters).",
    "rate.prompt": "How would you rate this answer? (1 = very dissatisfied, 5 = very satisfied)",
    "rate.thanks": "Thank you for rating {score}/5.",
    "answer.relay": "📩 {agency} answered your question no. {id}:\n\n«{question}»\n\n{answer}",
    "media.voice": "voice messages",
    "media.audio": "audio files",
    "media.sticker": "stickers",
    "media.gif": "GIFs",
    "media.video": "videos",
    "media.location": "locations",
    "media.contact": "contacts",
    "media.other": "this kind of message",
    "error.bad_request": "Invalid request. Please reload the page and try again.",
    "media.edited": "edited messages (please send a new message)",
    "follow.agency": "🔔 Follow {name}",
    "follow.agency_off": "🔕 Unfollow {name}",
}
