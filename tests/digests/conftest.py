"""A consultation whose digest is known in advance: who said what, on which article, when.

Timeline (UTC; the FixedClock starts at 2026-11-27 02:00, 09:00 in Hanoi):
  02:00  the round opens (open_round); comments every 10 minutes after that
  day 1  questions are asked (one due the next day, one due in 3 days, one in 15)
  END    2026-11-29 02:00: the first digest covers everything up to here
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest

from consultations import (
    comments,
    participants,
    questions,
    ratings,
    rounds,
    sections,
    staff,
    staff_links,
    subscriptions,
)
from consultations.digests import destinations
from consultations.vocab import Purpose, RespondentKind
from storage.clock import FixedClock
from storage.models import AgencyChannel, Subscription
from storage.uow import UnitOfWorkFactory

END = datetime(2026, 11, 29, 2, 0, tzinfo=UTC)
GROUP = "-100777"
STAFF_CHAT = "5550001"
EMAIL = "van-thu@so-test.gov.vn"
THEME = "phí trông giữ xe"
THEME_COMMENTS = [
    "Đề nghị giảm phí trông giữ xe tại bệnh viện tỉnh cho người nhà bệnh nhân.",
    "Phí trông giữ xe máy ở chợ trung tâm quá cao so với thu nhập của tiểu thương.",
    "Cần công khai phí trông giữ xe tại các điểm du lịch để tránh chặt chém.",
    "phi trong giu xe o truong hoc nen mien cho phu huynh dua don con.",
    "Nên quy định mức trần phí trông giữ xe ô tô ban đêm trong khu dân cư.",
    "Tôi không đồng ý tăng phí trông giữ xe đạp vì học sinh đi lại nhiều.",
]
PETITION = (
    "Chúng tôi, các hộ kinh doanh tại chợ Bến Thành, đề nghị giữ nguyên mức phí thuê quầy như "
    "năm trước vì thu nhập của tiểu thương đang giảm mạnh sau dịch bệnh và giá hàng hóa tăng cao."
)
SIGNERS = [
    ("Kính gửi Sở,", "Nguyễn Văn An", "0912 345 678"),
    ("Kính gửi,", "Trần Thị Bình", "0987 654 321"),
    ("Xin chào,", "Lê Văn Cường", "0903 111 222"),
    ("Kính thưa Sở,", "Phạm Thị Dung", "0934 555 666"),
    ("Kính gửi Ban soạn thảo,", "Hoàng Văn Em", "0977 888 999"),
]


@dataclass
class Known:
    """What the seeded consultation holds, and so what its digest must say."""

    agency_id: int
    round_id: int
    article_ids: dict[str, int]
    participant_ids: list[int] = field(default_factory=list)
    campaign_ids: list[int] = field(default_factory=list)
    cosigned_id: int = 0
    overdue_id: int = 0
    soon_id: int = 0
    later_id: int = 0
    answered_id: int = 0
    staff_id: int = 0


async def person(
    uow_factory: UnitOfWorkFactory,
    ref: str,
    *,
    business: str | None = None,
    channel: str = "telegram",
    notify: bool = False,
) -> int:
    async with uow_factory() as uow:
        view = await participants.grant_consent(uow, channel, ref)
        if notify:
            await participants.grant_consent(uow, channel, ref, Purpose.NOTIFY)
        if business:
            await participants.set_respondent(uow, view.id, RespondentKind.BUSINESS, business)
        await uow.commit()
        return view.id


async def follower(
    uows: UnitOfWorkFactory,
    ref: str,
    target: str,
    target_id: int = 0,
    *,
    channel: str = "telegram",
    notify: bool = True,
) -> int:
    pid = await person(uows, ref, channel=channel, notify=notify)
    async with uows() as uow:
        if notify:
            await subscriptions.follow(uow, pid, target, target_id)
        else:  # a subscription without the notification consent (e.g. consent withdrawn)
            uow.session.add(
                Subscription(
                    participant_id=pid, target=target, target_id=target_id, created_at=uow.now()
                )
            )
        await uow.commit()
    return pid


async def comment(
    uow_factory: UnitOfWorkFactory,
    clock: FixedClock,
    who: int,
    round_id: int,
    article: int | None,
    stance: str,
    text: str,
) -> int:
    clock.advance(timedelta(minutes=10))
    async with uow_factory() as uow:
        made = await comments.submit(
            uow,
            participant_id=who,
            round_id=round_id,
            section_id=article,
            stance=stance,
            text=text,
            channel="telegram",
        )
        await uow.commit()
        return made.id


async def _articles(uow_factory: UnitOfWorkFactory, round_id: int) -> dict[str, int]:
    async with uow_factory() as uow:
        found = await sections.list_articles(uow, round_id)
    return {item.label: item.id for item in found}


async def seed_comments(uow_factory: UnitOfWorkFactory, clock: FixedClock, known: Known) -> None:
    """14 comments: 6 on Điều 2 (the theme), 5 campaign copies on Điều 3, 2 on Điều 1 (one by a
    business), 1 on the whole draft (a business); 4 co-signatures on the first Điều 2 one."""
    people = [await person(uow_factory, f"u{n}") for n in range(1, 16)]
    firm = await person(uow_factory, "b1", business="Công ty TNHH An Phát")
    known.participant_ids = [*people, firm]
    art = known.article_ids
    stances = ["oppose", "oppose", "oppose", "suggest", "suggest", "support"]
    theme_ids = [
        await comment(
            uow_factory, clock, people[i], known.round_id, art["Điều 2"], stances[i], text
        )
        for i, text in enumerate(THEME_COMMENTS)
    ]
    for i, (greeting, name, phone) in enumerate(SIGNERS):
        text = f"{greeting} {PETITION} Người ký: {name}, điện thoại {phone}."
        known.campaign_ids.append(
            await comment(
                uow_factory, clock, people[6 + i], known.round_id, art["Điều 3"], "oppose", text
            )
        )
    await comment(
        uow_factory,
        clock,
        people[11],
        known.round_id,
        art["Điều 1"],
        "support",
        "Phạm vi điều chỉnh rõ ràng, tôi đồng tình.",
    )
    await comment(
        uow_factory,
        clock,
        firm,
        known.round_id,
        art["Điều 1"],
        "other",
        "Doanh nghiệp cần thêm thời gian chuẩn bị hồ sơ.",
    )
    await comment(
        uow_factory,
        clock,
        firm,
        known.round_id,
        None,
        "suggest",
        "Đề nghị bổ sung lộ trình áp dụng cho doanh nghiệp nhỏ.",
    )
    known.cosigned_id = theme_ids[0]
    for who in people[11:15]:
        clock.advance(timedelta(minutes=5))
        async with uow_factory() as uow:
            await comments.cosign(uow, participant_id=who, comment_id=known.cosigned_id)
            await uow.commit()


async def seed_questions(uow_factory: UnitOfWorkFactory, clock: FixedClock, known: Known) -> None:
    """Asked on day 1: one due the next day (overdue at END), one due in 3 days (due soon at
    END), one in 15 days; a fourth answered and rated 5, 4 and 2."""
    asker = known.participant_ids[0]
    clock.set(datetime(2026, 11, 27, 12, 0, tzinfo=UTC))
    async with uow_factory() as uow:
        ask = questions.ask
        rid = known.round_id
        overdue = await ask(
            uow,
            participant_id=asker,
            round_id=rid,
            channel="telegram",
            due_days=1,
            text="Gọi tôi 0912 345 678: khi nào áp dụng quy định?",
        )
        soon = await ask(
            uow,
            participant_id=asker,
            round_id=rid,
            channel="telegram",
            due_days=3,
            text="Hộ kinh doanh có phải đăng ký lại không?",
        )
        later = await ask(
            uow,
            participant_id=asker,
            round_id=rid,
            channel="telegram",
            text="Phí có được miễn cho người khuyết tật không?",
        )
        answered = await ask(
            uow,
            participant_id=asker,
            round_id=rid,
            channel="telegram",
            text="Ai chịu trách nhiệm thu phí?",
        )
        await questions.answer(uow, answered.id, staff_id=None, text="UBND cấp xã.", actor="t")
        for who, score in zip(known.participant_ids[1:4], (5, 4, 2), strict=True):
            await ratings.rate(
                uow, participant_id=who, target="question", target_id=answered.id, score=score
            )
        await uow.commit()
    known.overdue_id, known.soon_id, known.later_id = overdue.id, soon.id, later.id
    known.answered_id = answered.id


async def seed_destinations(uow_factory: UnitOfWorkFactory, known: Known) -> None:
    """A linked group, a staff member's private chat, and an e-mail address."""
    async with uow_factory() as uow:
        uow.session.add(
            AgencyChannel(
                agency_id=known.agency_id, channel="telegram", address=GROUP, created_at=uow.now()
            )
        )
        known.staff_id = await staff.create_staff(
            uow,
            login="lan",
            display_name="Lan",
            role="agency_staff",
            password=None,
            agency_id=known.agency_id,
            actor="test",
        )
        await destinations.add_email(uow, known.agency_id, EMAIL, actor="test")
        await uow.commit()
    async with uow_factory() as uow:
        code = await staff_links.issue_code(uow, staff_id=known.staff_id, actor="test")
        await staff_links.redeem(
            uow,
            code,
            channel="telegram",
            sender_ref=STAFF_CHAT,
            chat_ref=STAFF_CHAT,
            is_group=False,
        )
        await uow.commit()


@pytest.fixture
async def known(uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int) -> Known:
    """The seeded consultation, with the clock at END."""
    async with uow_factory() as uow:
        agency_id = (await rounds.get_round(uow, open_round)).agency_id
    result = Known(agency_id, open_round, await _articles(uow_factory, open_round))
    await seed_comments(uow_factory, clock, result)
    await seed_questions(uow_factory, clock, result)
    await seed_destinations(uow_factory, result)
    clock.set(END)
    return result
