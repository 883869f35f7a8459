SELECT
    f.id AS figure_id,
    f.metric,
    f.subject,
    f.period,
    CAST(f.value AS DOUBLE PRECISION) AS value,
    f.unit,
    f.currency,
    f.qualifier,
    s.uri AS source_uri,
    s.publisher,
    s.published_on,
    f.quote,
    CASE
        WHEN f.value = ROUND(f.value) AND ABS(f.value) < 9e18 THEN CAST(CAST(f.value AS BIGINT) AS VARCHAR)
        ELSE RTRIM(RTRIM(CAST(CAST(f.value AS DECIMAL(38, 6)) AS VARCHAR), '0'), '.')
    END AS value_text,
    f.expression,
    CAST(f.alt_value AS DOUBLE PRECISION) AS alt_value,
    f.alt_currency,
    f.claim_id,
    f.event_id,
    f.char_start,
    f.char_end
FROM figures f
JOIN sources s ON s.id = f.source_id
