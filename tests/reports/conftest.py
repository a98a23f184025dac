"""A closed round with a known set of comments, co-signatures, outcomes and people.

What the synthesis must find in it (document order: whole draft, Điều 1, 2, 3):

    whole draft  a2  citizen A   HTML typed as text            accepted
    Điều 1       b1  business B  "=HYPERLINK(...)", English    explained
    Điều 1       g1  citizen G   G then asked to be forgotten  accepted
    Điều 2       a1  citizen A   phone + e-mail in the text    partly accepted, 2 co-signers
    Điều 2       h1  citizen H   H is unreachable (blocked)    explained
    Điều 3       c1  citizen C1  a petition                    explained, 1 co-signer
                 c2, c3          near-duplicates of c1, folded into its line
    (excluded)   f1  citizen F   abusive                       none
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from consultations import comments, outcomes, participants, privacy, rounds
from storage.clock import FixedClock
from storage.models import Comment, Participant, Section
from storage.uow import UnitOfWork, UnitOfWorkFactory

PETITION = (
    "Chúng tôi là các hộ kinh doanh tại chợ Minh Sơn, đề nghị giữ nguyên mức phí thuê ki-ốt "
    "như năm 2025 và kéo dài thời hạn nộp phí đến cuối quý, vì việc tăng phí sẽ làm nhiều hộ "
    "phải nghỉ bán."
)
PETITION_GREETING = "Kính gửi Sở, " + PETITION + " Xin cảm ơn."
PETITION_SIGNED = (
    PETITION.replace("Chúng tôi là", "Tôi là một trong") + " Nguyễn Văn A, 0912 345 678"
)
PII_TEXT = (
    "Đề nghị kéo dài thời hạn chuyển tiếp lên 12 tháng. Liên hệ tôi: 0912 345 678 "
    "hoặc an.nguyen@example.com"
)
HTML_TEXT = "<script>alert('xss')</script><b>Ủng hộ</b> toàn bộ dự thảo & các điều khoản"
FORMULA_TEXT = '=HYPERLINK("http://evil.example","Bấm vào đây")'
REASONS = {
    "a1": "Tiếp thu, kéo dài lên 9 tháng thay vì 12 tháng.",
    "b1": "Quy định hiện hành đã đủ rõ.",
    "c": "Mức phí do Hội đồng nhân dân tỉnh quyết định.",
    "h1": "Khái niệm đã được định nghĩa tại Luật Doanh nghiệp.",
}
ORGANISATION = "Công ty TNHH Minh Phát"


@dataclass(frozen=True)
class Seeded:
    """Ids of what the tests look for."""

    round_id: int
    comment: dict[str, int]
    person: dict[str, int]


async def _person(
    uow: UnitOfWork, channel: str, ref: str, *, locale: str = "vi", business: str | None = None
) -> int:
    made = await participants.grant_consent(uow, channel, ref, locale=locale)
    if business:
        await participants.set_respondent(uow, made.id, "business", business)
    return made.id


async def _articles(uow: UnitOfWork, round_id: int) -> dict[str, int]:
    rows = await uow.session.scalars(
        select(Section).where(Section.round_id == round_id, Section.kind == "article")
    )
    return {row.label: row.id for row in rows}


async def seed_people(uow: UnitOfWork) -> dict[str, int]:
    return {
        "A": await _person(uow, "telegram", "7001"),
        "B": await _person(uow, "zalo", "z-8001", locale="en", business=ORGANISATION),
        "C1": await _person(uow, "telegram", "7101"),
        "C2": await _person(uow, "telegram", "7102"),
        "C3": await _person(uow, "webchat", "w-7103"),
        "D": await _person(uow, "telegram", "7201"),
        "E": await _person(uow, "webchat", "w-7202"),
        "F": await _person(uow, "telegram", "7301"),
        "G": await _person(uow, "telegram", "7401"),
        "H": await _person(uow, "telegram", "7501"),
    }


async def seed_comments(
    uow: UnitOfWork, clock: FixedClock, round_id: int, people: dict[str, int]
) -> dict[str, int]:
    """Each comment a minute after the previous one, so "earliest" is well defined."""
    article = await _articles(uow, round_id)
    plan = [
        ("a1", "A", "Điều 2", "suggest", PII_TEXT, "telegram"),
        ("c1", "C1", "Điều 3", "suggest", PETITION, "telegram"),
        ("a2", "A", None, "support", HTML_TEXT, "telegram"),
        ("c2", "C2", "Điều 3", "suggest", PETITION_GREETING, "telegram"),
        ("b1", "B", "Điều 1", "oppose", FORMULA_TEXT, "zalo"),
        ("g1", "G", "Điều 1", "support", "Tôi đồng ý với phạm vi điều chỉnh.", "telegram"),
        ("c3", "C3", "Điều 3", "suggest", PETITION_SIGNED, "webchat"),
        ("h1", "H", "Điều 2", "other", "Cần làm rõ khái niệm hộ kinh doanh.", "telegram"),
        ("f1", "F", "Điều 2", "oppose", "Dự thảo này đm quá tệ", "telegram"),
    ]
    ids: dict[str, int] = {}
    for name, who, label, stance, text, channel in plan:
        clock.advance(timedelta(minutes=1))
        made = await comments.submit(
            uow,
            participant_id=people[who],
            round_id=round_id,
            stance=stance,
            text=text,
            section_id=article[label] if label else None,
            channel=channel,
        )
        ids[name] = made.id
    await comments.cosign(uow, participant_id=people["D"], comment_id=ids["a1"])
    await comments.cosign(uow, participant_id=people["E"], comment_id=ids["a1"])
    await comments.cosign(uow, participant_id=people["E"], comment_id=ids["c1"])
    return ids


async def record_outcomes(uow: UnitOfWork, ids: dict[str, int]) -> None:
    decided = {
        "a1": ("partly_accepted", REASONS["a1"]),
        "a2": ("accepted", None),
        "b1": ("explained", REASONS["b1"]),
        "g1": ("accepted", None),
        "h1": ("explained", REASONS["h1"]),
        "c1": ("explained", REASONS["c"]),
        "c2": ("explained", REASONS["c"]),
        "c3": ("explained", REASONS["c"]),
    }
    for name, (outcome, note) in decided.items():
        await outcomes.set_outcome(uow, ids[name], outcome, note, agency_id=None, actor="test")


async def seed_round(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, round_id: int, *, decide: bool = True
) -> Seeded:
    async with uow_factory() as uow:
        people = await seed_people(uow)
        ids = await seed_comments(uow, clock, round_id, people)
        await uow.session.execute(
            update(Comment).where(Comment.id == ids["f1"]).values(moderation="abusive")
        )
        if decide:
            await record_outcomes(uow, ids)
        await privacy.forget(uow, people["G"])
        await uow.session.execute(
            update(Participant)
            .where(Participant.id == people["H"])
            .values(unreachable_at=clock.now())
        )
        await rounds.close(uow, round_id, actor="test", override_reason="đủ ý kiến")
        await uow.commit()
    return Seeded(round_id, ids, people)


@pytest.fixture
async def seeded(uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int) -> Seeded:
    return await seed_round(uow_factory, clock, open_round)
