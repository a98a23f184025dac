"""Turn a pasted Vietnamese draft legal document into parts, chapters, sections and articles.

Why: citizens comment article by article (Điều), so the bot needs each article with its
clauses (khoản "1.") and points (điểm "a)"), plus the enclosing Phần/Chương/Mục. Drafts are
pasted from Word or PDF as plain text or Markdown, so parsing is tolerant. Heuristics:

* A heading starts its line (after Markdown and whitespace are stripped); a reference
  inside a sentence never splits. "Điều 5" counts only if a separator (". : - – —", not
  followed by a digit) or the end of the line follows, or a title-like phrase (see
  ``_looks_like_title``): so a wrapped "Điều 5 của Luật này quy định..." stays text.
  Phần/Chương/Mục/Tiểu mục follow the same rule and may carry their title on the next line.
* A lowercase line right after a heading continues it. Clause numbers must climb by at
  most three, so a wrapped "2025." is text. Points follow the Vietnamese alphabet, đ
  after d. Other lines join with a space; a blank line or a "-" bullet starts a paragraph.
* After an article, "Nơi nhận:", "TM."/"KT.", a signing title ("CHỦ TỊCH"), "Luật này
  được Quốc hội ... thông qua" or the end mark "./." begin the closing block.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

SectionKind = Literal["part", "chapter", "section", "subsection", "article"]

POINT_LETTERS = "abcdđeghiklmnopqrstuvxy"
"""Vietnamese point letters in order: đ follows d; f, j, w and z are never used."""

POINT_INDENT = " "  # render_article indents points so they read as nested under the clause

_RANKS: dict[SectionKind, int] = {"part": 0, "chapter": 1, "section": 2, "subsection": 3}
_ORDINALS = {"nhất": 1, "một": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6,
             "bảy": 7, "tám": 8, "chín": 9, "mười": 10}
_REFERENCE_WORDS = frozenset({
    "của", "này", "đó", "và", "hoặc", "được", "theo", "tại", "nêu", "thì", "là", "đã",
    "sẽ", "có", "không", "khoản", "điểm", "luật", "bộ", "nghị", "thông", "pháp", "hiến",
    "quyết", "trên", "dưới", "đến", "từ",
})
_NESTED_REF_RE = re.compile(r"(?i:điều|khoản|điểm|chương|mục|phần)\s+(?:\d|[IVXLCDM]+\b)")
_SEPARATORS = ".:-–—"
_SENTENCE_END = (".", ";", ",", ":")
_NUMERAL = r"\s+(?P<num>[IVXLCDM]+|\d{1,3})(?!\w)(?P<rest>.*)"
_DIVISIONS: tuple[tuple[SectionKind, str, re.Pattern[str]], ...] = (
    ("part", "Phần", re.compile(r"(?i:phần)" + _NUMERAL)),
    ("chapter", "Chương", re.compile(r"(?i:chương)" + _NUMERAL)),
    ("subsection", "Tiểu mục", re.compile(r"(?i:tiểu\s+mục)" + _NUMERAL)),
    ("section", "Mục", re.compile(r"(?i:mục)" + _NUMERAL)),
)
_PART_ORDINAL_RE = re.compile(r"phần\s+thứ\s+(?P<num>\w+)(?P<rest>.*)", re.IGNORECASE)
_ARTICLE_RE = re.compile(rf"điều\s*(?P<num>\d{{1,4}}[{POINT_LETTERS}]?)(?!\w)(?P<rest>.*)", re.I)
_CLAUSE_RE = re.compile(r"(?P<num>\d{1,3})\.(?!\d)\s*(?P<text>.*)")
_POINT_RE = re.compile(r"(?P<letter>[a-zđ])\)\s*(?P<text>.*)")
_BULLET_RE = re.compile(r"[-+•–]\s")
_CLOSING_RE = re.compile(
    r"(?i:nơi\s+nhận)\b.*|(?:TM|KT|TL|TUQ|Q)\.\s*\S.*|(?:Bộ\s+)?(?:Luật|Nghị\s+quyết|Pháp\s+lệnh)"
    r"\s+này\s+(?:đã\s+)?được\s+(?:Quốc\s+hội|.*thông\s+qua).*")
_SIGNER_RE = re.compile(r"(?:PHÓ\s+)?(?:CHỦ\s+TỊCH|GIÁM\s+ĐỐC|BỘ\s+TRƯỞNG|THỦ\s+TƯỚNG)\b.*")
_END_MARK_RE = re.compile(r"\s*\./\.$")
_DOC_TYPE_RE = re.compile(
    r"(?:dự\s+thảo\s+)?(?:bộ\s+luật|luật|pháp\s+lệnh|nghị\s+quyết|nghị\s+định|quyết\s+định"
    r"|thông\s+tư|chỉ\s+thị|quy\s+định|quy\s+chế)(?!\w|\s*số\b)", re.I)
_TITLE_STOP_RE = re.compile(
    r"căn\s+cứ|theo\s+đề\s+nghị|[uủ]y\s+ban|quốc\s+hội|chính\s+phủ|hội\s+đồng", re.I)
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"))
_MD_RULE_RE = re.compile(r"(?:[-*_]\s*){3,}")
_MD_PREFIX_RE = re.compile(r"(?:>\s*)*(?:#{1,6}\s*)?")
_MD_STRONG_RE = re.compile(r"\*\*(.+?)\*\*|__(?=[^\s_])(.+?)(?<=[^\s_])__")
_MD_EM_RE = re.compile(r"(?<![\w*])\*(?=[^\s*])([^*]+?)(?<=[^\s*])\*(?![\w*])")
_MD_ESCAPE_RE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!:])")


class DraftParseError(ValueError):
    """A draft that cannot be offered for comment; ``message_key`` lets the bot translate it."""

    def __init__(self, message_key: str, detail: str) -> None:
        super().__init__(f"{message_key}: {detail}")
        self.message_key = message_key
        self.detail = detail


@dataclass(frozen=True)
class Point:
    """An điểm ("a)", "đ)") inside a clause; citizens may cite it in a comment."""

    letter: str
    text: str


@dataclass(frozen=True)
class Clause:
    """A khoản ("1."); ``number`` is "" for points written directly under the article."""

    number: str
    text: str
    points: list[Point] = field(default_factory=list)


@dataclass(frozen=True)
class Section:
    """One heading of the draft; articles carry the text citizens comment on.

    ``body`` is the readable text below the heading (clauses and points on their own
    lines), ``intro`` the text before the first clause, ``path`` the labels of the
    enclosing part/chapter/section and ``ordinal`` the 0-based document position.
    """

    kind: SectionKind
    label: str
    number: str
    heading: str
    body: str
    clauses: list[Clause]
    path: tuple[str, ...]
    ordinal: int
    intro: str = ""


@dataclass(frozen=True)
class ParsedDraft:
    """A parsed draft; ``original`` is the input unchanged so comments can be audited.

    ``warnings`` holds "duplicate_article: ..." / "article_out_of_order: ..." entries:
    drafts often have numbering slips, and refusing them would block a consultation.
    """

    original: str
    title: str | None
    preamble: str
    sections: list[Section]
    warnings: list[str] = field(default_factory=list)
    closing: str = ""

    @property
    def articles(self) -> list[Section]:
        """Only the articles, because they are the units citizens comment on."""
        return [section for section in self.sections if section.kind == "article"]


@dataclass
class _OpenClause:
    number: str
    text: list[str]
    points: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class _OpenSection:
    kind: SectionKind
    label: str
    number: str
    title: str
    path: tuple[str, ...] = ()
    intro: list[str] = field(default_factory=list)
    clauses: list[_OpenClause] = field(default_factory=list)


def _add(paragraphs: list[str], line: str, new_paragraph: bool) -> None:
    """Join a wrapped line to the last paragraph unless the source started a new one."""
    if new_paragraph or not paragraphs or not paragraphs[-1]:
        paragraphs.append(line)
    else:
        paragraphs[-1] = f"{paragraphs[-1]} {line}"


def _clean_line(raw: str) -> str:
    """Strip odd whitespace and Markdown, so "### **Điều\\u00a05.**" reads "Điều 5."."""
    line = " ".join(raw.translate(_INVISIBLE).split())
    if _MD_RULE_RE.fullmatch(line):
        return ""
    line = _MD_PREFIX_RE.sub("", line, count=1)
    line = _MD_STRONG_RE.sub(lambda m: m.group(1) or m.group(2), line)
    line = _MD_EM_RE.sub(r"\1", _MD_ESCAPE_RE.sub(r"\1", line))
    return " ".join(line.split())


def _looks_like_title(rest: str) -> bool:
    """Tell a heading title ("Phạm vi điều chỉnh") from a sentence ("của Luật này ...").

    A title is capitalised, at most 20 words, has no sentence punctuation at the end, no
    word "này", and does not open with a word that usually follows a reference.
    """
    words = [word.lower().strip(",.;:") for word in rest.split()]
    if not words or len(words) > 20 or not rest[0].isupper() or rest.endswith(_SENTENCE_END):
        return False
    nested = _NESTED_REF_RE.match(rest)  # "Mục 1 Chương II Luật ..." is a reference
    return not nested and words[0] not in _REFERENCE_WORDS and "này" not in words


def _title_after_number(rest: str) -> str | None:
    """Return the same-line title after "Điều 5"/"Chương I", or None if it is no heading."""
    rest = rest.strip()
    if not rest or rest[0] not in _SEPARATORS:
        return rest if not rest or _looks_like_title(rest) else None
    title = rest[1:].lstrip(_SEPARATORS + " ")
    return None if title[:1].isdigit() else title


def _match_heading(line: str) -> _OpenSection | None:
    """Recognise a Phần/Chương/Mục/Tiểu mục/Điều heading at the start of ``line``."""
    found: tuple[SectionKind, str, str, str] | None = None
    if match := _ARTICLE_RE.match(line):
        number = match["num"].lower()
        found = "article", f"Điều {number}", number, match["rest"]
    elif (match := _PART_ORDINAL_RE.match(line)) and match["num"].lower() in _ORDINALS:
        word = match["num"].lower()
        found = "part", f"Phần thứ {word}", str(_ORDINALS[word]), match["rest"]
    else:
        for kind, name, pattern in _DIVISIONS:
            if match := pattern.match(line):
                found = kind, f"{name} {match['num']}", match["num"], match["rest"]
                break
    if found is None or (title := _title_after_number(found[3])) is None:
        return None
    return _OpenSection(found[0], found[1], found[2], title)


def _starts_closing(line: str) -> bool:
    """Recognise the signature/"Nơi nhận" block that follows the last article."""
    signer = line.isupper() and len(line.split()) <= 6 and _SIGNER_RE.fullmatch(line)
    return bool(signer or _CLOSING_RE.fullmatch(line))


def _looks_like_bare_title(line: str) -> bool:
    """Accept the line after a bare "Điều 5" as its title only if it reads like one."""
    short = len(line.split()) <= 15
    return short and line[0].isupper() and not line.endswith(_SENTENCE_END)


def _render_body(intro: str, clauses: list[Clause], indent: str = "") -> str:
    """Lay out clauses and points one per line, the form shown to citizens."""
    lines = [intro] if intro else []
    for clause in clauses:
        if clause.number or clause.text:
            lines.append(f"{clause.number}. {clause.text}" if clause.number else clause.text)
        lines.extend(f"{indent}{point.letter}) {point.text}" for point in clause.points)
    return "\n".join(line.rstrip() for line in lines)


def render_article(section: Section) -> str:
    """Readable text of one article for a chat message: heading, blank line, clauses."""
    head = f"{section.label}. {section.heading}" if section.heading else section.label
    body = _render_body(section.intro, section.clauses, POINT_INDENT)
    return f"{head}\n\n{body}" if body else head


def _extract_title(lines: list[str]) -> str | None:
    """Find the document title ("LUẬT ...", "QUYẾT ĐỊNH Quy định về ...") in the preamble."""
    for index, line in enumerate(lines):
        if not _DOC_TYPE_RE.match(line) or line.endswith(_SENTENCE_END):
            continue
        parts = [line]
        for following in lines[index + 1 : index + 4]:
            stop = not following or _TITLE_STOP_RE.match(following)
            if stop or (following.isupper() and not parts[-1].isupper()):
                break
            parts.append(following)
        return " ".join(parts)
    return None


def _article_key(number: str) -> tuple[int, int]:
    """Sort key so "5" < "5a" < "5b" < "6" when checking article order."""
    digits = number.rstrip(POINT_LETTERS)
    suffix = number[len(digits) :]
    return int(digits), POINT_LETTERS.index(suffix) + 1 if suffix else 0


def _numbering_warnings(articles: list[Section]) -> list[str]:
    """Flag repeated or backwards article numbers, which usually mean an editing slip."""
    warnings: list[str] = []
    seen: set[str] = set()
    for previous, article in zip([None, *articles], articles, strict=False):
        if article.number in seen:
            warnings.append(f"duplicate_article: {article.label} appears more than once")
        elif previous and _article_key(article.number) <= _article_key(previous.number):
            warnings.append(f"article_out_of_order: {article.label} follows {previous.label}")
        seen.add(article.number)
    return warnings


def _accepts_clause(article: _OpenSection, number: int) -> bool:
    """Clause numbers climb by one (allowing small slips); anything else is wrapped text."""
    numbered = [int(clause.number) for clause in article.clauses if clause.number]
    last = numbered[-1] if numbered else 0
    return last < number <= last + 3


def _text_target(article: _OpenSection) -> list[str]:
    """Continuation text belongs to the innermost unit still open: point, clause or intro."""
    if not article.clauses:
        return article.intro
    clause = article.clauses[-1]
    return clause.points[-1][1] if clause.points else clause.text


def _joined(paragraphs: list[str]) -> str:
    """Paragraphs one per line; a clause whose text starts on the next line has an empty one."""
    return "\n".join(paragraph for paragraph in paragraphs if paragraph)


def _freeze(done: _OpenSection, ordinal: int) -> Section:
    """Turn the mutable section being built into the public frozen :class:`Section`."""
    clauses = [
        Clause(c.number, _joined(c.text), [Point(p, _joined(text)) for p, text in c.points])
        for c in done.clauses
    ]
    intro = _joined(done.intro)
    return Section(
        kind=done.kind, label=done.label, number=done.number, heading=done.title,
        body=_render_body(intro, clauses), clauses=clauses, path=done.path,
        ordinal=ordinal, intro=intro,
    )


class _DraftBuilder:
    """Line-by-line state machine; one instance parses one draft."""

    def __init__(self) -> None:
        self.preamble: list[str] = []
        self.closing: list[str] = []
        self.sections: list[Section] = []
        self.stack: list[tuple[int, str]] = []
        self.current: _OpenSection | None = None
        self.heading_open = self.awaiting_title = self.blank_before = self.in_closing = False

    def feed(self, line: str) -> None:
        """Route one cleaned line to a heading, the preamble, an article or the closing."""
        if not line:
            self._blank()
            return
        heading = _match_heading(line)
        if heading is not None:
            self._open(heading)
        elif not self._extend_heading(line):
            self._add_text(line)
        self.blank_before = False

    def finish(self, original: str) -> ParsedDraft:
        """Close the last section and assemble the result."""
        self._open(None)
        articles = [section for section in self.sections if section.kind == "article"]
        preamble, closing = ("\n".join(ls).strip("\n") for ls in (self.preamble, self.closing))
        return ParsedDraft(original, _extract_title(self.preamble), preamble, self.sections,
                           _numbering_warnings(articles), closing)

    def _blank(self) -> None:
        """A blank line ends paragraphs and headings, except a title still to come."""
        self.blank_before = True
        section = self.current
        if not (self.awaiting_title and section and section.kind != "article"):
            self.heading_open = False
        block = self.preamble if section is None else self.closing if self.in_closing else None
        if block and block[-1]:
            block.append("")

    def _open(self, section: _OpenSection | None) -> None:
        """Close the open section and start the next; a division closes lower divisions."""
        if self.current is not None:
            self.sections.append(_freeze(self.current, len(self.sections)))
        self.current = section
        if section is None:
            return
        rank = _RANKS.get(section.kind)
        if rank is not None:
            self.stack = [(r, label) for r, label in self.stack if r < rank]
        section.path = tuple(label for _, label in self.stack)
        if rank is not None:
            self.stack.append((rank, section.label))
        self.heading_open, self.awaiting_title = True, not section.title
        self.in_closing = False

    def _extend_heading(self, line: str) -> bool:
        """Attach a title on the next line, or a wrapped heading line, to the open heading."""
        section = self.current
        if not (section and self.heading_open) or _CLAUSE_RE.match(line) or _POINT_RE.match(line):
            self.heading_open = False
            return False
        if self.awaiting_title:
            self.awaiting_title = False
            is_article = section.kind == "article"
            extends = not is_article or (not self.blank_before and _looks_like_bare_title(line))
        else:
            extends = line[0].islower() or (section.title.isupper() and line.isupper())
        if extends:
            section.title = f"{section.title} {line}".strip()
        self.heading_open = extends
        return extends

    def _add_text(self, line: str) -> None:
        """Put a non-heading line into the preamble, the closing block or the open section."""
        section = self.current
        is_article = section is not None and section.kind == "article"
        if section is None or self.in_closing or (is_article and _starts_closing(line)):
            block = self.preamble if section is None else self.closing
            self.in_closing = section is not None
            _add(block, line, self.blank_before or not line[0].islower())
        elif is_article:
            self._add_article_line(section, line)
        else:
            _add(section.intro, line, self.blank_before or bool(_BULLET_RE.match(line)))

    def _add_article_line(self, article: _OpenSection, line: str) -> None:
        """File a line of an article as a clause, a point or continuation text."""
        if end_mark := _END_MARK_RE.search(line):
            self.in_closing = True
            line = line[: end_mark.start()] + "."
            if line == ".":
                return
        if (match := _CLAUSE_RE.fullmatch(line)) and _accepts_clause(article, int(match["num"])):
            article.clauses.append(_OpenClause(match["num"], [match["text"]]))
        elif (match := _POINT_RE.fullmatch(line)) and match["letter"] in POINT_LETTERS:
            if not article.clauses:
                article.clauses.append(_OpenClause("", []))
            article.clauses[-1].points.append((match["letter"], [match["text"]]))
        else:
            new_paragraph = self.blank_before or bool(_BULLET_RE.match(line))
            _add(_text_target(article), line, new_paragraph)


def parse_draft(text: str) -> ParsedDraft:
    """Parse a plain-text or Markdown draft into articles citizens can comment on.

    The text is NFC-normalised before parsing (Word and macOS often produce decomposed
    diacritics that would defeat matching), but ``ParsedDraft.original`` is ``text``
    itself. Raises :class:`DraftParseError` ("drafts.empty", "drafts.no_articles") when
    there is nothing to comment on; numbering slips only produce ``warnings``.
    """
    lines = [_clean_line(raw) for raw in unicodedata.normalize("NFC", text).splitlines()]
    if not any(lines):
        raise DraftParseError("drafts.empty", "the draft text is empty")
    builder = _DraftBuilder()
    for line in lines:
        builder.feed(line)
    draft = builder.finish(text)
    if not draft.articles:
        detail = 'no line starts an article such as "Điều 1. Phạm vi điều chỉnh"'
        raise DraftParseError("drafts.no_articles", detail)
    return draft
