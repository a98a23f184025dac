"""Vietnamese texts for publishing outcomes: the personal note each commenter receives."""

TEXTS: dict[str, str] = {
    "report.note.title": (
        "📣 Kết quả tiếp thu, giải trình ý kiến\n"
        "{agency} đã công bố bản tổng hợp, tiếp thu, giải trình ý kiến đối với «{round}». "
        "Cảm ơn bạn đã tham gia góp ý! Dưới đây là kết quả xem xét ý kiến của bạn."
    ),
    "report.note.own": "• Góp ý số {id} ({article}): «{body}»\n  → {result}",
    "report.note.cosigned": "• Góp ý số {id} bạn đã đồng ký ({article}): «{body}»\n  → {result}",
    "report.note.whole_draft": "toàn bộ dự thảo",
    "report.note.with_reason": "{outcome}. Lý do: {reason}",
    "report.note.pending": "Cơ quan chủ trì chưa ghi kết quả xem xét góp ý này",
    "report.note.more": "… và {count} góp ý khác: xem tất cả trong mục «Góp ý & trả lời của tôi».",
    "report.note.mine_button": "📋 Góp ý của tôi",
    "error.report.round_not_closed": (
        "Đợt lấy ý kiến này chưa kết thúc. Kết quả và dữ liệu mở chỉ được công bố sau khi đóng."
    ),
    "error.report.outcomes_missing": (
        "Còn {missing} góp ý chưa có kết quả tiếp thu, giải trình. Hãy ghi kết quả cho các góp ý "
        "này, hoặc công bố kèm xác nhận đúng số góp ý còn thiếu ({missing})."
    ),
    "error.report.missing_mismatch": (
        "Số góp ý chưa có kết quả là {missing}, không phải {stated}. Xin kiểm tra lại trước khi "
        "công bố."
    ),
    "error.report.bad_format": "Định dạng không được hỗ trợ. Chọn một trong: {formats}.",
}
