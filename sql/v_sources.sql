SELECT
    s.uri AS source_uri,
    s.title,
    s.publisher,
    s.published_on,
    s.published_on_basis,
    CAST(COALESCE(m.n_events, 0) AS INTEGER) AS n_events,
    CAST(COALESCE(f.n_figures, 0) AS INTEGER) AS n_figures,
    s.ingested_at,
    s.id AS source_id,
    CAST(COALESCE(m.n_mentions, 0) AS INTEGER) AS n_mentions,
    s.n_chars,
    s.parser_version,
    s.published_on_evidence
FROM sources s
LEFT JOIN (
    SELECT source_id, COUNT(DISTINCT event_id) AS n_events, COUNT(*) AS n_mentions
    FROM event_mentions
    GROUP BY source_id
) m ON m.source_id = s.id
LEFT JOIN (
    SELECT source_id, COUNT(*) AS n_figures
    FROM figures
    GROUP BY source_id
) f ON f.source_id = s.id
