"""The citizen conversation end to end over the real flows and a real database."""

from __future__ import annotations

from sqlalchemy import func, select

from storage.models import Comment, Consent, InboundEvent, OutboxMessage, Participant, Question
from storage.uow import UnitOfWorkFactory
from tests.flows.chat import Chat


async def _count(uow_factory: UnitOfWorkFactory, model: type) -> int:
    async with uow_factory() as uow:
        return int(await uow.session.scalar(select(func.count()).select_from(model)) or 0)


async def test_first_message_gets_only_the_consent_prompt_and_stores_nothing(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.send("Tôi muốn góp ý về quy định thời hạn trả lời phản ánh của người dân")
    assert "đồng ý" in chat.text.lower() and "Tôi đồng ý" in chat.labels()[0]
    assert await _count(uow_factory, Participant) == 0
    assert await _count(uow_factory, Comment) == 0


async def test_consent_then_read_article_two_and_comment_on_it(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    assert "Bạn muốn làm gì" in chat.text
    await chat.send("xem du thao")
    await chat.press("Dự thảo Quyết định thử nghiệm")
    assert "Sở Thử nghiệm" in chat.text
    await chat.press("Đọc từng điều")
    assert "Điều 1. Phạm vi điều chỉnh" in chat.text and "Điều 1/3" in chat.text
    await chat.press("Điều sau")
    assert "Điều 2. Đối tượng áp dụng" in chat.text and "b) Hộ kinh doanh." in chat.text
    await chat.press("Góp ý điều này")
    assert "Điều 2" in chat.text
    await chat.send("Đề nghị bổ sung hợp tác xã vào đối tượng áp dụng.")
    await chat.press("Đề nghị sửa đổi")
    assert "Phạm vi: Điều 2" in chat.text and "Quan điểm: ✏️ Đề nghị sửa đổi" in chat.text
    await chat.press("Gửi")
    assert "Đã ghi nhận góp ý số 1" in chat.text
    async with uow_factory() as uow:
        comment = await uow.session.scalar(select(Comment))
    assert comment is not None and comment.stance == "suggest"
    assert comment.body == "Đề nghị bổ sung hợp tác xã vào đối tượng áp dụng."
    await chat.send("cua toi")
    assert "Số 1" in chat.text and "Đang chờ cơ quan chủ trì xem xét" in chat.text


async def test_menu_words_work_with_or_without_diacritics_and_by_number(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    for typed in ("góp ý", "gop y", "GÓP Ý", "2"):
        await chat.send(typed)
        assert "Mời bạn nhập góp ý" in chat.text, f"{typed!r} should start a comment"
        await chat.send("huỷ")
        assert "Đã huỷ" in chat.text
    await chat.send("tro giup")
    assert "Hướng dẫn" in chat.text
    await chat.send("dieu 3")
    assert "Điều 3. Hiệu lực thi hành" in chat.text


async def test_comment_typed_straight_away_is_captured(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("Tôi thấy thời hạn hiệu lực từ ngày ký là quá gấp, nên lùi 30 ngày.")
    assert "giữ nội dung" in chat.text and "Quan điểm của bạn" in chat.text
    await chat.press("Không đồng tình")
    await chat.press("Gửi")
    async with uow_factory() as uow:
        comment = await uow.session.scalar(select(Comment))
    assert comment is not None and comment.section_id is None and comment.stance == "oppose"


async def test_typing_while_reading_comments_on_that_article(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("điều 3")
    await chat.send("Nên quy định hiệu lực sau 45 ngày kể từ ngày ký để kịp chuẩn bị.")
    await chat.send("2")
    assert "Phạm vi: Điều 3" in chat.text
    await chat.send("gui")
    async with uow_factory() as uow:
        comment = await uow.session.scalar(select(Comment))
    assert comment is not None and comment.stance == "oppose" and comment.section_id is not None


async def test_business_respondent_gives_the_organisation_name(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("Doanh nghiệp chúng tôi đề nghị giảm thủ tục giấy tờ khi phản ánh.")
    await chat.press("Đồng tình")
    await chat.press("doanh nghiệp")
    await chat.send("<b>Công ty CP Sông Hồng</b>")
    assert "doanh nghiệp (<b>Công ty CP Sông Hồng</b>)" in chat.text
    await chat.press("Gửi")
    async with uow_factory() as uow:
        comment = await uow.session.scalar(select(Comment))
    assert comment is not None and comment.respondent_kind == "business"
    assert comment.organisation == "<b>Công ty CP Sông Hồng</b>", "text is kept, escaped later"


async def test_near_duplicate_is_offered_for_cosigning(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    text = ("Đề nghị quy định rõ thời hạn trả lời phản ánh là 7 ngày làm việc và công khai "
            "kết quả trên cổng thông tin điện tử của tỉnh.")
    first, second = Chat(uow_factory, "a"), Chat(uow_factory, "b")
    await first.consent()
    await first.send(text)
    await first.press("Đề nghị sửa đổi")
    await first.press("Gửi")
    await second.consent()
    await second.send("Kính gửi: " + text.replace("7 ngày", "bảy ngày"))
    await second.press("Đề nghị sửa đổi")
    assert "rất giống" in second.text
    await second.press("Đồng ký")
    assert "1 người đồng ký" in second.text
    assert await _count(uow_factory, Comment) == 1


async def test_question_to_the_agency_with_due_date(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("hỏi")
    assert "Sở Thử nghiệm" in chat.text
    await chat.send("Quy định này áp dụng cho hộ kinh doanh từ khi nào?")
    assert "câu hỏi số 1" in chat.text and "12/12/2026" in chat.text
    assert await _count(uow_factory, Question) == 1


async def test_language_switch_and_english_menu(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("english")
    assert "Switched to English" in chat.text and "Read drafts" in " ".join(chat.labels())
    await chat.send("tiếng việt")
    assert "Đã chuyển sang tiếng Việt" in chat.text


async def test_english_speaker_is_greeted_in_english(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory, locale_hint="en-US")
    await chat.send("hello")
    assert chat.text.startswith("Hello!") and "I agree" in chat.labels()[0]


async def test_forget_me_erases_and_returns_to_the_consent_prompt(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("quyen rieng tu")
    await chat.press("Xem dữ liệu")
    assert '"channel": "webchat"' in chat.text
    stale_yes = "forget:yes"
    await chat.send(action=stale_yes)
    assert "không còn hiệu lực" in chat.text, "forgetting needs the confirmation step"
    await chat.send("quyen rieng tu")
    await chat.press("Xoá dữ liệu")
    await chat.press("Có, xoá")
    assert "Đã xoá dữ liệu" in chat.text and "Tôi đồng ý" in chat.labels()[0]
    assert await _count(uow_factory, Consent) == 0


async def test_second_consent_click_changes_nothing(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.send("hi")
    yes = chat.action_of("đồng ý")
    await chat.send(action=yes)
    await chat.send(action=yes)
    assert "Bạn muốn làm gì" in chat.text
    assert await _count(uow_factory, Participant) == 1
    assert await _count(uow_factory, Consent) == 1


async def test_redelivered_event_changes_nothing_twice(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("Góp ý gửi hai lần do mạng chập chờn, chỉ được lưu một lần.")
    await chat.press("Đồng tình")
    send = chat.action_of("Gửi")
    await chat.send(action=send, event_id="same")
    again = await chat.send(action=send, event_id="same")
    assert again == [], "a duplicate event produces no new reply"
    assert await _count(uow_factory, Comment) == 1
    async with uow_factory() as uow:
        events = await uow.session.scalar(
            select(func.count()).select_from(InboundEvent).where(InboundEvent.event_id == "same"))
    assert events == 1


async def test_forged_stale_and_unknown_actions_get_a_polite_answer(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    for forged in ("st:support", "send", "cs:1", "r:999999", "rd:1:999:0", "c:99999",
                   "hack:1", "r:1 OR 1=1", "x" * 100, "rate:question:77:5", "r:１"):
        await chat.send(action=forged)
        assert chat.replies, f"{forged!r} must get an answer"
        assert "lỗi" not in chat.text.lower(), f"{forged!r} answered as an internal error"
    assert await _count(uow_factory, Comment) == 0


async def test_bad_text_gets_a_clear_answer_and_loses_nothing(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("góp ý")
    for bad, expected in (("   ", "trống"), ("\u200b\u200b", "trống"),
                          ("a" * 10_000, "quá dài"), ("\x00\x07", "trống")):
        await chat.send(bad)
        assert expected in chat.text, f"{bad[:10]!r} should be answered with {expected!r}"
    await chat.send("<script>alert(1)</script> **đậm** Проект 草案 ý kiến hỗn hợp")
    await chat.press("Ý kiến khác")
    await chat.press("Gửi")
    async with uow_factory() as uow:
        comment = await uow.session.scalar(select(Comment))
    assert comment is not None and comment.body.startswith("<script>alert(1)</script>")


async def test_every_reply_is_queued_in_the_outbox_with_the_event(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    chat = Chat(uow_factory, channel="telegram", user="555")
    await chat.send("start", event_id="tg-1")
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(select(OutboxMessage)))
    assert [(r.channel, r.recipient, r.dedupe_key) for r in rows] == [
        ("telegram", "555", "reply:telegram:tg-1:0")]
    assert rows[0].payload["buttons"][0][0]["action"] == "consent:yes"


async def test_long_replies_are_split_to_the_channel_limit_with_buttons_last(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    from handlers.dispatch import dispatch
    from handlers.flows.context import FlowSettings
    from handlers.messages import Inbound

    settings = FlowSettings(text_limits={"telegram": 300})
    async with uow_factory() as uow:
        await dispatch(uow, Inbound("telegram", "9", "ev-1", action="consent:yes"), settings)
        await dispatch(uow, Inbound("telegram", "9", "ev-2", action="export"), settings)
        await uow.commit()
    async with uow_factory() as uow:
        rows = list(await uow.session.scalars(
            select(OutboxMessage).where(OutboxMessage.dedupe_key.like("reply:telegram:ev-2:%"))
            .order_by(OutboxMessage.id)))
    assert len(rows) > 1, "the data export is longer than 300 characters"
    assert all(len(r.payload["text"]) <= 300 for r in rows)
    assert [bool(r.payload["buttons"]) for r in rows] == [False] * (len(rows) - 1) + [True]


async def test_follow_all_new_drafts_or_one_agency(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    from storage.models import Subscription

    chat = Chat(uow_factory)
    await chat.consent()
    await chat.send("theo doi")
    await chat.press("Theo dõi mọi dự thảo mới")
    await chat.send("theo doi")
    await chat.press("Theo dõi Sở Thử nghiệm")
    await chat.send("theo doi")
    assert "Bỏ theo dõi Sở Thử nghiệm" in " ".join(chat.labels())
    async with uow_factory() as uow:
        targets = sorted(s.target for s in await uow.session.scalars(select(Subscription)))
        notify = await uow.session.scalar(select(Consent).where(Consent.purpose == "notify"))
    assert targets == ["agency", "all"] and notify is not None, "following is consented to"
