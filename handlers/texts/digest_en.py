"""English texts of the agencies' digests, round announcements and scheduled reminders."""

TEXTS: dict[str, str] = {
    # digest: heading and period
    "digest.subject": "[Consultation] Digest ({kind}) – {agency} – {end}",
    "digest.kind.daily": "daily",
    "digest.kind.weekly": "weekly",
    "digest.title": "📊 Consultation digest ({kind}) – {agency}",
    "digest.period": "From {start} to {end}",
    "digest.empty": (
        "📊 Consultation digest ({kind}) – {agency} ({start} – {end}): no new comments, "
        "questions or ratings."
    ),
    "digest.part": "(part {n}/{total})",
    "digest.no_rounds": "No draft was open for comments in this period.",
    # digest: one round
    "digest.round.title": "📄 {title}",
    "digest.round.closes": "Comments close: {date}",
    "digest.round.closed": "The consultation has closed.",
    "digest.round.new": "New in this period: {comments} comments, {cosignatures} co-signatures.",
    "digest.round.totals": "Since the start: {comments} comments, {cosignatures} co-signatures.",
    "digest.round.quiet": "No new comments in this period.",
    "digest.articles.title": "By article (most discussed first):",
    "digest.articles.item": "• {label}: {comments} comments, {cosignatures} co-signatures",
    "digest.articles.whole": "The whole draft",
    "digest.articles.more": "• … and {count} more articles",
    "digest.stances.title": "By stance: {items}",
    "digest.kinds.title": "By respondent: {items}",
    "digest.stance.support": "support",
    "digest.stance.oppose": "oppose",
    "digest.stance.suggest": "suggest a change",
    "digest.stance.other": "other",
    "digest.kind_of.citizen": "citizens",
    "digest.kind_of.business": "businesses",
    "digest.themes.title": "Key themes:",
    "digest.themes.item": "• «{phrase}» – {count} comments. Example (#{id}): «{example}»",
    "digest.themes.sampled": "(themes drawn from {sampled} of {total} new comments)",
    "digest.campaigns.title": "Near-identical comments (grouped):",
    "digest.campaigns.item": (
        "• {count} near-identical comments{where}, {cosignatures} co-signatures. "
        "Example (#{id}): «{example}»"
    ),
    "digest.campaigns.where": " ({label})",
    "digest.cosigned.title": "Most co-signed in this period:",
    "digest.cosigned.item": "• #{id}: +{new} co-signatures ({total} in all). «{example}»",
    # digest: questions
    "digest.questions.title": "❓ Citizens' questions",
    "digest.questions.summary": (
        "New: {new} · Due within {days} days: {soon} · Overdue: {overdue} · "
        "Answered in this period: {answered} · Awaiting an answer: {open}"
    ),
    "digest.questions.overdue": "⚠️ Overdue:",
    "digest.questions.soon": "⏳ Due soon:",
    "digest.questions.new": "🆕 New:",
    "digest.questions.item": "• #Q{id} – due {due} – {round}\n  «{text}»\n  To answer: /answer {id} <text>",
    "digest.questions.general": "general question",
    "digest.questions.more": "• … and {count} more (/questions lists them)",
    # digest: satisfaction
    "digest.satisfaction.title": "⭐ Satisfaction (ratings of 4–5 stars)",
    "digest.satisfaction.period": "In this period: {satisfied}/{ratings} ({share})",
    "digest.satisfaction.total": "To date: {satisfied}/{ratings} ({share})",
    "digest.satisfaction.none": "no ratings yet",
    # e-mail
    "digest.email.attachment": "Attached: the {rows} comments of this period (Excel).",
    "digest.email.truncated": "The file holds the first {rows} of {total} comments.",
    "digest.email.footer": "An automatic message from the consultation system; please do not reply.",
    # spreadsheet columns
    "digest.xlsx.sheet": "Comments",
    "digest.xlsx.id": "No.",
    "digest.xlsx.time": "Time",
    "digest.xlsx.round": "Draft",
    "digest.xlsx.article": "Article",
    "digest.xlsx.stance": "Stance",
    "digest.xlsx.kind": "Respondent",
    "digest.xlsx.organisation": "Organisation",
    "digest.xlsx.cosignatures": "Co-signatures",
    "digest.xlsx.moderation": "Moderation",
    "digest.xlsx.text": "Text (contact details removed)",
    "digest.xlsx.truncated": "… {count} more comments are not in this file.",
    # announcements to followers
    "notice.opened": (
        "🔔 A new draft is open for comments: «{title}» by {agency}. Comments close {closes}.\n"
        "Read it article by article and tell us what you think."
    ),
    "notice.opened_no_end": (
        "🔔 A new draft is open for comments: «{title}» by {agency}.\n"
        "Read it article by article and tell us what you think."
    ),
    "notice.closed": (
        "🔔 The consultation on «{title}» by {agency} has closed. Thank you for your interest; "
        "the agency will publish how it took the comments into account."
    ),
    "notice.read": "📖 Read the draft",
    "notice.closing": (
        "⏳ Comments on «{title}» close {closes}. You started a comment and have not sent it "
        "yet; finish it so that your view is recorded."
    ),
    "notice.continue": "✍️ Continue my comment",
    "notice.questions.title": "⏰ Reminder: citizens' questions awaiting an answer",
    "notice.questions.overdue": "⚠️ Overdue:",
    "notice.questions.soon": "⏳ Due soon:",
    # errors (CLI and console)
    "error.digest.bad_kind": "Unknown digest kind: {kind} (daily or weekly).",
    "error.digest.bad_cron": "Invalid schedule: {cron} (five fields, e.g. \"30 7 * * *\").",
    "error.digest.bad_email": "Invalid e-mail address: {address}",
    "error.digest.not_found": "There is no such digest.",
    "error.job.unknown": "There is no job named {name}.",
}
