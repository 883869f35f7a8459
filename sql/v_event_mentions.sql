SELECT
    m.event_id,
    s.uri AS source_uri,
    s.publisher,
    s.published_on,
    m.date_expression,
    m.sentence AS quote,
    m.char_start,
    m.char_end,
    m.id AS mention_id,
    m.event_type,
    m.date_value,
    m.date_precision,
    m.date_char_start,
    m.date_char_end
FROM event_mentions m
JOIN sources s ON s.id = m.source_id
