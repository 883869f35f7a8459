SELECT e.id AS event_id, e.date_start, e.date_end, e.date_precision, e.event_type, e.title, e.location
FROM events e
