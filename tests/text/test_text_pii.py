"""redact_pii / find_pii: contact details never reach the public comment list."""

from __future__ import annotations

import pytest

from consultations.text import find_pii, redact_pii

PHONE = "[số điện thoại]"
ID = "[số định danh]"
EMAIL = "[email]"

POSITIVES = [
    # (written by a citizen, published text)
    ("Liên hệ 0912345678", f"Liên hệ {PHONE}"),
    ("Liên hệ 0912 345 678", f"Liên hệ {PHONE}"),
    ("Liên hệ 0912.345.678", f"Liên hệ {PHONE}"),
    ("Liên hệ 091-234-5678", f"Liên hệ {PHONE}"),
    ("Liên hệ 091 234 5678", f"Liên hệ {PHONE}"),
    ("Liên hệ 0345 678 901", f"Liên hệ {PHONE}"),
    ("Liên hệ +84 912 345 678", f"Liên hệ {PHONE}"),
    ("Liên hệ +84912345678", f"Liên hệ {PHONE}"),
    ("Liên hệ (+84) 912 345 678", f"Liên hệ {PHONE}"),
    ("Liên hệ 84912345678", f"Liên hệ {PHONE}"),
    ("Cơ quan: 024 3825 1234", f"Cơ quan: {PHONE}"),
    ("Cơ quan: (024) 38251234", f"Cơ quan: {PHONE}"),
    ("Cơ quan: (024) 3825 1234", f"Cơ quan: {PHONE}"),
    ("Cơ quan: 0283 8221234", f"Cơ quan: {PHONE}"),
    ("Cơ quan: 02838221234", f"Cơ quan: {PHONE}"),
    ("Cơ quan: +84 24 3825 1234", f"Cơ quan: {PHONE}"),
    ("SĐT:0912345678.", f"SĐT:{PHONE}."),
    ("sdt0987654321", f"sdt{PHONE}"),
    ("gọi 0912345678 hoặc 0987654321", f"gọi {PHONE} hoặc {PHONE}"),
    ("CMND số 123456789", f"CMND số {ID}"),
    ("CCCD 001099012345", f"CCCD {ID}"),
    ("CCCD: 001 099 012 345", f"CCCD: {ID}"),
    ("CCCD 0010 9901 2345", f"CCCD {ID}"),
    ("Email: nguyen.van.an@gmail.com.", f"Email: {EMAIL}."),
    ("gửi tới an_nguyen+gopy@hanoi.gov.vn nhé", f"gửi tới {EMAIL} nhé"),
    ("0912345678@gmail.com", EMAIL),
]


@pytest.mark.parametrize(("written", "published"), POSITIVES)
def test_personal_data_is_replaced_by_a_placeholder(written: str, published: str) -> None:
    assert redact_pii(written) == published


NEGATIVES = [
    "Quy định có hiệu lực từ năm 2025",
    "Đề nghị sửa Điều 12, khoản 3, điểm a",
    "Mức phạt 5.000.000 đồng là quá thấp",
    "Mức phạt từ 1.500.000.000 đồng",
    "Tổng vốn 84.500.000.000",
    "Phạt 500000000 đồng",
    "Phạt 100000000 VNĐ",
    "Luật số 64/2025/QH15",
    "Nghị định 100/2019/NĐ-CP",
    "Quyết định số 1234/QĐ-UBND ngày 27/11/2026",
    "Ngày 27.11.2026 lúc 09 giờ",
    "Hạn 05.09.2026 09 giờ sáng",
    "Tăng 15% so với 12,5 %",
    "Lãi suất 0,5%",
    "Giai đoạn 2025-2030",
    "Tổng đài 1900 1234",
    "Diện tích 10.000.000.000 m2",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_ordinary_numbers_in_legal_text_are_not_redacted(text: str) -> None:
    assert find_pii(text) == []
    assert redact_pii(text) == text


def test_find_pii_reports_kind_and_text_in_order() -> None:
    text = "An, 0912 345 678, CCCD 001099012345, an@example.com, Điều 12 năm 2025"
    assert find_pii(text) == [
        ("phone", "0912 345 678"),
        ("id", "001099012345"),
        ("email", "an@example.com"),
    ]


def test_redaction_is_idempotent() -> None:
    once = redact_pii("Liên hệ 0912 345 678 hoặc an@example.com")
    assert redact_pii(once) == once
