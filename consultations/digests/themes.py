"""Key phrases of a period's comments: what people are talking about now.

Method (chosen over underthesea's word_tokenize, which does work offline with its
bundled CRF model, because it costs about 0.9 ms a comment, adds ~96 MB of
dependencies, and segments text typed without diacritics poorly; see docs/digests.md):

1. Each comment is cut into clauses at punctuation, then into syllables; each
   syllable is folded (no case, no diacritics), so "phí trông giữ xe" and
   "phi trong giu xe" are one phrase.
2. Candidates are syllable n-grams of 2 to 4 (most Vietnamese words are one or two
   syllables, so these cover words and short phrases) that neither start nor end
   with a stop word, contain no bare number, and are not the consultation's own
   boilerplate ("dự thảo", "góp ý", "đề nghị").
3. A phrase counts once per comment (document frequency), so one long comment
   cannot make a theme; it must appear in at least 2 comments and 1% of them.
4. Ranking: with enough earlier comments of the round as a reference, by the
   log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi & Quinn,
   2008), i.e. phrases unusually frequent now compared with before; without a
   reference, by frequency, slightly favouring longer phrases.
5. A phrase nearly always continued by the same word is a piece of a longer one
   and is ranked lower. The best phrases are taken greedily, skipping any that
   overlaps one already taken in mostly the same comments ("trông giữ xe" after
   "phí trông giữ xe"); each is shown in the spelling most comments used, with one
   comment of typical length as its example.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from consultations.digests.stopwords import BOILERPLATE, is_stop
from consultations.text import fold

MIN_N, MAX_N = 2, 4
MAX_PHRASE = 8
MIN_DOCS = 2
MIN_SHARE = 0.01
MIN_REFERENCE = 50
PRIOR = 10.0
EXAMPLE_CHARS = 160
_CLAUSE = re.compile(r"[.,;:!?()\[\]{}\"“”‘’'«»…\n\r\t/|•*+=<>–—-]+")
_WORD = re.compile(r"[^\W_]+")


@dataclass(frozen=True)
class Doc:
    id: int
    text: str


@dataclass(frozen=True)
class PhraseHit:
    """A key phrase, how many comments use it, and one of them."""

    phrase: str
    folded: str
    comments: int
    example: Doc
    holders: tuple[Doc, ...] = field(default=(), repr=False, compare=False)


@dataclass
class _Seen:
    """One candidate phrase across the comments: in how many, spelled how, between what."""

    comments: int = 0
    spellings: Counter[str] = field(default_factory=Counter)
    holders: list[Doc] = field(default_factory=list)
    left: Counter[str] = field(default_factory=Counter)
    right: Counter[str] = field(default_factory=Counter)


_BOILER_FIRST = {phrase.split()[0] for phrase in BOILERPLATE}
_BOILER_LAST = {phrase.split()[-1] for phrase in BOILERPLATE}


@lru_cache(maxsize=65536)
def _fold_word(word: str) -> str:
    return fold(word)


def _clauses(text: str) -> Iterator[tuple[list[str], list[str]]]:
    """(words as typed but casefolded, the same words folded) of each clause of `text`."""
    for clause in _CLAUSE.split(text):
        words = _WORD.findall(clause.casefold())
        if len(words) >= MIN_N:
            yield words, [_fold_word(word) for word in words]


def _boilerplate(gram: list[str]) -> bool:
    if gram[0] not in _BOILER_FIRST and gram[-1] not in _BOILER_LAST:
        return False
    for size in (2, 3):
        if len(gram) >= size and (
            " ".join(gram[:size]) in BOILERPLATE or " ".join(gram[-size:]) in BOILERPLATE
        ):
            return True
    return False


def _neighbour(folded: list[str], edge: list[bool], index: int) -> str:
    """The word beside a phrase; "" at a clause's edge or for a stop word (no continuation)."""
    if index < 0 or index >= len(folded) or edge[index]:
        return ""
    return folded[index]


def _grams(text: str) -> list[tuple[str, str, str, str]]:
    """(folded phrase, spelling, word before, word after) of every candidate in `text`."""
    found = []
    for words, folded in _clauses(text):
        count = len(words)
        digit = [word.isdigit() for word in folded]
        edge = [is_stop(w, f) or d for w, f, d in zip(words, folded, digit, strict=True)]
        for start in range(count):
            if edge[start]:
                continue
            for end in range(start + MIN_N, min(start + MAX_N, count) + 1):
                if digit[end - 1]:
                    break
                gram = folded[start:end]
                if edge[end - 1] or _boilerplate(gram):
                    continue
                before = _neighbour(folded, edge, start - 1)
                after = _neighbour(folded, edge, end)
                found.append((" ".join(gram), " ".join(words[start:end]), before, after))
    return found


def phrases_of(text: str) -> dict[str, str]:
    """Every candidate phrase of one comment: folded form -> the spelling used."""
    found: dict[str, str] = {}
    for key, spelling, _before, _after in _grams(text):
        found.setdefault(key, spelling)
    return found


def _tally(docs: Sequence[Doc]) -> dict[str, _Seen]:
    """Every candidate phrase of the comments, gathered in one pass."""
    seen: dict[str, _Seen] = {}
    for doc in docs:
        mine: set[str] = set()
        for key, spelling, before, after in _grams(doc.text):
            entry = seen.get(key)
            if entry is None:
                entry = seen[key] = _Seen()
            entry.left[before] += 1
            entry.right[after] += 1
            if key not in mine:
                mine.add(key)
                entry.comments += 1
                entry.spellings[spelling] += 1
                entry.holders.append(doc)
    return seen


def _truncated(neighbours: Counter[str]) -> bool:
    """The phrase is nearly always continued by the same word: part of a longer one."""
    word, count = neighbours.most_common(1)[0]
    total = sum(neighbours.values())
    return bool(word) and total >= 2 and count >= 0.9 * total


def _overlaps(key: str, chosen: PhraseHit, holders: list[Doc]) -> bool:
    """Shares a word pair with a chosen phrase, mostly in the same comments: the same theme."""
    if key in chosen.folded or chosen.folded in key:
        return True
    words, other = key.split(), chosen.folded.split()
    pairs = {tuple(words[i : i + 2]) for i in range(len(words) - 1)}
    if not pairs & {tuple(other[i : i + 2]) for i in range(len(other) - 1)}:
        return False
    theirs = {doc.id for doc in chosen.holders}
    return sum(doc.id in theirs for doc in holders) >= 0.5 * len(holders)


def key_phrases(docs: Sequence[Doc], reference: Sequence[str], *, top: int = 5) -> list[PhraseHit]:
    """The `top` phrases that best say what `docs` are about, compared with `reference`."""
    seen = _tally(docs)
    needed = max(MIN_DOCS, math.ceil(MIN_SHARE * len(docs)))
    frequency = Counter({key: e.comments for key, e in seen.items() if e.comments >= needed})
    scores = _scores(list(frequency), frequency, len(docs), reference)
    for key in frequency:  # longer phrases say more; pieces of a longer one say less
        truncated = _truncated(seen[key].left) + _truncated(seen[key].right)
        scores[key] *= (1 + 0.1 * (key.count(" ") - 1)) * 0.6**truncated
    chosen: list[PhraseHit] = []
    for key in sorted(frequency, key=lambda k: (-scores[k], -frequency[k], k)):
        holders = seen[key].holders
        if scores[key] <= 0 or any(_overlaps(key, c, holders) for c in chosen):
            continue
        folded, spelling = _extend(key, _spelling(seen[key].spellings), holders)
        if any(folded in c.folded for c in chosen):
            continue
        chosen.append(
            PhraseHit(spelling, folded, frequency[key], _example(holders), tuple(holders))
        )
        if len(chosen) == top:
            break
    return chosen


def _occurrences(key: str, docs: Sequence[Doc]) -> list[tuple[list[str], list[str], int]]:
    """(folded words, words, start) of every place `key` occurs in the docs' clauses."""
    target = key.split()
    size = len(target)
    found = []
    for doc in docs:
        for words, folded in _clauses(doc.text):
            for start in range(len(folded) - size + 1):
                if folded[start : start + size] == target:
                    found.append((folded, words, start))
    return found


def _word_at(folded: list[str], words: list[str], index: int) -> str:
    """The folded word at `index`; "" outside the clause or for a stop word."""
    if index < 0 or index >= len(folded) or is_stop(words[index], folded[index]):
        return ""
    return folded[index]


def _extend(key: str, spelling: str, docs: Sequence[Doc]) -> tuple[str, str]:
    """Grow a phrase by the word that nearly always comes before or after it (up to 8 words).

    "cấp giấy phép xây" becomes "thời hạn cấp giấy phép xây dựng" when the comments
    always say it that way; a phrase followed by many different words stays as it is.
    """
    places = _occurrences(key, docs)
    low, high = 0, len(key.split())
    while places and high - low < MAX_PHRASE:
        before = Counter(_word_at(f, w, s + low - 1) for f, w, s in places)
        after = Counter(_word_at(f, w, s + high) for f, w, s in places)
        if _truncated(before):
            low -= 1
        elif _truncated(after):
            high += 1
        else:
            break
    if (low, high) == (0, len(key.split())) or not places:
        return key, spelling
    folded, words, start = places[0]
    return " ".join(folded[start + low : start + high]), " ".join(words[start + low : start + high])


def _reference_counts(reference: Sequence[str], wanted: set[str]) -> Counter[str]:
    """In how many reference comments each wanted phrase occurs (only those are looked for)."""
    firsts = {key.split(" ", 1)[0] for key in wanted}
    counts: Counter[str] = Counter()
    for text in reference:
        seen: set[str] = set()
        for _words, folded in _clauses(text):
            for start, word in enumerate(folded):
                if word not in firsts:
                    continue
                for end in range(start + MIN_N, min(start + MAX_N, len(folded)) + 1):
                    key = " ".join(folded[start:end])
                    if key in wanted:
                        seen.add(key)
        counts.update(seen)
    return counts


def _scores(
    candidates: list[str], frequency: Counter[str], docs: int, reference: Sequence[str]
) -> dict[str, float]:
    """Log-odds z-scores against the reference, or length-weighted frequency without one."""
    if len(reference) < MIN_REFERENCE:
        return {key: float(frequency[key]) for key in candidates}
    earlier = _reference_counts(reference, set(candidates))
    m = len(reference)
    scores = {}
    for key in candidates:
        y, r = frequency[key], earlier[key]
        prior = PRIOR * (y + r + 1) / (docs + m + 1)
        delta = math.log((y + prior) / (docs - y + PRIOR - prior)) - math.log(
            (r + prior) / (m - r + PRIOR - prior)
        )
        scores[key] = delta / math.sqrt(1 / (y + prior) + 1 / (r + prior))
    return scores


def _spelling(spellings: Counter[str]) -> str:
    """The spelling most comments used; with diacritics rather than without on a tie."""
    return max(spellings.items(), key=lambda item: (item[1], item[0] != _fold_word(item[0])))[0]


def _example(docs: list[Doc]) -> Doc:
    """The comment whose length is nearest a readable quote, the earliest on a tie."""
    return min(docs, key=lambda d: (abs(len(d.text) - EXAMPLE_CHARS), d.id))
