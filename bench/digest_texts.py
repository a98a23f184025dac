"""The words of the generated comments (bench/digest_seed.py): ordinary ones, a trending
topic for the last day, and three campaign petitions."""

from __future__ import annotations

import random

OPENERS = [
    "Tôi đề nghị",
    "Kính gửi Ban soạn thảo, tôi thấy",
    "Theo tôi",
    "Chúng tôi kiến nghị",
    "Đề nghị làm rõ",
    "Doanh nghiệp chúng tôi đề xuất",
    "Tôi không đồng tình vì",
    "Cần xem xét",
]
TOPICS = [
    "thời hạn cấp giấy phép xây dựng",
    "mức thu lệ phí trước bạ",
    "hồ sơ đăng ký kinh doanh",
    "trách nhiệm của Ủy ban nhân dân cấp xã",
    "thủ tục cấp đổi giấy chứng nhận",
    "quy hoạch sử dụng đất",
    "bồi thường khi thu hồi đất",
    "giờ mở cửa của chợ truyền thống",
    "xử lý rác thải sinh hoạt",
    "dịch vụ công trực tuyến mức độ 4",
    "an toàn thực phẩm",
    "bảo vệ môi trường làng nghề",
    "học phí trường công lập",
    "kiểm tra phòng cháy chữa cháy",
]
ENDINGS = [
    "để người dân dễ thực hiện.",
    "vì hiện nay còn nhiều bất cập.",
    "cho phù hợp thực tế.",
    "và công khai trên cổng thông tin.",
    "nhằm giảm chi phí cho doanh nghiệp.",
]
TREND = "phí trông giữ xe"
TREND_PLACES = ["tại bệnh viện", "ở chợ", "tại trường học", "ở khu du lịch", "trong khu dân cư"]

CAMPAIGN_TEXTS = [
    "Chúng tôi là các hộ kinh doanh tại chợ trung tâm, đề nghị giữ nguyên mức phí thuê quầy "
    "như năm trước vì thu nhập của tiểu thương đang giảm mạnh sau dịch bệnh.",
    "Người dân khu phố 3 kiến nghị không mở rộng bãi tập kết rác gần khu dân cư, đề nghị "
    "chuyển bãi ra xa trường học và trạm y tế phường.",
    "Phụ huynh học sinh đề nghị miễn học phí cho học sinh trung học cơ sở trên địa bàn tỉnh "
    "như các tỉnh lân cận đã làm từ năm học trước.",
]


def texts(rng: random.Random, count: int, trend: bool) -> list[str]:
    texts = []
    for _ in range(count):
        if trend:
            body = f"{rng.choice(OPENERS)} giảm {TREND} {rng.choice(TREND_PLACES)}"
        else:
            body = f"{rng.choice(OPENERS)} {rng.choice(TOPICS)}"
        texts.append(f"{body} {rng.choice(ENDINGS)}")
    return texts
