"""The Zalo Official Account (Open API v3) bridge; see bridge.py and docs/zalo.md."""
