"""Open data publishes the comments of a closed round and nothing that identifies anyone."""

from __future__ import annotations

import csv
import io
import json

import pytest
from sqlalchemy import select

from consultations import reports
from consultations.errors import InvalidState
from storage.models import Participant
from storage.uow import UnitOfWorkFactory
from tests.reports.conftest import FORMULA_TEXT, HTML_TEXT, ORGANISATION, Seeded


async def _file(uow_factory: UnitOfWorkFactory, round_id: int, kind: str) -> str:
    out = io.BytesIO()
    async with uow_factory() as uow:
        await reports.write_open_data(uow, round_id, kind, out)
    return out.getvalue().decode("utf-8")


async def _channel_ids(uow_factory: UnitOfWorkFactory) -> set[str]:
    async with uow_factory() as uow:
        found = await uow.session.scalars(select(Participant.channel_user_id))
        return {ref for ref in found if ref}


async def test_json_has_no_participant_or_channel_data(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    text = await _file(uow_factory, seeded.round_id, "json")
    leaked = [ref for ref in await _channel_ids(uow_factory) if ref in text]
    assert leaked == [], f"channel user ids published in open data: {leaked}"
    data = json.loads(text)
    fields = set(data["comments"][0])
    assert fields == set(reports.OpenDataRow.__dataclass_fields__)
    assert not fields & {"participant_id", "channel", "channel_user_id", "attachments"}
    assert "0912" not in text and "example.com" not in text, "PII in open data"


async def test_organisation_is_published_only_for_businesses(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    data = json.loads(await _file(uow_factory, seeded.round_id, "json"))
    named = {(row["respondent_kind"], row["organisation"]) for row in data["comments"]}
    assert named == {("citizen", None), ("business", ORGANISATION)}


async def test_every_visible_comment_is_listed_by_number_with_its_day_and_outcome(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    data = json.loads(await _file(uow_factory, seeded.round_id, "json"))
    numbers = [row["comment_number"] for row in data["comments"]]
    visible = sorted(v for k, v in seeded.comment.items() if k != "f1")
    assert numbers == visible, "open data should list each visible comment once, by number"
    first = data["comments"][0]
    assert first["date"] == "2026-11-27" and first["article"] == "Điều 2"
    assert (first["outcome"], first["cosignatures"]) == ("partly_accepted", 2)
    by_number = {row["comment_number"]: row for row in data["comments"]}
    assert by_number[seeded.comment["a2"]]["comment"] == HTML_TEXT
    assert data["totals"] == {
        "comments": 8,
        "cosignatures": 3,
        "not_published": 1,
        "respondents": {"citizen": 8, "business": 1},
    }
    assert [a["article"] for a in data["articles"]] == [None, "Điều 1", "Điều 2", "Điều 3"]
    assert data["round"]["closes_on"] == "2026-11-27"


async def test_comments_csv_parses_and_neutralises_formulas(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    rows = list(
        csv.DictReader(io.StringIO(await _file(uow_factory, seeded.round_id, "comments.csv")))
    )
    assert len(rows) == 8
    by_number = {int(row["comment_number"]): row for row in rows}
    assert by_number[seeded.comment["b1"]]["comment"] == "'" + FORMULA_TEXT
    assert by_number[seeded.comment["b1"]]["organisation"] == ORGANISATION
    assert by_number[seeded.comment["a1"]]["organisation"] == ""


async def test_articles_csv_has_fixed_columns_for_every_stance_and_outcome(
    uow_factory: UnitOfWorkFactory, seeded: Seeded
) -> None:
    rows = list(
        csv.DictReader(io.StringIO(await _file(uow_factory, seeded.round_id, "articles.csv")))
    )
    assert [row["article"] for row in rows] == ["", "Điều 1", "Điều 2", "Điều 3"]
    third = rows[3]
    assert (third["comments"], third["stance_suggest"], third["outcome_explained"]) == (
        "3",
        "3",
        "3",
    )
    assert third["outcome_pending"] == "0" and third["stance_support"] == "0"


async def test_an_open_round_has_no_open_data(
    uow_factory: UnitOfWorkFactory, open_round: int
) -> None:
    with pytest.raises(InvalidState) as refused:
        await _file(uow_factory, open_round, "json")
    assert refused.value.key == "report.round_not_closed"
