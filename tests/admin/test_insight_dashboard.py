"""A round's dashboard: per-day participation, stance per article, respondents, themes,
satisfaction; charts as inline SVG with a table of the same figures."""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest

from consultations import comments, ratings
from consultations.console import dashboard
from storage.clock import FixedClock
from storage.uow import UnitOfWorkFactory
from tests.admin.conftest import ClientFactory, People, signed_in
from tests.admin.consultation_data import Seeded, articles, person, seed

PARKING = (
    "Phí trông giữ xe ở chợ quá cao, đề nghị giảm <img src=x onerror=alert(1)>",
    "Đề nghị quy định rõ phí trông giữ xe máy cho tiểu thương",
    "Mức phí trông giữ xe nên do ban quản lý chợ công khai",
)


@pytest.fixture
async def seeded(uow_factory: UnitOfWorkFactory, clock: FixedClock, people: People) -> Seeded:
    """The shared data, comments about parking fees a day later, and four ratings."""
    found = await seed(uow_factory, clock, people)
    clock.advance(timedelta(days=-1))
    async with uow_factory() as uow:
        section = (await articles(uow, people.round_a))["Điều 2"]
        for n, text in enumerate(PARKING):
            pid = await person(uow, "zalo", f"z-park-{n}")
            await comments.submit(uow, participant_id=pid, round_id=people.round_a,
                                  stance="suggest", text=text, section_id=section,
                                  channel="zalo")
        who = found.person
        for pid, target, target_id, score in (
            (who["an"], "round", people.round_a, 5), (who["binh"], "round", people.round_a, 4),
            (who["web"], "question", found.question["pii"], 2),
            (who["other"], "round", people.round_b, 1),
        ):
            await ratings.rate(uow, participant_id=pid, target=target, target_id=target_id,
                               score=score)
        await uow.commit()
    clock.advance(timedelta(days=1))
    return found


async def test_the_figures_count_what_happened_in_the_round(
    uow_factory: UnitOfWorkFactory, people: People, seeded: Seeded
) -> None:
    async with uow_factory() as uow:
        board = await dashboard.build(uow, people.round_a, tz=ZoneInfo("Asia/Ho_Chi_Minh"))
    assert [(d.day.isoformat(), d.comments) for d in board.per_day] == [
        ("2026-11-27", 7), ("2026-11-28", 3), ("2026-11-29", 0)], \
        "every comment received (held ones too), by Vietnam day, empty days included"
    by_article = {a.label: a.by_stance for a in board.articles}
    assert by_article == {None: {"oppose": 1}, "Điều 1": {"support": 1},
                          "Điều 2": {"suggest": 4}, "Điều 3": {"suggest": 3}}, \
        "visible comments only: the held one is not counted"
    assert board.respondents == {"citizen": 8, "business": 1}
    assert (board.satisfaction.ratings, board.satisfaction.satisfied) == (3, 2), \
        "the round's and its answers' ratings, not another round's"
    assert board.questions == {"total": 2, "open": 2, "overdue": 1}
    assert "phí trông giữ xe" in [t.phrase.lower() for t in board.themes]


async def test_the_dashboard_draws_svg_charts_with_tables_and_escapes_text(
    client_factory: ClientFactory, people: People, seeded: Seeded
) -> None:
    hoa = await signed_in(client_factory, "hoa")
    status, html = await hoa.get(f"/admin/insight/rounds/{people.round_a}")
    assert status == 200
    assert html.count('<svg class="chart"') == 1 and html.count('<svg class="stack-bar"') == 7
    assert html.count('role="img"') == 4, "each chart is one image for assistive technology"
    assert html.count('<table class="table data">') == 3, "each chart has its figures as a table"
    assert "<script" not in html.replace('<script src="/admin/static/admin.js" defer></script>',
                                         ""), "no inline script"
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html, \
        "a theme's example comment is shown escaped"
    assert "2/3 lượt đánh giá ở mức 4–5 (67%)." in html
    cells = re.findall(r"<tr><td>(\d\d/\d\d/\d{4})</td><td class=\"num\">(\d+)</td></tr>", html)
    assert cells == [("27/11/2026", "7"), ("28/11/2026", "3"), ("29/11/2026", "0")]


async def test_another_agencys_dashboard_is_not_found(
    client_factory: ClientFactory, people: People, seeded: Seeded
) -> None:
    minh = await signed_in(client_factory, "minh")
    status, html = await minh.get(f"/admin/insight/rounds/{people.round_a}")
    assert status == 404 and "Dự thảo Quyết định thử nghiệm" not in html
    _, listing = await minh.get("/admin/insight")
    assert "Dự thảo của Sở Khác" in listing and "Dự thảo Quyết định thử nghiệm" not in listing


async def test_an_empty_round_has_a_calm_dashboard(
    client_factory: ClientFactory, people: People
) -> None:
    lan = await signed_in(client_factory, "lan")
    status, html = await lan.get(f"/admin/insight/rounds/{people.round_a}")
    assert status == 200 and "Chưa có lượt đánh giá nào." in html
    assert "Chưa đủ góp ý để nhận ra chủ đề." in html
