"""The full-text documents search queries and their GIN indexes share.

PostgreSQL uses an expression index only when the query repeats the indexed expression exactly,
so migrations and twinning/search.py both build the expressions here.

A name is indexed twice: with the `russian` configuration (stems: "Барановичи" -> "баранович")
and with `simple` (the word itself: "Азов" -> "азов"). The Russian stemmer cuts "Азов" to "аз"
but "Азова" to "азов", so a stemmed query word is also matched as a prefix of the unstemmed
name ("азов:*" finds "азов").
"""

from django.contrib.postgres.search import SearchVector


def name_document(*fields):
    """tsvector of `fields` in the russian and the simple configuration, for names."""
    vector = None
    for field in fields:
        for config in ("russian", "simple"):
            part = SearchVector(field, config=config)
            vector = part if vector is None else vector + part
    return vector


def text_document(*fields):
    """tsvector of `fields` in the russian configuration, for titles and descriptions."""
    return SearchVector(*fields, config="russian")
