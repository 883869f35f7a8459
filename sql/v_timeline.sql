SELECT
    e.id AS event_id,
    e.date_start,
    e.date_end,
    e.date_precision,
    e.event_type,
    e.title,
    e.location,
    ea.actors,
    CAST(COALESCE(em.n_sources, 0) AS INTEGER) AS n_sources,
    em.first_reported_on,
    e.date_value,
    CAST(COALESCE(em.n_mentions, 0) AS INTEGER) AS n_mentions
FROM events e
LEFT JOIN (
    SELECT x.event_id, STRING_AGG(x.name, '; ' ORDER BY x.name COLLATE "C") AS actors
    FROM (
        SELECT DISTINCT ea.event_id, a.name
        FROM event_actors ea
        JOIN actors a ON a.id = ea.actor_id
    ) x
    GROUP BY x.event_id
) ea ON ea.event_id = e.id
LEFT JOIN (
    SELECT m.event_id,
           COUNT(DISTINCT m.source_id) AS n_sources,
           COUNT(*) AS n_mentions,
           MIN(s.published_on) AS first_reported_on
    FROM event_mentions m
    JOIN sources s ON s.id = m.source_id
    GROUP BY m.event_id
) em ON em.event_id = e.id
