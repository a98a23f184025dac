"""Near-duplicate fingerprints: campaign copies group together, distinct comments do not."""

from __future__ import annotations

import itertools
import random

import pytest

from consultations.text import (
    NEAR_DUPLICATE_THRESHOLD,
    bands,
    fingerprint,
    fold,
    is_near_duplicate,
    similarity,
)
from consultations.text.fingerprint import hamming_distance

PETITION = (
    "Kính gửi Ban soạn thảo, chúng tôi là người dân phường Hoà Bình đề nghị giữ nguyên quy "
    "định tại Điều 12 của dự thảo về việc bồi thường khi Nhà nước thu hồi đất. Giá đất bồi "
    "thường phải sát với giá thị trường, được công khai và người dân phải được tham gia ý kiến "
    "trước khi phê duyệt phương án. Đề nghị bổ sung quy định hỗ trợ tái định cư tại chỗ cho "
    "các hộ gia đình có thu nhập thấp. Trân trọng cảm ơn. Nguyễn Văn An, SĐT 0912 345 678."
)
SIGNATURE = "Nguyễn Văn An, SĐT 0912 345 678."

CAMPAIGN_COPIES = {
    "different greeting": PETITION.replace("Kính gửi Ban soạn thảo,", "Xin chào quý cơ quan,"),
    "different signer and phone": PETITION.replace(SIGNATURE, "Trần Thị Bình, 0987.654.321."),
    "same signer, other phone": PETITION.replace("0912 345 678", "+84 987 654 321"),
    "a few words changed": PETITION.replace("giữ nguyên", "bảo lưu").replace(
        "thu nhập thấp", "hoàn cảnh khó khăn"
    ),
    "greeting and signature changed": PETITION.replace(
        "Kính gửi Ban soạn thảo,", "Chào các anh chị,"
    ).replace(SIGNATURE, "Lê Văn Cường."),
    "typed without diacritics": fold(PETITION),
    "different punctuation": PETITION.replace(",", "").replace(".", "!!"),
    "old-style tone marks and upper case": PETITION.replace("Hoà", "Hòa").upper(),
}

UNRELATED_ON_THE_SAME_DRAFT = [
    PETITION,
    "Dự thảo Luật Đất đai cần quy định rõ hơn về thời hạn cấp giấy chứng nhận quyền sử dụng "
    "đất, hiện nay thủ tục còn rườm rà và kéo dài nhiều tháng.",
    "Tôi không đồng ý với việc tăng giá đất theo bảng giá mới tại Điều 12 vì ảnh hưởng đến "
    "người dân có thu nhập thấp ở nông thôn.",
    "Đề nghị bổ sung quy định về đất tôn giáo, đất tín ngưỡng và cơ chế giải quyết tranh chấp "
    "đất đai giữa các hộ gia đình.",
    "Cần có chế tài xử lý nghiêm cán bộ vi phạm trong công tác thu hồi đất và bồi thường, hỗ "
    "trợ tái định cư cho người dân.",
    "Kính gửi Ban soạn thảo, tôi đề nghị Điều 45 quy định rõ trách nhiệm của Uỷ ban nhân dân "
    "cấp xã trong việc quản lý đất công. Trân trọng cảm ơn.",
    "Đề nghị cơ quan soạn thảo xem xét lại quy định về thuế sử dụng đất phi nông nghiệp đối "
    "với nhà ở duy nhất của hộ gia đình, cá nhân.",
]


@pytest.mark.parametrize("copy", CAMPAIGN_COPIES.values(), ids=CAMPAIGN_COPIES.keys())
def test_campaign_copies_are_near_duplicates(copy: str) -> None:
    assert is_near_duplicate(fingerprint(PETITION), fingerprint(copy))


@pytest.mark.parametrize(
    "copy",
    [
        CAMPAIGN_COPIES["typed without diacritics"],
        CAMPAIGN_COPIES["different punctuation"],
        CAMPAIGN_COPIES["old-style tone marks and upper case"],
        CAMPAIGN_COPIES["same signer, other phone"],
    ],
)
def test_spelling_punctuation_and_phone_numbers_do_not_change_the_fingerprint(copy: str) -> None:
    assert fingerprint(copy) == fingerprint(PETITION)


def test_unrelated_comments_on_the_same_draft_are_not_near_duplicates() -> None:
    fingerprints = [fingerprint(text) for text in UNRELATED_ON_THE_SAME_DRAFT]
    for a, b in itertools.combinations(fingerprints, 2):
        assert not is_near_duplicate(a, b), (a, b)


def test_short_texts_still_get_a_fingerprint() -> None:
    assert fingerprint("Đồng ý") == fingerprint("dong y!")
    assert fingerprint("Đồng ý") != fingerprint("Không đồng ý")
    assert len(fingerprint("ok")) == 16
    assert fingerprint("") == fingerprint("...") == "0" * 16


def test_fingerprints_are_stable_across_processes() -> None:
    # A golden value: stored fingerprints must keep matching after restarts and upgrades,
    # so this may only change together with a migration that recomputes them.
    assert fingerprint("Tôi đồng ý với dự thảo") == "8112a10948a108c1"


def test_similarity_is_one_minus_the_fraction_of_differing_bits() -> None:
    assert similarity("0" * 16, "0" * 16) == 1.0
    assert similarity("0" * 16, "f" * 16) == 0.0
    assert similarity("0" * 16, "000000000000000f") == 1 - 4 / 64
    assert 0.5 < NEAR_DUPLICATE_THRESHOLD < 1.0


@pytest.mark.parametrize("bad", ["", "abc", "0x" + "0" * 14, "g" * 16, "0" * 17, "_" * 16])
def test_malformed_fingerprints_are_rejected(bad: str) -> None:
    with pytest.raises(ValueError):
        similarity(bad, "0" * 16)


def test_bands_are_four_16_bit_keys() -> None:
    assert bands("0123456789abcdef") == ["0:0123", "1:4567", "2:89ab", "3:cdef"]
    assert bands("0123456789ABCDEF") == bands("0123456789abcdef")


def test_fingerprints_within_distance_three_always_share_a_band() -> None:
    rng = random.Random(42)
    for _ in range(5000):
        value = rng.getrandbits(64)
        flipped = value
        for bit in rng.sample(range(64), rng.randint(0, 3)):
            flipped ^= 1 << bit
        a, b = f"{value:016x}", f"{flipped:016x}"
        assert hamming_distance(a, b) <= 3
        assert set(bands(a)) & set(bands(b))
