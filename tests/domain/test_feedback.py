"""Comments, near-duplicates and co-signatures, questions, ratings and following."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from consultations import comments, participants, questions, ratings, sections, subscriptions
from consultations.errors import InvalidInput, InvalidState, NotFound
from consultations.views import ParticipantView
from storage.clock import FixedClock
from storage.models import Comment, CoSignature
from storage.uow import UnitOfWorkFactory

PETITION = (
    "Chúng tôi đề nghị bổ sung quy định bắt buộc cơ quan phải trả lời phản ánh của người dân "
    "trong thời hạn 7 ngày làm việc và công khai kết quả xử lý trên cổng thông tin của tỉnh."
)


async def _person(uow_factory: UnitOfWorkFactory, ref: str) -> ParticipantView:
    async with uow_factory() as uow:
        person = await participants.grant_consent(uow, "webchat", ref)
        await uow.commit()
        return person


async def test_comment_on_an_article_is_stored_normalised(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    person = await _person(uow_factory, "u1")
    async with uow_factory() as uow:
        article = (await sections.list_articles(uow, open_round))[1]
        saved = await comments.submit(
            uow, participant_id=person.id, round_id=open_round, section_id=article.id,
            stance="suggest", text="  Đề nghị bổ sung hộ kinh doanh cá thể\u200b vào khoản 2.  ",
            channel="webchat",
        )
        await uow.commit()
    async with uow_factory() as uow:
        row = await uow.session.get(Comment, saved.id)
    assert row is not None
    assert row.body == "Đề nghị bổ sung hộ kinh doanh cá thể vào khoản 2."
    assert (row.section_id, row.stance, row.moderation) == (article.id, "suggest", "visible")


async def test_comment_on_another_rounds_article_is_refused(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    person = await _person(uow_factory, "u1")
    async with uow_factory() as uow:
        with pytest.raises(NotFound):
            await comments.submit(uow, participant_id=person.id, round_id=open_round,
                                  section_id=99999, stance="support", text="Đồng ý",
                                  channel="webchat")


async def test_bad_comments_are_refused_with_a_reason(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    person = await _person(uow_factory, "u1")
    cases = {"   \u200b ": "comment.empty", "x" * 4001: "comment.too_long"}
    for text, key in cases.items():
        async with uow_factory() as uow:
            with pytest.raises(InvalidInput) as refused:
                await comments.submit(uow, participant_id=person.id, round_id=open_round,
                                      stance="other", text=text, channel="webchat")
        assert refused.value.key == key
    async with uow_factory() as uow:
        with pytest.raises(InvalidInput):
            await comments.submit(uow, participant_id=person.id, round_id=open_round,
                                  stance="maybe", text="Ý kiến", channel="webchat")


async def test_comment_on_a_closed_round_is_refused(
    uow_factory: UnitOfWorkFactory, open_round: int, clock: FixedClock
) -> None:
    from consultations import rounds

    person = await _person(uow_factory, "u1")
    clock.advance(timedelta(days=61))
    async with uow_factory() as uow:
        await rounds.sweep(uow)
        await uow.commit()
    async with uow_factory() as uow:
        with pytest.raises(InvalidState) as refused:
            await comments.submit(uow, participant_id=person.id, round_id=open_round,
                                  stance="support", text="Đồng ý", channel="webchat")
    assert refused.value.key == "round.not_open"


async def test_near_duplicate_is_found_and_cosigned_once(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    first, second = await _person(uow_factory, "a"), await _person(uow_factory, "b")
    async with uow_factory() as uow:
        original = await comments.submit(uow, participant_id=first.id, round_id=open_round,
                                         stance="suggest", text=PETITION, channel="webchat")
        await uow.commit()
    variant = "Kính gửi quý cơ quan, " + PETITION.replace("7 ngày", "07 ngày").lower()
    async with uow_factory() as uow:
        found = await comments.find_near_duplicate(uow, open_round, variant,
                                                   exclude_participant=second.id)
        assert found is not None and found.comment_id == original.id
        assert await comments.find_near_duplicate(
            uow, open_round, PETITION, exclude_participant=first.id) is None, (
            "one's own comment is not offered for co-signing")
        assert await comments.find_near_duplicate(
            uow, open_round, "Tôi ủng hộ dự thảo, đề nghị sớm ban hành để áp dụng.") is None
        assert await comments.cosign(uow, participant_id=second.id, comment_id=original.id) == 1
        assert await comments.cosign(uow, participant_id=second.id, comment_id=original.id) == 1
        await uow.commit()
    async with uow_factory() as uow:
        count = await uow.session.scalar(select(func.count()).select_from(CoSignature))
    assert count == 1


async def test_abusive_comment_is_held_for_moderation(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    person = await _person(uow_factory, "u1")
    async with uow_factory() as uow:
        held = await comments.submit(uow, participant_id=person.id, round_id=open_round,
                                     stance="oppose", text="Dự thảo này vcl thật", channel="x")
        fine = await comments.submit(uow, participant_id=person.id, round_id=open_round,
                                     stance="support", text="Tôi đi du lịch và đọc dự thảo.",
                                     channel="x")
    assert (held.moderation, fine.moderation) == ("pending", "visible")


async def test_question_is_due_in_fifteen_days_and_answered_once(
    uow_factory: UnitOfWorkFactory, open_round: int, clock: FixedClock
) -> None:
    person = await _person(uow_factory, "u1")
    async with uow_factory() as uow:
        asked = await questions.ask(uow, participant_id=person.id, text="Khi nào có hiệu lực?",
                                    channel="webchat", round_id=open_round)
        assert asked.due_at == clock.now() + timedelta(days=15)
        answered = await questions.answer(uow, asked.id, staff_id=None, text="Từ ngày ký.",
                                          actor="staff:1")
        assert answered.status == "answered"
        with pytest.raises(InvalidState):
            await questions.answer(uow, asked.id, staff_id=None, text="Lần hai", actor="s")
        await ratings.rate(uow, participant_id=person.id, target="question",
                           target_id=asked.id, score=5)
        with pytest.raises(InvalidInput):
            await ratings.rate(uow, participant_id=person.id, target="question",
                               target_id=asked.id, score=6)


async def test_following_twice_is_one_subscription(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    person = await _person(uow_factory, "u1")
    async with uow_factory() as uow:
        assert await subscriptions.follow(uow, person.id, "round", open_round)
        assert not await subscriptions.follow(uow, person.id, "round", open_round)
        assert await subscriptions.unfollow(uow, person.id, "round", open_round)
        with pytest.raises(InvalidInput):
            await subscriptions.follow(uow, person.id, "all", 5)
