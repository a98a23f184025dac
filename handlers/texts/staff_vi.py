"""Vietnamese texts for agency staff working from a chat, and for answers relayed to citizens."""

TEXTS: dict[str, str] = {
    # help and refusals
    "staff.help": (
        "Lệnh dành cho cán bộ (staff commands):\n"
        "/cauhoi (/questions) – câu hỏi đang chờ trả lời, hạn sớm nhất trước\n"
        "/traloi (/answer) <số câu hỏi> <nội dung> – trả lời câu hỏi của người dân; "
        "hoặc trả lời (reply) trực tiếp tin báo câu hỏi mới\n"
        "/ketqua (/outcome) <số góp ý> <tiep_thu | mot_phan | giai_trinh> <lý do> – ghi kết quả "
        "tiếp thu, giải trình góp ý (lý do bắt buộc khi tiếp thu một phần hoặc giải trình)\n"
        "/lienket (/link) <mã> – liên kết tài khoản hoặc nhóm này bằng mã do quản trị viên cấp"
    ),
    "staff.refused": (
        "Xin lỗi, lệnh này chỉ dành cho cán bộ đã liên kết tài khoản. Nếu bạn là cán bộ, hãy xin "
        "quản trị viên cấp mã liên kết rồi gửi: /link <mã>"
    ),
    "staff.refused_group": (
        "Xin lỗi, nhóm này chưa được liên kết với cơ quan nào. Quản trị viên có thể cấp mã liên "
        "kết nhóm; khi có mã, gửi /link <mã> trong nhóm."
    ),
    # linking
    "staff.link.usage": "Cách dùng: /link <mã liên kết>, ví dụ /link K7M2-Q9XD",
    "staff.link.staff_done": (
        "✅ Đã liên kết tài khoản này với cán bộ {name}. Câu hỏi mới của người dân sẽ được báo "
        "tại đây. Gõ /trogiup để xem các lệnh."
    ),
    "staff.link.agency_done": (
        "✅ Nhóm này đã được liên kết với {agency}. Câu hỏi mới của người dân sẽ được báo vào "
        "nhóm; thành viên nhóm có thể trả lời bằng cách trả lời (reply) tin báo."
    ),
    "staff.link.voided": (
        "⚠️ Mã này là mã cá nhân nhưng đã được gửi trong nhóm, nên đã bị huỷ để bảo đảm an toàn. "
        "Xin quản trị viên cấp mã mới và gửi mã đó cho bot trong cuộc trò chuyện riêng."
    ),
    # answering questions
    "staff.answer.usage": "Cách dùng: /answer <số câu hỏi> <nội dung trả lời>",
    "staff.answer.sent": "✅ Đã ghi nhận và gửi câu trả lời cho câu hỏi số {id} tới người hỏi.",
    "staff.answer.undelivered": (
        "Đã ghi nhận câu trả lời cho câu hỏi số {id}, nhưng không gửi được cho người hỏi "
        "(người hỏi đã xoá dữ liệu hoặc không còn liên lạc được qua kênh này)."
    ),
    # outcomes of comments
    "staff.outcome.usage": (
        "Cách dùng: /outcome <số góp ý> <tiep_thu | mot_phan | giai_trinh> <lý do>\n"
        "Ví dụ: /outcome 12 giai_trinh Nội dung này đã được quy định tại Điều 5."
    ),
    "staff.outcome.done": "✅ Đã ghi kết quả cho góp ý số {id}: {outcome}.",
    "staff.outcome.accepted": "tiếp thu",
    "staff.outcome.partly_accepted": "tiếp thu một phần",
    "staff.outcome.explained": "giải trình",
    # open questions
    "staff.questions.none": "Không có câu hỏi nào đang chờ trả lời. 👍",
    "staff.questions.title": "Câu hỏi đang chờ trả lời ({count}), hạn sớm nhất trước:",
    "staff.questions.item": "• Số {id} – hạn {due}{overdue} – {round}\n  «{question}»",
    "staff.questions.overdue": " ⚠️ quá hạn",
    "staff.questions.general": "câu hỏi chung",
    "staff.questions.more": "… và các câu hỏi khác. Trả lời bớt để xem tiếp.",
    "staff.questions.hint": "Trả lời: /answer <số câu hỏi> <nội dung>",
    # notifications to the agency
    "staff.notify.question": (
        "❓ Câu hỏi mới #Q{id} – hạn trả lời {due}\n"
        "Dự thảo: {round}\n\n"
        "«{question}»\n\n"
        "Để trả lời người hỏi: trả lời (reply) tin nhắn này, hoặc gõ /answer {id} <nội dung>."
    ),
    # answers relayed to citizens
    "rate.button": "{n} ⭐",
    # errors shown to staff
    "staff.error.generic": "Xin lỗi, đã có lỗi xảy ra; chưa có gì được ghi nhận. Xin thử lại.",
    "staff.error.link.invalid": "Mã liên kết không đúng hoặc đã hết hiệu lực. Xin quản trị viên cấp mã mới.",
    "staff.error.link.channel_unsupported": "Kênh này chưa hỗ trợ liên kết tài khoản cán bộ.",
    "staff.error.link.agency_code_needs_group": (
        "Đây là mã liên kết nhóm của cơ quan. Hãy thêm bot vào nhóm làm việc rồi gửi /link <mã> "
        "trong nhóm đó."
    ),
    "staff.error.link.chat_taken": "Nhóm này đã được liên kết với một cơ quan khác.",
    "staff.error.question.not_found": "Không tìm thấy câu hỏi số này.",
    "staff.error.question.already_answered": "Câu hỏi này đã được trả lời rồi.",
    "staff.error.question.not_your_agency": (
        "Câu hỏi này thuộc cơ quan khác; bạn chỉ có thể trả lời câu hỏi gửi cơ quan mình."
    ),
    "staff.error.answer.empty": "Nội dung trả lời đang trống.",
    "staff.error.answer.too_long": "Câu trả lời quá dài (tối đa {limit} ký tự). Xin rút gọn và gửi lại.",
    "staff.error.comment.not_found": "Không tìm thấy góp ý số này.",
    "staff.error.outcome.not_your_agency": (
        "Góp ý này thuộc dự thảo của cơ quan khác; bạn chỉ có thể ghi kết quả cho dự thảo của cơ "
        "quan mình."
    ),
    "staff.error.outcome.bad_value": "Kết quả phải là tiep_thu, mot_phan hoặc giai_trinh.",
    "staff.error.outcome.note_required": (
        "Cần ghi lý do khi tiếp thu một phần hoặc giải trình: /outcome <số> <kết quả> <lý do>"
    ),
    "staff.error.outcome.note_too_long": "Lý do quá dài (tối đa {limit} ký tự).",
    "staff.error.outcome.round_reported": (
        "Dự thảo này đã công bố báo cáo tổng hợp, không thể sửa kết quả tiếp thu nữa."
    ),
}
