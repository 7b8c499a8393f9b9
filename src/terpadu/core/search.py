"""Full-text search behind one function. PostgreSQL: FTS with the `indonesian` configuration for
prose and `simple` for codes, ranked; SQLite: a plain substring fallback. Every result passes the
authorization gate (the queryset is restricted before it is searched)."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import F, Q

from terpadu.core import authz


@dataclass(frozen=True)
class SearchSpec:
    key: str
    label: str
    model: type
    text_fields: tuple[str, ...]  # prose, stemmed with the indonesian configuration
    code_fields: tuple[str, ...] = ()  # identifiers: exact tokens and prefixes (NIP, codes)
    action: str = ""
    url: Callable = field(default=lambda obj: obj.get_absolute_url())
    select_related: tuple[str, ...] = ()
    # A stored, GIN-indexed tsvector column kept by the module (PostgreSQL). When set, the search uses it
    # instead of computing vectors per row; it must already cover text_fields and code_fields.
    vector_field: str = ""


SPECS: dict[str, SearchSpec] = {}


def register_search(spec: SearchSpec) -> None:
    SPECS[spec.key] = spec


@dataclass
class Hit:
    kind: str
    label: str
    title: str
    url: str
    obj: object


def is_postgres() -> bool:
    return connection.vendor == "postgresql"


def prefix_query(query: str) -> str:
    """'staf al' -> 'staf:* & al:*' for plain words; '' when the query uses web-search syntax
    (quotes, -negation, or) so that its meaning is not widened."""
    if re.search(r'["\-]|\bor\b', query, flags=re.IGNORECASE):
        return ""
    words = re.findall(r"\w+", query.lower())
    return " & ".join(f"{word}:*" for word in words)


def filter_queryset(queryset, spec: SearchSpec, query: str):
    """Apply the text search to an (already restricted) queryset, best matches first."""
    query = (query or "").strip()
    if not query:
        return queryset
    code_q = Q(pk__in=[])
    for name in spec.code_fields:
        code_q |= Q(**{f"{name}__istartswith": query})
    if is_postgres() and spec.vector_field:
        return _filter_stored_vector(queryset, spec, query)
    if is_postgres():
        from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

        vector = SearchVector(*spec.text_fields, config="indonesian") + SearchVector(
            *spec.text_fields, *spec.code_fields, config="simple"
        )
        ts_query = SearchQuery(query, config="indonesian", search_type="websearch") | SearchQuery(
            query, config="simple", search_type="websearch"
        )
        prefix = prefix_query(query)
        if prefix:
            # Type-ahead: "Staf Al" finds "Staf Alfa" (each plain word as a prefix, all required).
            ts_query = ts_query | SearchQuery(prefix, config="simple", search_type="raw")
        # Filter on the match (@@), not on rank > 0: ts_rank is positive for partial and negated matches too.
        return (
            queryset.annotate(search_vector=vector, search_rank=SearchRank(vector, ts_query))
            .filter(Q(search_vector=ts_query) | code_q)
            .order_by("-search_rank", "pk")
        )
    # Fallback: every word must occur (as a substring) in one of the fields.
    words_q = Q()
    for word in query.split():
        word_q = Q(pk__in=[])
        for name in (*spec.text_fields, *spec.code_fields):
            word_q |= Q(**{f"{name}__icontains": word})
        words_q &= word_q
    return queryset.filter(words_q | code_q).order_by("pk")


def stored_vector_query(query: str):
    """The tsquery for a stored vector: websearch syntax in both configurations, plus prefixes of plain
    words. Slashes split codes into parts (the stored vector holds the parts of numbers like 000/12/2026)."""
    from django.contrib.postgres.search import SearchQuery

    text = query.replace("/", " ")
    ts_query = SearchQuery(text, config="indonesian", search_type="websearch") | SearchQuery(
        text, config="simple", search_type="websearch"
    )
    if not re.search(r'["\-]|\bor\b', text, flags=re.IGNORECASE):
        # Type-ahead: every plain word (codes like 000.1.5 kept whole) as a prefix, all required.
        words = [word.strip(".") for word in re.findall(r"[\w.]+", text.lower())]
        prefix = " & ".join(f"{word}:*" for word in words if word)
        if prefix:
            ts_query = ts_query | SearchQuery(prefix, config="simple", search_type="raw")
    return ts_query


def _filter_stored_vector(queryset, spec: SearchSpec, query: str):
    from django.contrib.postgres.search import SearchRank

    ts_query = stored_vector_query(query)
    return (
        queryset.annotate(search_rank=SearchRank(F(spec.vector_field), ts_query))
        .filter(**{spec.vector_field: ts_query})
        .order_by("-search_rank", "-pk")
    )


def search(user, query: str, kinds: list[str] | None = None, limit: int = 10) -> list[Hit]:
    hits: list[Hit] = []
    for spec in SPECS.values():
        if kinds and spec.key not in kinds:
            continue
        base = authz.restrict(spec.model.objects.select_related(*spec.select_related), user, spec.action)
        for obj in filter_queryset(base, spec, query)[:limit]:
            hits.append(Hit(spec.key, str(spec.label), str(obj), spec.url(obj), obj))
    return hits
