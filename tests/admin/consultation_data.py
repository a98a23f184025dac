"""Comments, questions and people for the console's work, insight and outputs tests.

On top of tests.admin.conftest.People: agency A's open round gets ordinary
comments, one typed as HTML, one the abuse filter holds, a petition sent three
times, and questions (one overdue); agency B's round is opened and gets a
comment and a question of its own, which A's staff must never reach.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from consultations import comments, participants, questions, rounds
from storage.clock import FixedClock
from storage.models import Section
from storage.uow import UnitOfWork, UnitOfWorkFactory
from tests.admin.conftest import People

HTML_COMMENT = "<script>alert('xss')</script><b>Đề nghị</b> bỏ Điều 1 & làm rõ"
ABUSIVE = "Dự thảo này đm quá tệ"
PETITION = (
    "Chúng tôi là các hộ kinh doanh tại chợ Minh Sơn, đề nghị giữ nguyên mức phí thuê ki-ốt "
    "như năm 2025 và kéo dài thời hạn nộp phí đến cuối quý, vì việc tăng phí sẽ làm nhiều hộ "
    "phải nghỉ bán."
)
PETITION_COPIES = (PETITION, "Kính gửi Sở, " + PETITION + " Xin cảm ơn.",
                   PETITION.replace("Chúng tôi là", "Tôi là một trong"))
PII_QUESTION = "Hộ kinh doanh có phải đăng ký lại không? Gọi tôi: 0912 345 678"
OTHER_AGENCY_COMMENT = "Góp ý riêng cho Sở Khác về Điều 2"
OTHER_AGENCY_QUESTION = "Câu hỏi gửi Sở Khác"


@dataclass(frozen=True)
class Seeded:
    comment: dict[str, int]
    question: dict[str, int]
    person: dict[str, int]


async def articles(uow: UnitOfWork, round_id: int) -> dict[str, int]:
    rows = await uow.session.scalars(
        select(Section).where(Section.round_id == round_id, Section.kind == "article"))
    return {row.label: row.id for row in rows}


async def person(uow: UnitOfWork, channel: str, ref: str, *, business: str | None = None) -> int:
    made = await participants.grant_consent(uow, channel, ref)
    if business:
        await participants.set_respondent(uow, made.id, "business", business)
    return made.id


async def _comment(uow: UnitOfWork, clock: FixedClock, pid: int, round_id: int, text: str,
                   stance: str, section: int | None, channel: str = "telegram") -> int:
    clock.advance(timedelta(minutes=1))
    made = await comments.submit(uow, participant_id=pid, round_id=round_id, stance=stance,
                                 text=text, section_id=section, channel=channel)
    return made.id


async def _comments(uow: UnitOfWork, clock: FixedClock, people: People,
                    who: dict[str, int]) -> dict[str, int]:
    art = await articles(uow, people.round_a)
    plan = [
        ("plain", "an", "support", art["Điều 1"], "Tôi đồng ý với phạm vi điều chỉnh."),
        ("html", "binh", "oppose", None, HTML_COMMENT),
        ("abusive", "cuong", "oppose", art["Điều 2"], ABUSIVE),
        ("business", "congty", "suggest", art["Điều 2"], "Đề nghị bổ sung hợp tác xã."),
        *((f"petition{i}", f"p{i}", "suggest", art["Điều 3"], text)
          for i, text in enumerate(PETITION_COPIES)),
    ]
    ids = {name: await _comment(uow, clock, who[pid], people.round_a, text, stance, section)
           for name, pid, stance, section, text in plan}
    art_b = await articles(uow, people.round_b)
    ids["other"] = await _comment(uow, clock, who["other"], people.round_b,
                                  OTHER_AGENCY_COMMENT, "suggest", art_b["Điều 2"])
    return ids


async def seed(uow_factory: UnitOfWorkFactory, clock: FixedClock, people: People) -> Seeded:
    """Everything above; agency B's round is opened first so it can take comments."""
    async with uow_factory() as uow:
        await rounds.open_now(uow, people.round_b, actor="test")
        who = {name: await person(uow, "telegram", f"70{n:02d}")
               for n, name in enumerate(("an", "binh", "cuong", "p0", "p1", "p2", "other"))}
        who["congty"] = await person(uow, "zalo", "z-9001", business="Công ty TNHH <Minh Phát>")
        who["web"] = await person(uow, "webchat", "w-visitor-1")
        ids = await _comments(uow, clock, people, who)
        asked = {
            "late": await questions.ask(uow, participant_id=who["an"], text="Khi nào áp dụng?",
                                        channel="telegram", round_id=people.round_a,
                                        due_days=1),
            "pii": await questions.ask(uow, participant_id=who["web"], text=PII_QUESTION,
                                       channel="webchat", round_id=people.round_a),
            "other": await questions.ask(uow, participant_id=who["other"],
                                         text=OTHER_AGENCY_QUESTION, channel="telegram",
                                         round_id=people.round_b),
        }
        await uow.commit()
    clock.advance(timedelta(days=2))  # "late" is now overdue; the others are not
    return Seeded(ids, {k: v.id for k, v in asked.items()}, who)
