"""English texts of the Zalo OA channel."""

TEXTS: dict[str, str] = {
    # user_submit_info: what a citizen shared through Zalo's "share my information" form
    "media.shared_info": "personal details through a form (they were not stored)",
}
