"""Markup typed into any field is shown as text everywhere, never run."""

from __future__ import annotations

import re

import aiohttp

from tests.admin.conftest import ClientFactory, People, signed_in

SCRIPT = "<script>alert(1)</script>"
ESCAPED = "&lt;script&gt;alert(1)&lt;/script&gt;"


async def test_a_round_titled_with_a_script_shows_escaped_everywhere(
    client_factory: ClientFactory, people: People
) -> None:
    minh = await signed_in(client_factory, "minh")
    await minh.get("/admin/rounds/new")
    status, draft_page = await minh.post("/admin/rounds/new", {
        "title": SCRIPT, "summary": '"><img src=x onerror=alert(2)>',
        "audience": "<b>doanh nghiệp</b>", "document_type": "legal"})
    assert status == 200
    round_id = re.search(r"/admin/rounds/(\d+)/draft", minh.url).group(1)  # type: ignore[union-attr]
    pages = [draft_page]
    for path in ("/admin/rounds", f"/admin/rounds/{round_id}", f"/admin/rounds/{round_id}/edit"):
        pages.append((await minh.get(path))[1])
    for html in pages:
        assert SCRIPT not in html, "a typed <script> reached a page as markup"
        assert ESCAPED in html, "the title is shown, as text"
        assert "<img src=x" not in html and "<b>doanh" not in html


async def test_markup_in_a_pasted_draft_is_previewed_as_text(
    client_factory: ClientFactory, people: People
) -> None:
    minh = await signed_in(client_factory, "minh")
    await minh.get(f"/admin/rounds/{people.round_b}/draft")
    form = aiohttp.FormData()
    form.add_field("draft", f"Điều 1. {SCRIPT}\nNội dung <iframe src=//evil>.")
    form.add_field("action", "preview")
    _, html = await minh.post(f"/admin/rounds/{people.round_b}/draft", form)
    assert SCRIPT not in html and "<iframe" not in html
    assert ESCAPED in html


async def test_pages_forbid_inline_script_and_framing(client_factory: ClientFactory) -> None:
    lan = await signed_in(client_factory, "lan")
    async with lan.session.get(lan.base + "/admin/rounds") as response:
        policy = response.headers["Content-Security-Policy"]
        html = await response.text()
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "frame-ancestors 'none'" in policy and response.headers["X-Frame-Options"] == "DENY"
    assert "http://" not in html and "https://" not in html, "no CDN, no external fonts"


async def test_a_login_typed_with_markup_is_echoed_escaped(client_factory: ClientFactory) -> None:
    client = await client_factory()
    await client.get("/admin/login")
    _, html = await client.post("/admin/login", {"login": '"><script>x()</script>',
                                                 "password": "sai-mat-khau-roi"})
    assert "<script>x()" not in html and "&lt;script&gt;x()" in html
