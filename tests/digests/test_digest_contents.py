"""What a digest says about a consultation whose every comment, question and rating is known."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

from consultations import rounds
from consultations.digests import build, next_period
from consultations.digests.content import DigestContent, Period
from storage.clock import FixedClock
from storage.uow import UnitOfWorkFactory
from tests.digests.conftest import (
    END,
    PETITION,
    THEME,
    THEME_COMMENTS,
    Known,
    comment,
    person,
)

VOCABULARY = sorted({w for text in [*THEME_COMMENTS, PETITION] for w in text.split()})


async def _digest(uow_factory: UnitOfWorkFactory, known: Known, **options: int) -> DigestContent:
    async with uow_factory() as uow:
        period = await next_period(uow, known.agency_id, "daily", END)
        assert period is not None, "the first digest of an agency has a period"
        return await build(uow, known.agency_id, "daily", period, **options)


async def test_counts_of_the_period_by_article_stance_and_respondent_kind(
    uow_factory: UnitOfWorkFactory, known: Known
) -> None:
    content = await _digest(uow_factory, known)
    [part] = content.rounds
    assert (part.new_comments, part.new_cosignatures) == (14, 4), "new comments/co-signatures"
    assert [(a.label, a.comments, a.cosignatures) for a in part.by_article] == [
        ("Điều 2", 6, 4),
        ("Điều 3", 5, 0),
        ("Điều 1", 2, 0),
        ("", 1, 0),
    ], "articles are not listed most-discussed first with their counts"
    assert part.by_stance == {"oppose": 8, "suggest": 3, "support": 2, "other": 1}
    assert part.by_kind == {"citizen": 12 + 4, "business": 2}, "co-signers count by kind too"
    assert (part.totals.comments, part.totals.cosignatures) == (14, 4)


async def test_near_identical_comments_are_one_campaign_with_an_example_without_contacts(
    uow_factory: UnitOfWorkFactory, known: Known
) -> None:
    [part] = (await _digest(uow_factory, known)).rounds
    assert len(part.campaigns) == 1, f"expected the one petition as a campaign: {part.campaigns}"
    [campaign] = part.campaigns
    assert campaign.comments == 5 and campaign.label == "Điều 3"
    assert campaign.example_id == known.campaign_ids[0], "the example is the first copy"
    assert PETITION[:40] in campaign.example
    assert "0912" not in campaign.example, "a phone number leaked into the digest"


async def test_a_campaign_is_counted_over_the_whole_period_when_only_a_sample_is_read(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, open_round: int
) -> None:
    """60 comments, a sample of 20: the 20 copies are counted in SQL, not just those sampled."""
    people = [await person(uow_factory, f"s{n}") for n in range(60)]
    for n in range(20):
        await comment(
            uow_factory,
            clock,
            people[n],
            open_round,
            None,
            "oppose",
            f"Xin chào, {PETITION} Người ký số {n}.",
        )
    rng = random.Random(5)
    for n in range(20, 60):  # forty unrelated comments: random words of the same vocabulary
        words = rng.sample(VOCABULARY, 14)
        await comment(uow_factory, clock, people[n], open_round, None, "other", " ".join(words))
    async with uow_factory() as uow:
        agency_id = (await rounds.get_round(uow, open_round)).agency_id
        period = Period(clock.now() - timedelta(days=1), clock.now() + timedelta(seconds=1))
        content = await build(uow, agency_id, "daily", period, sample_size=20)
    [part] = content.rounds
    assert part.sampled == 20, "the sample size was not respected"
    assert [c.comments for c in part.campaigns] == [20], f"campaigns: {part.campaigns}"


async def test_themes_find_the_phrase_many_comments_use_with_and_without_diacritics(
    uow_factory: UnitOfWorkFactory, known: Known
) -> None:
    [part] = (await _digest(uow_factory, known)).rounds
    phrases = [theme.phrase for theme in part.themes]
    assert THEME in phrases, f"the planted theme is missing from {phrases}"
    theme = part.themes[phrases.index(THEME)]
    assert theme.comments == 6, "a comment typed without diacritics counts for the theme too"
    assert THEME in theme.example.lower() or "phi trong giu xe" in theme.example


async def test_questions_new_due_soon_and_overdue_carry_what_staff_need_to_answer(
    uow_factory: UnitOfWorkFactory, known: Known
) -> None:
    q = (await _digest(uow_factory, known)).questions
    assert [i.id for i in q.overdue] == [known.overdue_id], "the overdue question is missing"
    assert [i.id for i in q.due_soon] == [known.soon_id], "the question due in 3 days is missing"
    assert (q.new_count, q.answered_in_period, q.open_total) == (4, 1, 3)
    [overdue] = q.overdue
    assert "0912" not in overdue.text and "[số điện thoại]" in overdue.text
    assert overdue.round_title and overdue.due_at < END


async def test_satisfaction_is_the_share_of_four_and_five_star_ratings(
    uow_factory: UnitOfWorkFactory, known: Known
) -> None:
    s = (await _digest(uow_factory, known)).satisfaction
    assert (s.period_ratings, s.period_satisfied, s.total_ratings, s.total_satisfied) == (
        3,
        2,
        3,
        2,
    )
    assert s.period_share is not None and round(s.period_share, 3) == 0.667


async def test_the_next_period_starts_where_the_last_ended_and_reports_only_what_is_new(
    uow_factory: UnitOfWorkFactory, clock: FixedClock, known: Known
) -> None:
    first = await _digest(uow_factory, known)
    later = first.period.end + timedelta(hours=6)
    clock.set(first.period.end + timedelta(hours=1))
    await comment(
        uow_factory,
        clock,
        known.participant_ids[0],
        known.round_id,
        None,
        "other",
        "Một ý kiến mới sau bản tin trước.",
    )
    async with uow_factory() as uow:
        content = await build(uow, known.agency_id, "daily", Period(first.period.end, later))
    [part] = content.rounds
    assert (part.new_comments, part.totals.comments) == (1, 15)
    assert part.by_article[0].label == "" and not part.campaigns


async def test_a_quiet_period_is_empty_and_the_content_survives_a_json_round_trip(
    uow_factory: UnitOfWorkFactory, known: Known
) -> None:
    content = await _digest(uow_factory, known)
    assert not content.empty
    assert DigestContent.from_json(content.to_json()) == content, "JSON loses part of a digest"
    async with uow_factory() as uow:
        quiet = await build(
            uow,
            known.agency_id,
            "weekly",
            Period(datetime(2027, 1, 1, tzinfo=UTC), datetime(2027, 1, 2, tzinfo=UTC)),
        )
    assert quiet.rounds[0].quiet and quiet.questions.overdue_count == 3 and not quiet.empty, (
        "overdue questions still need attention in a period without comments"
    )
