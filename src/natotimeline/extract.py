"""Extract stage: one article's text in, one DocumentExtract out (pure)."""

from __future__ import annotations

from .actors import ActorCatalog, find_actors
from .cleaning import clean_text
from .events import extract_events
from .figures import extract_figures
from .keys import sha256_text
from .publication import infer_publication_date
from .records import DocumentExtract
from .sentences import split_sentences
from .source_meta import find_publisher, find_title
from .temporal import tag_dates


def extract_document(uri: str, text: str, catalog: ActorCatalog | None = None) -> DocumentExtract:
    """Run every extractor over one article's text."""
    catalog = catalog or ActorCatalog.default()
    cleaned = clean_text(text)
    sentences = split_sentences(text, cleaned.kept)
    published = infer_publication_date(text, cleaned)
    dates = tag_dates(text, published.value)
    kept_dates = [d for d in dates if any(s <= d.start and d.end <= e for s, e in cleaned.kept)]
    actors = find_actors(text, sentences, catalog)
    events = extract_events(text, sentences, kept_dates, actors)
    figures = extract_figures(text, sentences, kept_dates, actors, events)
    publisher, publisher_evidence = find_publisher(text, cleaned)
    return DocumentExtract(
        uri=uri,
        sha256=sha256_text(text),
        title=find_title(text, cleaned),
        publisher=publisher,
        publisher_evidence=publisher_evidence,
        published=published,
        events=tuple(events),
        figures=tuple(figures),
        actors=tuple(actors),
        dropped=cleaned.dropped,
    )
