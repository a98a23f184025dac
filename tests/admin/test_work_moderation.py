"""The comment queue over real HTTP: held comments first, filters, moderating, scoping."""

from __future__ import annotations

import re

import pytest
from sqlalchemy.ext.asyncio import AsyncEngine

from storage.clock import FixedClock
from storage.engine import session_factory
from storage.models import Comment
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import ClientFactory, People, actor, audit_actions, signed_in
from tests.admin.consultation_data import ABUSIVE, HTML_COMMENT, Seeded, articles, seed


@pytest.fixture
async def seeded(uow_factory: UnitOfWorkFactory, clock: FixedClock, people: People) -> Seeded:
    return await seed(uow_factory, clock, people)


async def _comment(engine: AsyncEngine, comment_id: int) -> Comment:
    async with UnitOfWorkFactory(session_factory(engine))() as uow:
        row = await uow.session.get(Comment, comment_id)
        assert row is not None
        return row


def _order(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'id="c(\d+)-title"', html)]


async def test_the_queue_lists_held_comments_first_then_in_arrival_order(
    client_factory: ClientFactory, people: People, seeded: Seeded
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    status, html = await hoa.get(f"/admin/work/comments/rounds/{people.round_a}")
    assert status == 200
    ids = seeded.comment
    expected = [ids["abusive"], ids["plain"], ids["html"], ids["business"],
                ids["petition0"], ids["petition1"], ids["petition2"]]
    assert _order(html) == expected, "the held comment should lead, the rest in arrival order"
    assert ABUSIVE in html, "moderators read the held comment's text to judge it"
    _, overview = await hoa.get("/admin/work/comments")
    assert f"/admin/work/comments/rounds/{people.round_a}?moderation=pending" in overview
    assert "Dự thảo của Sở Khác" not in overview, "another agency's round is listed"


async def test_filters_narrow_the_queue_by_article_stance_and_moderation(
    client_factory: ClientFactory, people: People, seeded: Seeded, uow_factory: UnitOfWorkFactory
) -> None:
    async with uow_factory() as uow:
        article_3 = (await articles(uow, people.round_a))["Điều 3"]
    lan = await signed_in(client_factory, "lan")
    base = f"/admin/work/comments/rounds/{people.round_a}"
    _, html = await lan.get(f"{base}?article={article_3}")
    assert _order(html) == [seeded.comment[f"petition{i}"] for i in range(3)]
    _, html = await lan.get(f"{base}?article=whole")
    assert _order(html) == [seeded.comment["html"]], "only the whole-draft comment"
    _, html = await lan.get(f"{base}?stance=oppose&moderation=visible")
    assert _order(html) == [seeded.comment["html"]]
    _, html = await lan.get(f"{base}?stance=<script>&moderation=../../x&article=1 OR 1=1")
    assert len(_order(html)) == 7, "nonsense filters are ignored, not passed to the database"


async def test_html_typed_by_a_citizen_is_shown_escaped(
    client_factory: ClientFactory, people: People, seeded: Seeded
) -> None:
    lan = await signed_in(client_factory, "lan")
    for path in (f"/admin/work/comments/rounds/{people.round_a}",
                 f"/admin/work/comments/{seeded.comment['html']}",
                 f"/admin/work/comments/{seeded.comment['business']}"):
        _, html = await lan.get(path)
        assert "<script>alert" not in html and "<b>Đề nghị</b>" not in html, path
    _, html = await lan.get(f"/admin/work/comments/{seeded.comment['html']}")
    assert "&lt;script&gt;alert(&#39;xss&#39;)&lt;/script&gt;&lt;b&gt;Đề nghị&lt;/b&gt;" in html
    assert HTML_COMMENT not in html


async def test_a_moderator_approves_a_held_comment_and_it_is_audited(
    client_factory: ClientFactory, people: People, seeded: Seeded, engine: AsyncEngine
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    queue = f"/admin/work/comments/rounds/{people.round_a}"
    await hoa.get(queue)
    held = seeded.comment["abusive"]
    status, html = await hoa.post(f"/admin/work/comments/{held}/moderate",
                                  {"action": "approve", "next": queue + "?moderation=pending"})
    assert status == 200 and hoa.url.endswith(queue + "?moderation=pending"), hoa.url
    assert f"Đã duyệt góp ý số {held}." in html
    assert (await _comment(engine, held)).moderation == "visible"
    entries = await audit_actions(engine, "comment.moderate")
    assert [(e.target, e.actor, e.details["from"], e.details["to"]) for e in entries] == [
        (f"comment:{held}", await actor(engine, "hoa"), "pending", "visible")]


async def test_hiding_needs_a_reason_which_is_kept(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    target = seeded.comment["plain"]
    await hoa.get(f"/admin/work/comments/{target}")
    status, html = await hoa.post(f"/admin/work/comments/{target}/moderate",
                                  {"action": "hide", "reason": "   "})
    assert status == 400 and "Vui lòng ghi lý do ẩn góp ý." in html
    assert (await _comment(engine, target)).moderation == "visible", "refused, nothing changed"
    status, _ = await hoa.post(f"/admin/work/comments/{target}/moderate",
                               {"action": "hide", "reason": "Trùng lặp <nội dung>"})
    row = await _comment(engine, target)
    assert (row.moderation, row.moderation_note) == ("hidden", "Trùng lặp <nội dung>")
    _, html = await hoa.get(f"/admin/work/comments/{target}")
    assert "Trùng lặp &lt;nội dung&gt;" in html
    status, _ = await hoa.post(f"/admin/work/comments/{target}/moderate", {"action": "delete"})
    assert status == 400, "an action outside the list is refused"


async def test_marking_abusive_takes_a_comment_out_of_the_report(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    lan = await signed_in(client_factory, "lan")
    target = seeded.comment["business"]
    await lan.get(f"/admin/work/comments/{target}")
    await lan.post(f"/admin/work/comments/{target}/moderate", {"action": "abusive"})
    assert (await _comment(engine, target)).moderation == "abusive"


async def test_another_agencys_comment_cannot_be_read_or_moderated_by_editing_the_url(
    client_factory: ClientFactory, people: People, seeded: Seeded, engine: AsyncEngine
) -> None:
    minh = await signed_in(client_factory, "minh")
    theirs = seeded.comment["plain"]
    status, html = await minh.get(f"/admin/work/comments/{theirs}")
    assert status == 404 and "Tôi đồng ý với phạm vi" not in html
    status, _ = await minh.get(f"/admin/work/comments/rounds/{people.round_a}")
    assert status == 404
    status, _ = await minh.post(f"/admin/work/comments/{theirs}/moderate",
                                {"action": "hide", "reason": "phá"})
    assert status == 404
    status, _ = await minh.post(f"/admin/work/comments/{theirs}/outcome",
                                {"outcome": "accepted"})
    assert status == 404
    row = await _comment(engine, theirs)
    assert (row.moderation, row.outcome) == ("visible", None), "another agency changed it"
    assert len(await audit_actions(engine, "console.denied")) == 4
    _, own = await minh.get(f"/admin/work/comments/{seeded.comment['other']}")
    assert "Góp ý riêng cho Sở Khác" in own, "staff still reach their own agency's comments"


async def test_an_unsafe_return_address_is_not_followed(
    client_factory: ClientFactory, seeded: Seeded
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    target = seeded.comment["abusive"]
    await hoa.get(f"/admin/work/comments/{target}")
    await hoa.post(f"/admin/work/comments/{target}/moderate",
                   {"action": "approve", "next": "https://evil.example/admin/work/comments"})
    assert hoa.url.endswith(f"/admin/work/comments/{target}"), hoa.url


async def test_a_moderator_may_not_set_outcomes(
    client_factory: ClientFactory, seeded: Seeded, engine: AsyncEngine
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    target = seeded.comment["plain"]
    _, html = await hoa.get(f"/admin/work/comments/{target}")
    assert "/outcome" not in html, "no outcome form for a moderator"
    status, _ = await hoa.post(f"/admin/work/comments/{target}/outcome", {"outcome": "accepted"})
    assert status == 403
    assert (await _comment(engine, target)).outcome is None


async def test_every_new_page_reads_in_english_without_missing_texts(
    client_factory: ClientFactory, people: People, seeded: Seeded, caplog: pytest.LogCaptureFixture
) -> None:
    root = await signed_in(client_factory, "root")
    await root.post("/admin/language", {"locale": "en", "next": "/admin/work/comments"})
    round_a, petition = people.round_a, seeded.comment["petition0"]
    pages = [
        "/admin/work/comments", f"/admin/work/comments/rounds/{round_a}",
        f"/admin/work/comments/{seeded.comment['abusive']}",
        f"/admin/work/comments/rounds/{round_a}/groups",
        f"/admin/work/comments/rounds/{round_a}/groups/{petition}",
        "/admin/work/questions", f"/admin/work/questions/{seeded.question['late']}",
        "/admin/work/privacy", "/admin/insight", f"/admin/insight/rounds/{round_a}",
        "/admin/outputs", f"/admin/outputs/rounds/{round_a}", f"/admin/rounds/{round_a}",
    ]
    for path in pages:
        status, html = await root.get(path)
        assert status == 200 and 'lang="en"' in html, path
    assert "Comments to handle" in (await root.get("/admin/work/comments"))[1]
    missing = [r.getMessage() for r in caplog.records if "missing" in r.getMessage()]
    assert missing == [], f"texts missing from the catalog: {missing}"
