"""The Zalo bridge's pure parts: the signature check, reading events, rendering replies."""

from __future__ import annotations

import pytest

from bot.zalo import render, signature
from bot.zalo.events import BadEvent, classify, read
from bot.zalo.standin import Events, Signer, encode
from handlers.messages import Button, Reply

KEYS = signature.Keys(app_id="111", oa_id="222", oa_secret_key="oa-s", app_secret="app-s")
EVENTS = Events("111", "222", now_ms=lambda: 1_790_000_000_000)


@pytest.mark.parametrize(
    "variant",
    ["documented", "app-secret", "header-timestamp", "oa-id", "app-secret+header-timestamp+oa-id"],
)
def test_our_check_accepts_exactly_what_zalo_signs_with_that_variant(variant: str) -> None:
    event = EVENTS.text("42", "xin chào")
    raw = encode(event)
    headers = Signer("111", "222", "oa-s", "app-s", variant).headers(raw, event["timestamp"],
                                                                     "1790000000999")
    scheme = signature.parse_variant(variant)
    expected = signature.expected_mac(scheme, KEYS, raw, event["timestamp"], "1790000000999")
    assert signature.matches(headers["X-ZEvent-Signature"], expected)
    other = signature.parse_variant("documented" if variant != "documented" else "oa-id")
    wrong = signature.expected_mac(other, KEYS, raw, event["timestamp"], "1790000000999")
    assert not signature.matches(headers["X-ZEvent-Signature"], wrong), "variants collide"


def test_the_mac_prefix_and_hex_case_do_not_matter_but_every_byte_does() -> None:
    expected = signature.expected_mac(signature.Scheme(), KEYS, b"{}", "1", "")
    assert signature.matches(f"MAC={expected.upper()}", expected)
    assert signature.matches(expected, expected)
    assert not signature.matches(f"mac={expected[:-1]}0", expected)
    assert not signature.matches("", expected)


def test_an_unknown_variant_is_a_clear_configuration_error() -> None:
    with pytest.raises(ValueError, match="hmac"):
        signature.parse_variant("hmac")


def test_a_pressed_buttons_payload_is_an_action_and_a_slash_may_be_staff_work() -> None:
    pressed = classify(read(EVENTS.text("42", "rd:1:2:0")), EVENTS.text("42", "rd:1:2:0"))
    assert pressed.citizen is not None and pressed.citizen.action == "rd:1:2:0"
    payload = EVENTS.text("42", "/traloi 3 Có.")
    typed = classify(read(payload), payload)
    assert typed.staff is not None and typed.staff.text == "/traloi 3 Có."
    assert typed.citizen is not None and typed.citizen.text == "/traloi 3 Có."


def test_events_are_read_with_string_ids_and_millisecond_timestamps() -> None:
    event = read(EVENTS.follow("42"))
    assert (event.user, event.timestamp_ms, event.name) == ("42", 1_790_000_000_000, "follow")
    assert event.event_id == "follow:42:1790000000000"
    message = EVENTS.text("42", "hi", msg_id="abc123")
    assert read(message).event_id == "abc123", "Zalo's retries are recognised by msg_id"
    with pytest.raises(BadEvent):
        read({"event_name": "user_send_text", "timestamp": "1"})


def test_five_short_choices_make_a_button_template() -> None:
    buttons = tuple(Button(f"Mục {n}", f"r:{n}") for n in range(1, 6))
    [message] = render.render(Reply("Chọn:", (buttons,)).to_payload())
    template = message["attachment"]["payload"]["buttons"]
    assert [b["payload"] for b in template] == [f"r:{n}" for n in range(1, 6)]
    assert {b["type"] for b in template} == {"oa.query.hide"}


@pytest.mark.parametrize(
    "labels", [[f"Mục {n}" for n in range(6)], ["Ngắn", "Rất dài" * 20]], ids=["six", "long"]
)
def test_what_no_template_can_carry_becomes_numbered_lines(labels: list[str]) -> None:
    buttons = tuple(Button(label, f"r:{n}") for n, label in enumerate(labels, start=1))
    payload = Reply("Chọn:", (buttons,)).to_payload()
    [message] = render.render(payload)
    assert "attachment" not in message and f"\n2. {labels[1]}" in message["text"]
    assert render.pick(payload, " 2 ") == "r:2" and render.pick(payload, "2.") == "r:2"
    assert render.pick(payload, "9") is None and render.pick(payload, "²") is None


def test_a_typed_number_picks_nothing_when_buttons_were_shown() -> None:
    payload = Reply("Chọn:", ((Button("Có", "consent:yes"),),)).to_payload()
    assert render.pick(payload, "1") is None
