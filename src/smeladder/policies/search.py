"""Chinese full-text search over support items: jieba's words in a plain table (SearchTerm).

Why a table of our own rather than the databases' full-text engines: SQLite FTS5, PostgreSQL
tsvector and MariaDB FULLTEXT each tokenise Chinese differently (or not at all) and need their own
DDL; one table of (term, item, weight) written by the same jieba segmentation answers the same
query the same way on all three, through the ORM.

Index (``index_document`` / ``reindex_all``): each item gets one row per distinct word of its
texts — document title, item name, summary, conditions, issuer, document full text. A field's
words count ``FIELD_WEIGHTS[field] × tf'`` where ``tf' = tf·(k1+1)/(tf+k1)`` saturates repeats
(BM25's term-frequency part, k1 = 1.2), so one word in the title outweighs any number of
mentions in the body. Words are jieba's precise segmentation (with the programme words of
search_words.txt kept whole) plus every dictionary word inside a longer word ("高新技术企业" also
indexes 高新技术, 高新, 技术, 企业), so a query for a part finds the whole. Latin is lower-cased;
stop words, punctuation and single characters are dropped.

Query (``search``): the query's words (same segmentation) must all occur in an item (AND, each
in any field and any order); when no item has them all the search falls back to any of them
(OR, items with more of the words first). Score = Σ weight × idf, idf = ln(1 + (N − df + 0.5) /
(df + 0.5)) — BM25 without length normalisation (the long field, the full text, is shared by all
items of a document). One SQL query ranks, applies the AND condition, the scope and the filters,
counts the total (``COUNT(*) OVER ()``) and cuts the page: for AND it walks the rarest word's
rows and looks the other words up in the (term, item, weight) index, so its work follows the
rarest word rather than the sum of all the words' rows; the OR fallback is the classic
``term IN (…) GROUP BY item, SUM(weight × idf)``. Around it: the words' document frequencies
and N (two small index-only queries) and the page's texts for the snippets (one query).

Scope: published documents for everyone, plus the documents the user maintains
(``PolicyDocument.objects.for_user``); without a user (commands, benchmarks), published only.
"""

from __future__ import annotations

import html
import logging
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Any

from django.db import connection, transaction
from django.db.models import (
    Case,
    Count,
    ExpressionWrapper,
    F,
    FloatField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.expressions import Window

from .models import PolicyDocument, SearchTerm, Status, SupportItem

log = logging.getLogger(__name__)

USER_WORDS = Path(__file__).with_name("search_words.txt")

#: how much one occurrence in each field counts (the title and the item's name say what the
#: item is; the full text mentions everything in passing)
FIELD_WEIGHTS: dict[str, float] = {
    "title": 4.0,  # document title
    "name": 5.0,  # item name
    "summary": 2.0,
    "conditions": 2.0,
    "issuer": 1.5,
    "full_text": 1.0,
}
K1 = 1.2
MAX_TERM = 32  # SearchTerm.term max_length
MAX_QUERY_WORDS = 8
MAX_LIMIT = 200  # hits a page
SNIPPET_CHARS = 80
BATCH = 5_000

#: words too common in policy texts to tell items apart or to carry meaning on their own
_STOP_TEXT = """
关于 以及 或者 对于 其中 有关 进行 根据 按照 通过 我们 如下 以下 及其 并且 应当 可以 不得
予以 给予 相关 其他 一般 一个 这个 那个 同时 已经 由于 因此 所以 如果 但是 并 的 了 和 与
及 或 等 在 对 为 是 由 按 将 其 以 于 之
"""
STOP_WORDS = frozenset(_STOP_TEXT.split())
_WORD_CHARS = re.compile(r"[0-9a-z\u3400-\u9fff]")
_CJK = re.compile(r"[\u3400-\u9fff]")


# --------------------------------------------------------------------------- segmentation


class _Segmenter:
    """jieba's tokenizer with our user dictionary, loaded once per process on first use (the
    dictionary takes ~1 s to load; importing this module must stay cheap)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tokenizer: Any = None

    @property
    def tokenizer(self) -> Any:
        if self._tokenizer is None:
            with self._lock:
                if self._tokenizer is None:
                    import jieba

                    jieba.setLogLevel(logging.WARNING)  # no "Building prefix dict" on stderr
                    tokenizer = jieba.Tokenizer()
                    tokenizer.initialize()
                    tokenizer.load_userdict(str(USER_WORDS))
                    self._tokenizer = tokenizer
        return self._tokenizer

    def words(self, text: str) -> list[str]:
        """The precise segmentation of ``text``, normalised, without stop words."""
        out = []
        for raw in self.tokenizer.cut(text or "", HMM=True):
            word = _normalise(raw)
            if word:
                out.append(word)
        return out

    def index_words(self, text: str) -> list[str]:
        """``words`` plus every dictionary word inside each longer word (with repeats: the
        counts are term frequencies)."""
        freq = self.tokenizer.FREQ
        out = []
        for word in self.words(text):
            out.append(word)
            if len(word) > 2 and _CJK.match(word):
                out.extend(_inner_words(word, freq))
        return out


def _normalise(raw: str) -> str:
    word = raw.strip().lower()
    if len(word) < 2 or len(word) > MAX_TERM or word in STOP_WORDS:
        return ""
    if not _WORD_CHARS.search(word):  # punctuation, symbols
        return ""
    return word


def _inner_words(word: str, freq: dict[str, int]) -> Iterator[str]:
    n = len(word)
    for size in range(2, min(n, 12)):
        for start in range(n - size + 1):
            part = word[start : start + size]
            if freq.get(part, 0) > 0 and part not in STOP_WORDS:
                yield part


SEGMENTER = _Segmenter()


def segment(text: str) -> list[str]:
    """The words a query or text is split into (public for tests and pages)."""
    return SEGMENTER.words(text)


# --------------------------------------------------------------------------- indexing


def _saturated(tf: int) -> float:
    return tf * (K1 + 1) / (tf + K1)


@lru_cache(maxsize=8192)
def _counts(text: str) -> tuple[tuple[str, int], ...]:
    """(word, occurrences) of one text; cached because texts repeat (issuers, titles shared by
    the items of a document, stock phrases of item names)."""
    return tuple(Counter(SEGMENTER.index_words(text)).items())


def _add(weights: dict[str, float], field_name: str, text: str) -> None:
    if not text:
        return
    fw = FIELD_WEIGHTS[field_name]
    for term, tf in _counts(text):
        weights[term] = weights.get(term, 0.0) + fw * _saturated(tf)


def _document_weights(doc: PolicyDocument) -> dict[str, float]:
    """The document's own fields, segmented once for all its items."""
    weights: dict[str, float] = {}
    _add(weights, "title", doc.title)
    _add(weights, "issuer", doc.issuer)
    # the full text is long and seldom repeated: not worth a cache slot
    for term, tf in Counter(SEGMENTER.index_words(doc.full_text or "")).items():
        weights[term] = weights.get(term, 0.0) + FIELD_WEIGHTS["full_text"] * _saturated(tf)
    return weights


def _item_rows(item: SupportItem, doc_weights: dict[str, float]) -> list[tuple[int, str, float]]:
    weights = dict(doc_weights)
    _add(weights, "name", item.name)
    _add(weights, "summary", item.summary)
    _add(weights, "conditions", item.conditions_text)
    return [(item.pk, term, round(weight, 4)) for term, weight in weights.items()]


def _insert(rows: list[tuple[int, str, float]]) -> None:
    """Plain executemany: model instances would cost more than the segmentation."""
    if not rows:
        return
    qn = connection.ops.quote_name
    sql = "INSERT INTO {} ({}, {}, {}) VALUES (%s, %s, %s)".format(
        qn(SearchTerm._meta.db_table), qn("item_id"), qn("term"), qn("weight")
    )
    with connection.cursor() as cursor:
        for start in range(0, len(rows), BATCH):
            cursor.executemany(sql, rows[start : start + BATCH])


def index_document(doc: PolicyDocument) -> int:
    """(Re)write the index rows of every item of ``doc`` (whatever its status: officials search
    their drafts too; the query applies the scope). Returns the number of rows written."""
    items = list(SupportItem.objects.filter(document=doc).order_by("seq"))
    doc_weights = _document_weights(doc)
    rows = [row for item in items for row in _item_rows(item, doc_weights)]
    with transaction.atomic():
        SearchTerm.objects.filter(item__document=doc).delete()
        _insert(rows)
    return len(rows)


def reindex_all(progress: Any = None) -> tuple[int, int]:
    """Rebuild the whole index; returns (items, rows). ``progress(done, total)`` is called after
    every 500 documents."""
    docs = PolicyDocument.objects.order_by("pk")
    total = docs.count()
    items = rows = done = 0
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        batch: list[tuple[int, str, float]] = []
        for doc in docs.prefetch_related("items").iterator(chunk_size=500):
            doc_weights = _document_weights(doc)
            for item in doc.items.all():
                items += 1
                batch.extend(_item_rows(item, doc_weights))
            done += 1
            if len(batch) >= BATCH:
                _insert(batch)
                rows += len(batch)
                batch = []
            if progress is not None and done % 500 == 0:
                progress(done, total)
        _insert(batch)
        rows += len(batch)
    if progress is not None:
        progress(done, total)
    return items, rows


# --------------------------------------------------------------------------- querying


@dataclass(frozen=True)
class ItemHit:
    item_id: int
    score: float
    document_id: int
    document_title: str
    item_name: str
    issuer: str
    level: str
    status: str
    apply_from: date | None
    apply_to: date | None
    #: the query words this item contains (AND: all of them; OR fallback: some)
    matched: tuple[str, ...]
    #: a passage around the first matched word, plain text
    snippet: str
    #: the same passage, HTML-escaped, matched words in <mark>…</mark>
    snippet_html: str


@dataclass(frozen=True)
class SearchPage:
    total: int
    hits: list[ItemHit] = field(default_factory=list)
    #: the query's words as searched
    words: tuple[str, ...] = ()
    #: "all" (every word matched) or "any" (the OR fallback)
    mode: str = "all"


def _as_list(value: Any) -> list[str]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        return [value]
    return [str(v) for v in value]


def _json_has(field_name: str, value: str) -> Q:
    """A JSON list of codes contains ``value``: the stored text holds the quoted string. Portable
    (SQLite and MariaDB keep the JSON text, PostgreSQL's jsonb::text quotes the same way); the
    codes are ASCII digits and letters, so no escaping question arises."""
    return Q(**{f"{field_name}__icontains": f'"{value}"'})


def scoped_documents(
    user: Any = None,
    *,
    level: Any = None,
    region: str | None = None,
    category: Any = None,
    status: Any = None,
    open_on: date | None = None,
) -> QuerySet[PolicyDocument]:
    """The documents a search may return: ``user``'s scope with the document filters."""
    docs = (
        PolicyDocument.objects.published()
        if user is None
        else PolicyDocument.objects.for_user(user)
    )
    if levels := _as_list(level):
        docs = docs.filter(level__in=levels)
    if statuses := _as_list(status):
        docs = docs.filter(status__in=statuses)
    if region:
        code = str(region).strip()
        covers = Q(regions=[])
        for n in range(1, len(code) + 1):
            covers |= _json_has("regions", code[:n])
        docs = docs.filter(covers)
    if open_on is not None:
        docs = docs.filter(
            Q(apply_from__isnull=True) | Q(apply_from__lte=open_on),
            Q(apply_to__isnull=True) | Q(apply_to__gte=open_on),
            status=Status.PUBLISHED,
        )
    return docs


def _category_q(categories: list[str]) -> Q:
    """An item's own categories, or its document's when it has none (the policy format's rule)."""
    own = Q()
    inherited = Q()
    for code in categories:
        own |= _json_has("item__categories", code)
        inherited |= _json_has("item__document__categories", code)
    return own | (Q(item__categories=[]) & inherited)


def _idf(n: int, df: int) -> float:
    return math.log(1 + (n - df + 0.5) / (df + 0.5))


def _query_words(query: str) -> list[str]:
    seen: dict[str, None] = {}
    for word in segment(query):
        seen.setdefault(word, None)
    return list(seen)[:MAX_QUERY_WORDS]


def _document_frequencies(terms: Iterable[str]) -> dict[str, int]:
    # COUNT(*), not COUNT(id): the (term, item, weight) index answers it without the table
    return dict(
        SearchTerm.objects.filter(term__in=set(terms))
        .values("term")
        .annotate(n=Count("*"))
        .values_list("term", "n")
    )


def _resolve(words: list[str]) -> tuple[list[str], dict[str, int]]:
    """Each query word with its document frequency; a word no item contains (a rare compound,
    an HMM-made word) is replaced by the dictionary words inside it, when those are indexed
    (one more query, only then)."""
    df = _document_frequencies(words)
    missing = [w for w in words if not df.get(w)]
    parts: dict[str, list[str]] = {}
    if missing:
        freq = SEGMENTER.tokenizer.FREQ
        parts = {
            w: [p for p in dict.fromkeys(_inner_words(w, freq)) if p not in words] for w in missing
        }
        if inner := {p for ps in parts.values() for p in ps}:
            df.update(_document_frequencies(inner))
    resolved: list[str] = []
    for word in words:
        if df.get(word):
            resolved.append(word)
            continue
        inner = [p for p in parts.get(word, []) if df.get(p)]
        # keep only the longest inner words: 高新技术 makes 高新 and 技术 redundant
        inner = [p for p in inner if not any(p != q and p in q for q in inner)]
        resolved.extend(inner or [word])
    return list(dict.fromkeys(resolved)), df


def _in_scope(rows: QuerySet[SearchTerm], docs: QuerySet, cats: list[str]) -> QuerySet:
    rows = rows.filter(item__document__in=docs)
    return rows.filter(_category_q(cats)) if cats else rows


def _all_words(
    terms: list[str],
    idf: dict[str, float],
    df: dict[str, int],
    docs: QuerySet[PolicyDocument],
    cats: list[str],
) -> QuerySet:
    """Items holding every word: the rows of the rarest word, each looked up in the (term, item,
    weight) index for the other words. Work ∝ the rarest word's items, where a GROUP BY over all
    the words' rows costs ∝ their sum (at 20,000 items, "小巨人 研发 奖励": 27,000 rows to group,
    34 ms, against 3,600 rows and two index look-ups each, 8 ms)."""
    rarest = min(terms, key=lambda t: (df[t], t))
    rows = _in_scope(SearchTerm.objects.filter(term=rarest), docs, cats)
    score: Any = F("weight") * Value(idf[rarest])
    for n, term in enumerate(t for t in terms if t != rarest):
        weight = SearchTerm.objects.filter(term=term, item_id=OuterRef("item_id")).values("weight")
        rows = rows.annotate(**{f"w{n}": Subquery(weight[:1], output_field=FloatField())})
        rows = rows.filter(**{f"w{n}__isnull": False})
        score = score + F(f"w{n}") * Value(idf[term])
    return (
        rows.annotate(score=ExpressionWrapper(score, output_field=FloatField()))
        .annotate(total=Window(Count("item_id")))
        .order_by("-score", "item_id")
        .values("item_id", "score", "total")
    )


def _any_word(
    terms: list[str], idf: dict[str, float], docs: QuerySet[PolicyDocument], cats: list[str]
) -> QuerySet:
    """Items holding some of the words, more of them first: Σ weight × idf grouped by item."""
    idf_of = Case(
        *(When(term=t, then=Value(v)) for t, v in idf.items()),
        default=Value(0.0),
        output_field=FloatField(),
    )
    rows = _in_scope(SearchTerm.objects.filter(term__in=terms), docs, cats)
    return (
        rows.values("item_id")
        .annotate(
            score=Sum(F("weight") * idf_of, output_field=FloatField()),
            hits=Count("*"),
            total=Window(Count("item_id")),
        )
        .order_by("-hits", "-score", "item_id")
    )


def search(
    query: str,
    *,
    user: Any = None,
    level: Any = None,
    region: str | None = None,
    category: Any = None,
    status: Any = None,
    open_on: date | None = None,
    limit: int = 20,
    offset: int = 0,
) -> SearchPage:
    """Items matching ``query`` in ``user``'s scope, best first, one page of them.

    Filters (each optional): ``level`` and ``status`` (a code or a list), ``region`` (a division
    code: documents whose regions cover it, national ones included), ``category`` (a code or a
    list; the item's own categories, else its document's), ``open_on`` (published and the
    application window open on that date)."""
    limit, offset = max(1, min(int(limit), MAX_LIMIT)), max(0, int(offset))
    words = _query_words(query)
    if not words:
        return SearchPage(total=0)
    resolved, df = _resolve(words)
    terms = [t for t in resolved if df.get(t)]
    if not terms:
        return SearchPage(total=0, words=tuple(words))
    # a word no item contains makes "all words" impossible: straight to "any"
    mode = "all" if len(terms) == len(resolved) else "any"
    n_items = SupportItem.objects.count()
    idf = {t: _idf(n_items, df[t]) for t in terms}
    docs = scoped_documents(
        user, level=level, region=region, category=category, status=status, open_on=open_on
    )
    cats = _as_list(category)
    page: list[dict[str, Any]] = []
    if mode == "all":
        every = _all_words(terms, idf, df, docs, cats)
        page = list(every[offset : offset + limit])
        # nothing has every word (for a later page: nothing at all) → any of them
        if not page and len(terms) > 1 and (offset == 0 or not every.exists()):
            mode = "any"
    if mode == "any":
        page = list(_any_word(terms, idf, docs, cats)[offset : offset + limit])
    if not page:
        return SearchPage(total=0, words=tuple(terms), mode=mode)
    total = page[0]["total"]
    # plain values: model instances would decode every JSON column of item and document
    items = {
        row["id"]: row
        for row in SupportItem.objects.filter(pk__in=[r["item_id"] for r in page]).values(
            "id", *_HIT_FIELDS
        )
    }
    hits = [_hit(items[r["item_id"]], r["score"], terms) for r in page if r["item_id"] in items]
    return SearchPage(total=total, hits=hits, words=tuple(terms), mode=mode)


# --------------------------------------------------------------------------- snippets


_HIT_FIELDS = (
    "name",
    "summary",
    "conditions_text",
    "document_id",
    "document__title",
    "document__issuer",
    "document__full_text",
    "document__level",
    "document__status",
    "document__apply_from",
    "document__apply_to",
)


def _hit(row: dict[str, Any], score: float, terms: list[str]) -> ItemHit:
    texts = [
        row["summary"],
        row["conditions_text"],
        row["name"],
        row["document__full_text"],
        row["document__title"],
        row["document__issuer"],
    ]
    matched = tuple(t for t in terms if any(t in (text or "").lower() for text in texts))
    snippet, marked = make_snippet(texts, matched)
    return ItemHit(
        item_id=row["id"],
        score=float(score),
        document_id=row["document_id"],
        document_title=row["document__title"],
        item_name=row["name"],
        issuer=row["document__issuer"],
        level=row["document__level"],
        status=row["document__status"],
        apply_from=row["document__apply_from"],
        apply_to=row["document__apply_to"],
        matched=matched,
        snippet=snippet,
        snippet_html=marked,
    )


def make_snippet(texts: list[str], words: Iterable[str]) -> tuple[str, str]:
    """A passage of about SNIPPET_CHARS characters from the text that holds most of ``words``
    (earlier texts win ties), centred on the first one; plain, and HTML with <mark>."""
    words = sorted(set(words), key=len, reverse=True)
    texts = [t for t in texts if t]
    if not words:
        text = " ".join(next(iter(texts), "").split())
        return text[:SNIPPET_CHARS], html.escape(text[:SNIPPET_CHARS])
    # the words are lower case (query normalisation); a plain `in` per word is much cheaper
    # than a regex over each full text
    best = max(texts, key=lambda t: sum(w in t.lower() for w in words), default="")
    best = " ".join(best.split())
    pattern = re.compile("|".join(re.escape(w) for w in words), re.IGNORECASE)
    first = pattern.search(best)
    start = 0 if first is None else max(0, first.start() - SNIPPET_CHARS // 4)
    end = min(len(best), start + SNIPPET_CHARS)
    passage = best[start:end]
    prefix = "…" if start > 0 else ""
    suffix = "…" if end < len(best) else ""
    marked, last = [], 0
    for m in pattern.finditer(passage):
        marked.append(html.escape(passage[last : m.start()]))
        marked.append(f"<mark>{html.escape(m.group(0))}</mark>")
        last = m.end()
    marked.append(html.escape(passage[last:]))
    return prefix + passage + suffix, prefix + "".join(marked) + suffix
