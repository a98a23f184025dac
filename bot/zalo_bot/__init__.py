"""The Zalo Bot Platform channel ("zalo_bot"): bridge, webhook, updates, sender and a stand-in."""
