"""What the admin console needs from the domain beyond the chat flows.

Staff sign-in and lock-out, who may see and do what, round editing, draft
previews and announcements. Plain async functions over a unit of work, like the
rest of `consultations`; the web layer lives in `bot/admin`.
"""
