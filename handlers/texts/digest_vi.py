"""Vietnamese texts of the agencies' digests, round announcements and scheduled reminders."""

TEXTS: dict[str, str] = {
    # digest: heading and period
    "digest.subject": "[Góp ý] Bản tin {kind} – {agency} – {end}",
    "digest.kind.daily": "hằng ngày",
    "digest.kind.weekly": "hằng tuần",
    "digest.title": "📊 Bản tin góp ý {kind} – {agency}",
    "digest.period": "Từ {start} đến {end}",
    "digest.empty": (
        "📊 Bản tin góp ý {kind} – {agency} ({start} – {end}): không có góp ý, câu hỏi hay "
        "đánh giá mới."
    ),
    "digest.part": "(phần {n}/{total})",
    "digest.no_rounds": "Không có dự thảo nào đang lấy ý kiến trong kỳ này.",
    # digest: one round
    "digest.round.title": "📄 {title}",
    "digest.round.closes": "Hạn góp ý: {date}",
    "digest.round.closed": "Đã kết thúc lấy ý kiến.",
    "digest.round.new": "Mới trong kỳ: {comments} góp ý, {cosignatures} lượt đồng ký tên.",
    "digest.round.totals": "Từ đầu đợt: {comments} góp ý, {cosignatures} lượt đồng ký tên.",
    "digest.round.quiet": "Không có góp ý mới trong kỳ.",
    "digest.articles.title": "Theo điều (sôi nổi nhất trước):",
    "digest.articles.item": "• {label}: {comments} góp ý, {cosignatures} đồng ký tên",
    "digest.articles.whole": "Cả dự thảo",
    "digest.articles.more": "• … và {count} điều khác",
    "digest.stances.title": "Theo quan điểm: {items}",
    "digest.kinds.title": "Theo đối tượng: {items}",
    "digest.stance.support": "đồng tình",
    "digest.stance.oppose": "không đồng tình",
    "digest.stance.suggest": "đề nghị sửa đổi",
    "digest.stance.other": "ý kiến khác",
    "digest.kind_of.citizen": "người dân",
    "digest.kind_of.business": "doanh nghiệp",
    "digest.themes.title": "Chủ đề nổi bật:",
    "digest.themes.item": "• «{phrase}» – {count} góp ý. Ví dụ (#{id}): «{example}»",
    "digest.themes.sampled": "(chủ đề rút từ {sampled} trên {total} góp ý mới)",
    "digest.campaigns.title": "Góp ý gần như giống nhau (theo nhóm):",
    "digest.campaigns.item": (
        "• {count} góp ý gần như giống nhau{where}, {cosignatures} đồng ký tên. "
        "Ví dụ (#{id}): «{example}»"
    ),
    "digest.campaigns.where": " ({label})",
    "digest.cosigned.title": "Được đồng ký tên nhiều nhất trong kỳ:",
    "digest.cosigned.item": "• #{id}: +{new} đồng ký tên (tổng {total}). «{example}»",
    # digest: questions
    "digest.questions.title": "❓ Câu hỏi của người dân",
    "digest.questions.summary": (
        "Mới: {new} · Sắp đến hạn ({days} ngày): {soon} · Quá hạn: {overdue} · "
        "Đã trả lời trong kỳ: {answered} · Đang chờ trả lời: {open}"
    ),
    "digest.questions.overdue": "⚠️ Quá hạn:",
    "digest.questions.soon": "⏳ Sắp đến hạn:",
    "digest.questions.new": "🆕 Mới:",
    "digest.questions.item": "• #Q{id} – hạn {due} – {round}\n  «{text}»\n  Trả lời: /answer {id} <nội dung>",
    "digest.questions.general": "câu hỏi chung",
    "digest.questions.more": "• … và {count} câu hỏi khác (/questions để xem)",
    # digest: satisfaction
    "digest.satisfaction.title": "⭐ Mức độ hài lòng (đánh giá 4–5 sao)",
    "digest.satisfaction.period": "Trong kỳ: {satisfied}/{ratings} ({share})",
    "digest.satisfaction.total": "Từ trước đến nay: {satisfied}/{ratings} ({share})",
    "digest.satisfaction.none": "chưa có đánh giá",
    # e-mail
    "digest.email.attachment": "Tệp đính kèm: danh sách {rows} góp ý của kỳ này (Excel).",
    "digest.email.truncated": "Tệp chỉ gồm {rows} góp ý đầu tiên trên tổng số {total}.",
    "digest.email.footer": "Thư tự động từ hệ thống lấy ý kiến; vui lòng không trả lời thư này.",
    # spreadsheet columns
    "digest.xlsx.sheet": "Góp ý",
    "digest.xlsx.id": "Mã",
    "digest.xlsx.time": "Thời gian",
    "digest.xlsx.round": "Dự thảo",
    "digest.xlsx.article": "Điều",
    "digest.xlsx.stance": "Quan điểm",
    "digest.xlsx.kind": "Đối tượng",
    "digest.xlsx.organisation": "Tổ chức",
    "digest.xlsx.cosignatures": "Đồng ký tên",
    "digest.xlsx.moderation": "Kiểm duyệt",
    "digest.xlsx.text": "Nội dung (đã ẩn thông tin liên hệ)",
    "digest.xlsx.truncated": "… còn {count} góp ý không có trong tệp này.",
    # announcements to followers
    "notice.opened": (
        "🔔 Dự thảo mới lấy ý kiến: «{title}» của {agency}. Hạn góp ý: {closes}.\n"
        "Mời bạn đọc từng điều và góp ý."
    ),
    "notice.opened_no_end": (
        "🔔 Dự thảo mới lấy ý kiến: «{title}» của {agency}.\nMời bạn đọc từng điều và góp ý."
    ),
    "notice.closed": (
        "🔔 Dự thảo «{title}» của {agency} đã kết thúc lấy ý kiến. Cảm ơn bạn đã quan tâm; "
        "cơ quan soạn thảo sẽ công bố báo cáo tiếp thu, giải trình."
    ),
    "notice.read": "📖 Xem dự thảo",
    "notice.closing": (
        "⏳ Dự thảo «{title}» sẽ hết hạn góp ý vào {closes}. Bạn đang viết dở một góp ý; "
        "hãy hoàn tất để ý kiến của bạn được ghi nhận."
    ),
    "notice.continue": "✍️ Tiếp tục góp ý",
    "notice.questions.title": "⏰ Nhắc việc: câu hỏi của người dân cần trả lời",
    "notice.questions.overdue": "⚠️ Đã quá hạn:",
    "notice.questions.soon": "⏳ Sắp đến hạn:",
    # errors (CLI and console)
    "error.digest.bad_kind": "Loại bản tin không hợp lệ: {kind} (daily hoặc weekly).",
    "error.digest.bad_cron": "Lịch không hợp lệ: {cron} (cần 5 trường, ví dụ \"30 7 * * *\").",
    "error.digest.bad_email": "Địa chỉ e-mail không hợp lệ: {address}",
    "error.digest.not_found": "Không tìm thấy bản tin này.",
    "error.job.unknown": "Không có tác vụ tên {name}.",
}
