"""Full-text search over a library's FAQs: one query per backend, ranked by the database.

User words are never query syntax: they are cut into plain words of letters and digits
first, and each is put back as a quoted prefix term (SQLite FTS5 `"word"*`, PostgreSQL
`'word':*`), so quotes, `*`, `NEAR`, `-` or `:` typed by anyone are just text. Words are
joined with OR and ranked by relevance, so a patron's whole question ("how do I renew my
books") still finds the FAQ about renewing, and a word being typed matches by its prefix.

PostgreSQL uses the 'simple' configuration, not 'english': prefixes then match what was
typed rather than a stem ("renewi" would not be a prefix of the stem "renew"), the results
match SQLite's FTS5 (whose unicode61 tokenizer does not stem either), and co-op members
whose FAQs are in French or Spanish are searched as well as English ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection, Sequence

from sqlalchemy import (
    ColumnElement,
    Select,
    bindparam,
    column,
    false,
    literal_column,
    or_,
    select,
    table,
    text,
)

from refdesk.db.models import Availability, Faq, FaqGroup

MAX_TERMS = 12
"""Words of a search used at most; a pasted page must not become a huge query."""
MAX_TERM = 64
"""Letters of one word used at most."""
MIN_TERM = 2
"""A single letter as a prefix matches nearly every FAQ ("how do I ren"): costly to rank and
no help in finding, so such words are left out."""
QUESTION_WEIGHT, ANSWER_WEIGHT, KEYWORDS_WEIGHT = 10.0, 1.0, 5.0
"""FTS5's bm25 weights per column; PostgreSQL's A, D and B weights rank alike, and its rank
is divided by the log of the FAQ's length as bm25's is."""

FTS_TABLES = frozenset({"faq_fts", "faq_fts_data", "faq_fts_idx", "faq_fts_docsize",
                        "faq_fts_config"})
"""SQLite's FTS5 table of migration 0010 and the shadow tables FTS5 keeps beside it: not
models, so schema comparisons leave them out by these names."""
PG_INDEX, PG_COLUMN = "ix_faq_search", "search_vector"
"""PostgreSQL's GIN index and the generated tsvector column of faq it indexes (migration
0010: question weighted A, keywords B, answer D), likewise outside the models."""

_WORD = re.compile(r"[^\W_]+")


def terms(words: str) -> list[str]:
    """The plain words of what was typed, lower-cased, in order, without repeats."""
    found = _WORD.findall(unicodedata.normalize("NFC", words).lower())
    unique = list(dict.fromkeys(word[:MAX_TERM] for word in found if len(word) >= MIN_TERM))
    return unique[:MAX_TERMS]


def fts5_query(words: Sequence[str]) -> str:
    """An FTS5 MATCH expression: each word a quoted prefix, any of them."""
    return " OR ".join(f'"{word}"*' for word in words)


def tsquery(words: Sequence[str]) -> str:
    """A to_tsquery expression: each word a quoted prefix, any of them."""
    return " | ".join(f"'{word}':*" for word in words)


def _readable(institution_id: int, searchable: Collection[Availability]
              ) -> Select[Faq, FaqGroup]:
    return (select(Faq, FaqGroup).join(FaqGroup, Faq.group_id == FaqGroup.id)
            .where(FaqGroup.institution_id == institution_id,
                   FaqGroup.availability.in_(list(searchable))))


def ranked(dialect: str, institution_id: int, searchable: Collection[Availability],
           words: Sequence[str], limit: int) -> Select[Faq, FaqGroup]:
    """The one query of a search on this dialect, best first."""
    query = _readable(institution_id, searchable).limit(limit)
    if dialect == "sqlite":
        fts = table("faq_fts", column("rowid"))
        match = literal_column("faq_fts").op("MATCH")(bindparam("q", fts5_query(words)))
        bm25 = text(f"bm25(faq_fts, {QUESTION_WEIGHT}, {ANSWER_WEIGHT}, {KEYWORDS_WEIGHT})")
        return (query.join(fts, fts.c.rowid == Faq.id).where(match)
                .order_by(bm25, Faq.id))
    found = text(f"faq.{PG_COLUMN} @@ to_tsquery('simple', :q)").bindparams(q=tsquery(words))
    rank = text(f"ts_rank(faq.{PG_COLUMN}, to_tsquery('simple', :rq), 1) DESC").bindparams(
        rq=tsquery(words))
    return query.where(found).order_by(rank, Faq.id)


def scanned(institution_id: int, searchable: Collection[Availability], words: Sequence[str],
            limit: int) -> Select[Faq, FaqGroup]:
    """The same search as a plain LIKE scan, unranked: what the index is measured against."""
    matches: list[ColumnElement[bool]] = [
        field.icontains(word, autoescape=True)
        for word in words for field in (Faq.question, Faq.answer, Faq.keywords)]
    return (_readable(institution_id, searchable).where(or_(false(), *matches))
            .order_by(Faq.id).limit(limit))
