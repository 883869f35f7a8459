SELECT
    c.metric,
    c.subject,
    c.period,
    c.unit,
    CAST(COUNT(DISTINCT f.source_id) AS INTEGER) AS n_sources,
    CAST(MIN(f.value) AS DOUBLE PRECISION) AS min_value,
    CAST(MAX(f.value) AS DOUBLE PRECISION) AS max_value,
    STRING_AGG(
        CASE
            WHEN f.value = ROUND(f.value) AND ABS(f.value) < 9e18 THEN CAST(CAST(f.value AS BIGINT) AS VARCHAR)
            ELSE RTRIM(RTRIM(CAST(CAST(f.value AS DECIMAL(38, 6)) AS VARCHAR), '0'), '.')
        END
        || CASE
            WHEN f.unit = 'percent' THEN '%'
            WHEN f.unit = 'percent_of_gdp' THEN '% of GDP'
            ELSE ' ' || COALESCE(f.currency, f.unit)
        END
        || COALESCE(' (' || f.qualifier || ')', '')
        || ' [' || s.uri || ']',
        '; ' ORDER BY f.value, s.uri COLLATE "C", f.char_start
    ) AS reported_values,
    c.consistent,
    c.id AS claim_id,
    c.currency,
    CAST(COUNT(*) AS INTEGER) AS n_figures
FROM figure_claims c
JOIN figures f ON f.claim_id = c.id
JOIN sources s ON s.id = f.source_id
GROUP BY c.id, c.metric, c.subject, c.period, c.unit, c.currency, c.consistent
HAVING COUNT(DISTINCT f.source_id) > 1
