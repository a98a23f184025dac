"""Consent per purpose, a copy of one's data, and 'forget me'."""

from __future__ import annotations

from sqlalchemy import select

from consultations import comments, participants, privacy, questions, subscriptions
from consultations.vocab import Purpose
from storage.models import Comment, Consent, Participant, Question
from storage.uow import UnitOfWorkFactory


async def test_second_consent_click_changes_nothing(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        first = await participants.grant_consent(uow, "telegram", "42", locale="en")
        again = await participants.grant_consent(uow, "telegram", "42")
        await uow.commit()
    assert first.id == again.id and again.consented and again.locale == "en"
    async with uow_factory() as uow:
        consents = list(await uow.session.scalars(select(Consent)))
    assert [(c.purpose, c.text_version) for c in consents] == [("participate", "2026-11")]


async def test_notification_consent_is_its_own_purpose(uow_factory: UnitOfWorkFactory) -> None:
    async with uow_factory() as uow:
        person = await participants.grant_consent(uow, "zalo", "z1")
        assert not person.notify_consented
        person = await participants.grant_consent(uow, "zalo", "z1", Purpose.NOTIFY)
        assert person.notify_consented
        await participants.withdraw_consent(uow, person.id, Purpose.NOTIFY)
        person = await participants.get(uow, person.id)
    assert person.consented and not person.notify_consented


async def test_export_then_forget_keeps_comments_anonymous(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    async with uow_factory() as uow:
        person = await participants.grant_consent(uow, "webchat", "visitor-1")
        await participants.set_respondent(uow, person.id, "business", "Công ty TNHH Hoa Sen")
        saved = await comments.submit(uow, participant_id=person.id, round_id=open_round,
                                      stance="support", text="Ủng hộ dự thảo.", channel="webchat")
        await questions.ask(uow, participant_id=person.id, text="Hỏi?", channel="webchat",
                            round_id=open_round)
        await subscriptions.follow(uow, person.id, "all", 0)
        await uow.commit()
    async with uow_factory() as uow:
        data = await privacy.export_data(uow, person.id)
        assert data["participant"]["organisation"] == "Công ty TNHH Hoa Sen"
        assert [c["body"] for c in data["comments"]] == ["Ủng hộ dự thảo."]
        await privacy.forget(uow, person.id)
        await uow.commit()
    async with uow_factory() as uow:
        tombstone = await uow.session.get(Participant, person.id)
        comment = await uow.session.get(Comment, saved.id)
        question = await uow.session.scalar(select(Question))
        assert await participants.find(uow, "webchat", "visitor-1") is None
    assert tombstone is not None and tombstone.channel_user_id is None
    assert tombstone.organisation is None and tombstone.forgotten_at is not None
    assert comment is not None and comment.body == "Ủng hộ dự thảo."
    assert comment.participant_id is None and comment.organisation is None
    assert comment.respondent_kind == "business", "the public record keeps the respondent kind"
    assert question is not None and question.participant_id is None
