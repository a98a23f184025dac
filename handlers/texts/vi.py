"""Vietnamese texts: the first language of every citizen-facing message."""

TEXTS: dict[str, str] = {
    # consent and start
    "consent.prompt": (
        "Xin chào! Đây là kênh lấy ý kiến nhân dân về các dự thảo văn bản của {province}.\n\n"
        "Để ghi nhận góp ý và câu hỏi của bạn, chúng tôi cần bạn đồng ý cho phép lưu: mã tài "
        "khoản trên kênh này, nội dung bạn gửi và ngôn ngữ bạn chọn. Dữ liệu chỉ dùng để tổng "
        "hợp ý kiến và trả lời bạn; nội dung góp ý được công khai ẩn danh, đã che số điện thoại, "
        'số giấy tờ và email. Bạn có thể xem hoặc xoá dữ liệu bất cứ lúc nào (gõ "quyền riêng '
        'tư").\n\n'
        "Hello! This is the public consultation channel. To record your comments and questions "
        "we need your consent to store your account id on this channel, what you send and your "
        'language. Type "privacy" at any time to see or erase your data.'
    ),
    "consent.agree": "✅ Tôi đồng ý",
    "consent.decline": "Không đồng ý",
    "consent.thanks": "Cảm ơn bạn! Chúng tôi đã ghi nhận sự đồng ý của bạn.",
    "consent.declined": (
        "Chúng tôi sẽ không lưu thông tin nào của bạn. Bạn vẫn có thể đọc các dự thảo. "
        'Khi muốn góp ý, hãy chọn "Tôi đồng ý".'
    ),
    "consent.required": "Để gửi góp ý hoặc câu hỏi, bạn cần đồng ý cho phép lưu dữ liệu trước.",
    # menu
    "menu.title": "Bạn muốn làm gì? Chọn một mục hoặc gõ số tương ứng:",
    "menu.rounds": "1. Xem dự thảo",
    "menu.comment": "2. Góp ý",
    "menu.ask": "3. Hỏi cơ quan soạn thảo",
    "menu.mine": "4. Góp ý & trả lời của tôi",
    "menu.follow": "5. Theo dõi",
    "menu.language": "6. English",
    "menu.privacy": "7. Quyền riêng tư",
    "menu.help": "8. Trợ giúp",
    "button.menu": "☰ Menu",
    "button.cancel": "Huỷ",
    "button.back": "◀ Quay lại",
    # rounds and reading
    "rounds.none": "Hiện chưa có dự thảo nào đang lấy ý kiến. Bạn có thể theo dõi để được báo khi có.",
    "rounds.title": "Các dự thảo đang lấy ý kiến:",
    "rounds.item": "{n}. {title} (đến {closes})",
    "round.summary": (
        "📄 {title}\nCơ quan chủ trì: {agency}\nThời gian lấy ý kiến: {opens} – {closes}\n"
        "Số điều: {articles}\n\n{summary}"
    ),
    "round.status.closed": "Dự thảo này đã hết thời gian lấy ý kiến.",
    "round.read": "📖 Đọc từng điều",
    "round.comment": "✍️ Góp ý chung",
    "round.ask": "❓ Đặt câu hỏi",
    "round.follow": "🔔 Theo dõi",
    "round.unfollow": "🔕 Bỏ theo dõi",
    "read.page": "{title}\n{path}\n\n{text}\n\n— Điều {index}/{total}{part}",
    "read.part": " · phần {part}/{parts}",
    "read.prev": "◀ Điều trước",
    "read.next": "Điều sau ▶",
    "read.more": "Đọc tiếp ▶",
    "read.comment": "✍️ Góp ý điều này",
    "read.hint": 'Gõ ý kiến của bạn về điều này bất cứ lúc nào, hoặc gõ "điều 5" để chuyển.',
    "read.no_article": "Không tìm thấy {label} trong dự thảo này.",
    # composing a comment
    "compose.pick_round": "Bạn muốn góp ý cho dự thảo nào?",
    "compose.ask_text.round": 'Mời bạn nhập góp ý cho dự thảo "{title}":',
    "compose.ask_text.article": 'Mời bạn nhập góp ý cho {label}{heading} của dự thảo "{title}":',
    "compose.ask_stance": "Quan điểm của bạn về nội dung này là gì?",
    "stance.support": "👍 Đồng tình",
    "stance.oppose": "👎 Không đồng tình",
    "stance.suggest": "✏️ Đề nghị sửa đổi",
    "stance.other": "💬 Ý kiến khác",
    "compose.confirm": (
        "Xin kiểm tra lại góp ý:\n\nDự thảo: {title}\nPhạm vi: {target}\nQuan điểm: {stance}\n"
        "Gửi với tư cách: {respondent}\n\n«{text}»\n\nGửi góp ý này?"
    ),
    "compose.target.round": "toàn bộ dự thảo",
    "respondent.citizen": "cá nhân",
    "respondent.business": "doanh nghiệp ({organisation})",
    "compose.send": "✅ Gửi",
    "compose.edit": "✏️ Sửa nội dung",
    "compose.as_business": "🏢 Gửi với tư cách doanh nghiệp",
    "compose.as_citizen": "👤 Gửi với tư cách cá nhân",
    "compose.ask_org": "Xin nhập tên doanh nghiệp/tổ chức của bạn:",
    "compose.org_invalid": "Tên doanh nghiệp không được để trống và tối đa 300 ký tự. Xin nhập lại:",
    "compose.edit_prompt": "Mời bạn nhập lại nội dung góp ý:",
    "compose.captured": "Tôi đã giữ nội dung bạn vừa gõ làm góp ý.",
    "compose.done": (
        "✅ Đã ghi nhận góp ý số {id}. Cảm ơn bạn! Cơ quan chủ trì sẽ tổng hợp và công khai "
        'việc tiếp thu, giải trình. Gõ "của tôi" để theo dõi.'
    ),
    "compose.held": (
        "Góp ý số {id} đã được ghi nhận và sẽ được kiểm duyệt trước khi công khai vì có từ ngữ "
        "có thể không phù hợp."
    ),
    "compose.cancelled": "Đã huỷ. Nội dung chưa được gửi.",
    "compose.duplicate": (
        "Đã có một góp ý rất giống của bạn ({count} người đã đồng ký):\n\n«{body}»\n\n"
        "Bạn muốn đồng ký vào góp ý này hay vẫn gửi góp ý riêng?"
    ),
    "compose.cosign": "🤝 Đồng ký",
    "compose.own": "✍️ Gửi góp ý riêng",
    "compose.cosigned": "🤝 Bạn đã đồng ký. Góp ý này hiện có {count} người đồng ký.",
    # questions
    "ask.pick_round": "Bạn muốn hỏi về dự thảo nào?",
    "ask.prompt": "Mời bạn nhập câu hỏi gửi {agency}:",
    "ask.done": (
        "✅ Đã gửi câu hỏi số {id} tới {agency}. Hạn trả lời: {due}. Câu trả lời sẽ được gửi "
        "cho bạn qua kênh này."
    ),
    # mine
    "mine.empty": "Bạn chưa gửi góp ý hay câu hỏi nào.",
    "mine.comments": "Góp ý của bạn:",
    "mine.comment": "• Số {id} – {round}{label}: «{body}»\n  {status}",
    "mine.questions": "Câu hỏi của bạn:",
    "mine.question": "• Số {id}: «{body}»\n  {status}",
    "outcome.none": "Đang chờ cơ quan chủ trì xem xét",
    "outcome.accepted": "Đã tiếp thu",
    "outcome.partly_accepted": "Tiếp thu một phần",
    "outcome.explained": "Đã giải trình",
    "moderation.pending": "Đang chờ kiểm duyệt",
    "moderation.hidden": "Không công khai",
    "question.open": "Đang chờ trả lời (hạn {due})",
    "question.answered": "Đã trả lời: {answer}",
    "question.closed": "Đã đóng",
    # follow
    "follow.title": "Theo dõi để nhận thông báo khi có dự thảo mới hoặc kết quả tiếp thu.",
    "follow.all": "🔔 Theo dõi mọi dự thảo mới",
    "follow.all_off": "🔕 Bỏ theo dõi dự thảo mới",
    "follow.on": "🔔 Đã bật theo dõi.",
    "follow.off": "🔕 Đã tắt theo dõi.",
    "follow.already": "Bạn đã theo dõi mục này rồi.",
    # language
    "language.set": "Đã chuyển sang tiếng Việt.",
    # privacy
    "privacy.title": (
        "Quyền riêng tư: chúng tôi lưu mã tài khoản của bạn trên kênh này, ngôn ngữ, nội dung "
        "góp ý và câu hỏi, thời điểm bạn đồng ý (phiên bản {version}). Bạn có thể:"
    ),
    "privacy.export": "📦 Xem dữ liệu của tôi",
    "privacy.forget": "🗑 Xoá dữ liệu của tôi",
    "privacy.export_text": "Dữ liệu chúng tôi lưu về bạn:\n\n{data}",
    "privacy.forget_confirm": (
        "Xoá dữ liệu sẽ xoá tài khoản của bạn khỏi hệ thống ngay lập tức. Các góp ý đã gửi vẫn "
        "được giữ trong hồ sơ lấy ý kiến nhưng ẩn danh, không còn liên kết với bạn. Bạn chắc chắn?"
    ),
    "privacy.forget_yes": "🗑 Có, xoá dữ liệu",
    "privacy.forgotten": "Đã xoá dữ liệu của bạn. Cảm ơn bạn đã tham gia.",
    # help and errors
    "help.text": (
        'Hướng dẫn:\n• Gõ "menu" để về trang chính.\n• Gõ "xem dự thảo" để đọc, "điều 2" '
        "để đến điều 2.\n• Gõ thẳng ý kiến của bạn khi đang đọc một điều để góp ý cho điều đó.\n"
        '• Gõ "hỏi" để đặt câu hỏi, "của tôi" để xem góp ý và câu trả lời.\n'
        '• Gõ "quyền riêng tư" để xem hoặc xoá dữ liệu.\nCó thể gõ không dấu, ví dụ "gop y".'
    ),
    "unknown.text": 'Xin lỗi, tôi chưa hiểu. Bạn có thể chọn một mục dưới đây hoặc gõ "trợ giúp".',
    "unknown.action": "Nút này không còn hiệu lực. Mời bạn chọn lại.",
    "unsupported.media": (
        "Xin lỗi, kênh này chưa nhận {kind}. Bạn vui lòng gõ nội dung bằng chữ, hoặc gửi ảnh/tệp "
        "kèm góp ý."
    ),
    "attachment.kept": "Đã nhận tệp đính kèm; tệp sẽ được gửi kèm góp ý của bạn.",
    "throttled": "Bạn đang gửi quá nhanh. Xin chờ vài giây rồi gửi tiếp nhé.",
    "error.generic": "Xin lỗi, đã có lỗi xảy ra. Nội dung bạn đã gửi trước đó vẫn được giữ nguyên.",
    "error.round.not_found": "Không tìm thấy dự thảo này.",
    "error.round.not_open": "Dự thảo này hiện không nhận góp ý (chưa mở hoặc đã kết thúc).",
    "error.section.not_found": "Không tìm thấy điều này trong dự thảo.",
    "error.comment.empty": "Nội dung góp ý đang trống. Mời bạn nhập nội dung.",
    "error.comment.too_long": "Góp ý quá dài (tối đa {limit} ký tự). Xin rút gọn và gửi lại.",
    "error.comment.not_found": "Không tìm thấy góp ý này.",
    "error.question.empty": "Câu hỏi đang trống. Mời bạn nhập câu hỏi.",
    "error.question.too_long": "Câu hỏi quá dài (tối đa {limit} ký tự). Xin rút gọn và gửi lại.",
    "error.rating.out_of_range": "Xin chọn điểm từ 1 đến 5.",
    "error.rating.target_not_found": "Không tìm thấy nội dung cần đánh giá.",
    "error.participant.not_found": 'Không tìm thấy tài khoản của bạn. Gõ "menu" để bắt đầu lại.',
    "error.empty": "Tin nhắn trống. Mời bạn nhập nội dung.",
    "error.too_long": "Tin nhắn quá dài (tối đa {limit} ký tự). Xin rút gọn và gửi lại.",
    # rating
    "rate.prompt": "Bạn đánh giá câu trả lời này thế nào? (1 = rất không hài lòng, 5 = rất hài lòng)",
    "rate.thanks": "Cảm ơn bạn đã đánh giá {score}/5.",
    "answer.relay": "📩 {agency} trả lời câu hỏi số {id} của bạn:\n\n«{question}»\n\n{answer}",
    "media.voice": "tin nhắn thoại",
    "media.audio": "tệp âm thanh",
    "media.sticker": "nhãn dán",
    "media.gif": "ảnh động",
    "media.video": "video",
    "media.location": "vị trí",
    "media.contact": "danh thiếp",
    "media.other": "loại tin nhắn này",
    "error.bad_request": "Yêu cầu không hợp lệ. Xin tải lại trang và thử lại. (Invalid request, please reload.)",
    "media.edited": "tin nhắn đã sửa (vui lòng gửi tin nhắn mới)",
    "follow.agency": "🔔 Theo dõi {name}",
    "follow.agency_off": "🔕 Bỏ theo dõi {name}",
}
