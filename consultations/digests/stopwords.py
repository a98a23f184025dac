"""Vietnamese stop words, for key-phrase extraction.

A phrase may contain stop words inside ("thời hạn của giấy phép") but may not start
or end with one. Words are compared with their diacritics when the comment has
them: "trông" (to watch over, as in "phí trông giữ xe") is not "trong" (in), nor
"cư" (as in "dân cư") "cứ". Text typed without diacritics cannot tell them apart,
so there a word is a stop word when any stop word folds to it.

BOILERPLATE holds the consultation's own phrases (folded): what nearly every
comment on a draft says, which tells nothing about what this period's comments
are about. A key phrase may not be, start with or end with one of them.
"""

from __future__ import annotations

from consultations.text import fold

_STOP_WORDS = """
à ai anh ấy bà bằng bao bây bị bởi các cái cần càng chỉ chiếc cho chứ chưa chúng có còn
cứ của cũng đã đang đây để đến đều đi đó đối được em gì giờ giữa hai hay hết họ hoặc hơn
khác khi kia không là lại làm lần lên lúc mà mấy mình mỗi một muốn năm nào này nếu nên
ngày người nhất nhé nhiều như những nơi nữa ở ôi ông phải qua ra rằng rất rồi sau sẽ sao
số ta tại tháng thế thêm theo thì thôi tôi trên trong trước từ tuần từng và vào vẫn vậy
về vì việc với vừa xin ý
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
FOLDED_STOP_WORDS = frozenset(fold(word) for word in STOP_WORDS)

BOILERPLATE = frozenset(
    {
        "ban soan thao",
        "bo sung",
        "cam on",
        "chung toi",
        "co quan",
        "de nghi",
        "de xuat",
        "dieu khoan",
        "dong tinh",
        "du thao",
        "gop y",
        "kien nghi",
        "nghi dinh",
        "nha nuoc",
        "phan doi",
        "quy dinh",
        "quyet dinh",
        "soan thao",
        "sua doi",
        "thong tu",
        "tran trong",
        "ung ho",
        "y kien",
    }
)


def is_stop(word: str, folded: str) -> bool:
    """`word` casefolded as typed, `folded` without its diacritics."""
    if word == folded:
        return folded in FOLDED_STOP_WORDS
    return word in STOP_WORDS
