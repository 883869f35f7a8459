SELECT
    a.name AS actor,
    a.actor_type,
    a.role,
    al.aliases,
    CAST(COALESCE(ev.n_events, 0) AS INTEGER) AS n_events,
    ev.first_date,
    ev.last_date,
    a.id AS actor_id,
    CAST(COALESCE(ev.n_sources, 0) AS INTEGER) AS n_sources
FROM actors a
LEFT JOIN (
    SELECT actor_id, STRING_AGG(alias, '; ' ORDER BY alias COLLATE "C") AS aliases
    FROM actor_aliases
    GROUP BY actor_id
) al ON al.actor_id = a.id
LEFT JOIN (
    SELECT ea.actor_id,
           COUNT(DISTINCT ea.event_id) AS n_events,
           MIN(e.date_start) AS first_date,
           MAX(e.date_start) AS last_date,
           COUNT(DISTINCT m.source_id) AS n_sources
    FROM event_actors ea
    JOIN events e ON e.id = ea.event_id
    LEFT JOIN event_mentions m ON m.event_id = ea.event_id
    GROUP BY ea.actor_id
) ev ON ev.actor_id = a.id
