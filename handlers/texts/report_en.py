"""English texts for publishing outcomes: the personal note each commenter receives."""

TEXTS: dict[str, str] = {
    "report.note.title": (
        "📣 Outcome of the consultation\n"
        "{agency} has published its report on the comments received on «{round}»: what was "
        "accepted and what was explained. Thank you for taking part! Here is what became of "
        "your comments."
    ),
    "report.note.own": "• Comment no. {id} ({article}): «{body}»\n  → {result}",
    "report.note.cosigned": "• Comment no. {id} you co-signed ({article}): «{body}»\n  → {result}",
    "report.note.whole_draft": "the whole draft",
    "report.note.with_reason": "{outcome}. Reason: {reason}",
    "report.note.pending": "The drafting agency recorded no outcome for this comment",
    "report.note.more": "… and {count} more: see them all under «My comments & answers».",
    "report.note.mine_button": "📋 My comments",
    "error.report.round_not_closed": (
        "This consultation has not ended yet. Outcomes and open data are published only once it "
        "is closed."
    ),
    "error.report.outcomes_missing": (
        "{missing} comments have no outcome yet. Record their outcomes, or publish while "
        "confirming the exact number still missing ({missing})."
    ),
    "error.report.missing_mismatch": (
        "{missing} comments have no outcome, not {stated}. Please check before publishing."
    ),
    "error.report.bad_format": "Unsupported format. Choose one of: {formats}.",
}
