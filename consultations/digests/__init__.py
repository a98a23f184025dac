"""The agencies' digests, and the domain side of the scheduled jobs.

A digest reports, per agency and per round open during its period, what happened
in the period [end of the last digest of its kind, now): new comments and
co-signatures by article, stance and respondent kind, key phrases (themes),
near-identical campaigns, questions new, due soon and overdue, satisfaction, and
running totals. Everything is counted in SQL; themes and campaigns look at a
bounded sample. The scheduled sweeps' domain lives here too: which rounds to
announce and to whom, who to remind of an unfinished comment, which questions
are nearly or already due.

Modules: content (the data), store (periods, stored digests), activity (counts),
sample, themes, campaigns, questions, satisfaction, assemble (building one),
destinations, schedule (per-agency settings), export (spreadsheet rows),
announcements, reminders, marks, reach (channel rules).
"""

from consultations.digests.assemble import build
from consultations.digests.content import DigestContent, Period
from consultations.digests.store import DigestRecord, next_period, save

__all__ = ["DigestContent", "DigestRecord", "Period", "build", "next_period", "save"]
