"""Built-in word lists for the abuse filter (data only; logic lives in ``abuse.py``).

How the lists are matched (see :class:`consultations.text.abuse.AbuseFilter`):

* ``EXACT_TERMS`` keep their diacritics and match lowercase tokens exactly. Vietnamese
  profanity mostly collides with ordinary words once diacritics are removed ("đụ" vs
  "du lịch"/"dự thảo"/"dụ dỗ", "cặc" vs "các"/"cắc", "lồn" vs "lớn"/"lợn", "đéo" vs
  "đeo khẩu trang", "đĩ" vs "đi", "buồi" vs "buổi"), so these words are only flagged
  when typed with their own diacritics.
* ``TEENCODE_TERMS`` are plain ASCII and match tokens after lowercasing and turning "đ"
  into "d" (so "dm", "ĐM" and "đm" all hit) but with tone marks kept, so "đít xe" never
  turns into the teencode "dit". Only spellings with no ordinary reading belong here.
* ``ALLOW_PHRASES`` suppress a hit that lies entirely inside them: walnuts are "quả óc
  chó", and "buồi sáng" is a common one-key typo of "buổi sáng".
* ``UNIT_TERMS`` are teencode that is also a unit after a number ("xe 50 cc", "3 dm").

Keep the lists modest: a false positive hides a citizen's legitimate comment.
"""

from __future__ import annotations

__all__ = ["ALLOW_PHRASES", "EXACT_TERMS", "TEENCODE_TERMS", "UNIT_TERMS"]

EXACT_TERMS: tuple[str, ...] = (
    # Vulgar words, flagged alone.
    "địt", "đụ", "đéo", "đĩ", "lồn", "buồi", "cặc",
    # Oaths and phrases.
    "địt mẹ", "địt con mẹ", "đụ má", "đụ mẹ", "đù má", "đù mẹ", "mẹ kiếp", "con mẹ mày",
    "vãi lồn", "vãi cả lồn", "vãi cứt", "ăn cứt", "mặt lồn", "con đĩ", "cút mẹ mày",
    # Insults aimed at people.
    "đồ chó", "thằng chó", "chó má", "óc chó", "óc lợn", "não tàn", "đồ ngu", "thằng ngu",
    "ngu như bò", "ngu như chó", "ngu như lợn", "khốn nạn", "mất dạy", "súc sinh",
)  # fmt: skip

TEENCODE_TERMS: tuple[str, ...] = (
    "dm", "dmm", "dcm", "dcmm", "dkm", "cmm", "cmn", "vcl", "vkl", "vl", "clgt", "cc",
    "loz", "djt", "dit me", "dit con me",
    "fuck", "fucking", "motherfucker",
)  # fmt: skip

ALLOW_PHRASES: tuple[str, ...] = (
    "quả óc chó", "hạt óc chó", "dầu óc chó", "sữa óc chó", "bánh óc chó",
    "buồi sáng", "buồi trưa", "buồi chiều", "buồi tối", "buồi họp", "buồi học",
    "buồi làm việc", "buồi tiếp dân", "mỗi buồi", "một buồi",
)  # fmt: skip

UNIT_TERMS: frozenset[str] = frozenset({"cc", "dm"})
