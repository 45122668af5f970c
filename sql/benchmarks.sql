-- jixiao's benchmarks as SQL, for a distributed engine (Spark SQL; Trino and DuckDB need
-- small changes: percentile -> approx_percentile/quantile_cont, RLIKE -> regexp_like).
-- Tables: units, evaluations, indicators in the dataset contract (datasets/SCHEMA.md), for
-- example the hive-partitioned Parquet of `jixiao synth --format parquet --partition-by …`.
-- `jixiao sql` prints this file with the cause CASE filled from the cause rules in force.
-- Leniency needs a small linear solve per set of evaluators: the query `leniency_cells` gives
-- the per-(object, evaluator) sums that jixiao's fit starts from.

CREATE OR REPLACE TEMP VIEW facts AS
SELECT e.eval_id, e.unit_id, CAST(e.fiscal_year AS INT) AS fiscal_year, e.scope, e.project_name,
       e.evaluator_type, e.evaluator, e.max_score, e.total_score, e.budget_full_year, e.executed,
       e.execution_rate_stated,
       u.province, u.district,
       COALESCE(u.short_name, u.unit_name, u.unit_id) AS short_name,
       CAST(e.total_score AS DOUBLE) / CAST(e.max_score AS DOUBLE) * 100 AS score_100,
       CASE WHEN e.budget_full_year > 0 THEN CAST(e.executed AS DECIMAL(38, 6)) * 100 / e.budget_full_year END AS execution_rate,
       regexp_replace(lower(COALESCE(e.project_name, '')), '[\\s\\p{P}\\p{S}]', '') AS name_key
FROM evaluations e LEFT JOIN units u ON e.unit_id = u.unit_id;

-- Peers: same scope and year in the district when it has at least 5 units, else the province.
CREATE OR REPLACE TEMP VIEW district_size AS
SELECT scope, fiscal_year, district, COUNT(DISTINCT unit_id) AS n_units
FROM facts WHERE budget_full_year > 0 AND executed IS NOT NULL
GROUP BY scope, fiscal_year, district;

CREATE OR REPLACE TEMP VIEW execution_base AS
SELECT f.*,
       CASE WHEN f.district IS NOT NULL AND d.n_units >= 5 THEN concat('district:', f.district)
            WHEN COALESCE(f.province, '') <> '' THEN concat('province:', f.province)
            ELSE 'all' END AS peer_group
FROM facts f JOIN district_size d
  ON f.scope = d.scope AND f.fiscal_year = d.fiscal_year AND f.district <=> d.district
WHERE f.budget_full_year > 0 AND f.executed IS NOT NULL;

CREATE OR REPLACE TEMP VIEW execution AS
SELECT b.unit_id, b.short_name, b.district, b.fiscal_year, b.scope, b.project_name, b.evaluator_type,
       b.budget_full_year, b.executed, b.execution_rate, b.execution_rate_stated,
       p.peer_median, p.peer_p25, p.peer_p75, b.peer_group, p.n_peers, b.eval_id,
       CASE WHEN b.execution_rate < 80 THEN 'below_80' WHEN b.execution_rate < 90 THEN 'below_90'
            WHEN b.execution_rate > 100 THEN 'above_100' ELSE 'ok' END AS flag
FROM execution_base b JOIN (
  SELECT scope, fiscal_year, peer_group, COUNT(*) AS n_peers,
         percentile(CAST(execution_rate AS DOUBLE), 0.5) AS peer_median,
         percentile(CAST(execution_rate AS DOUBLE), 0.25) AS peer_p25,
         percentile(CAST(execution_rate AS DOUBLE), 0.75) AS peer_p75
  FROM execution_base GROUP BY scope, fiscal_year, peer_group
) p ON b.scope = p.scope AND b.fiscal_year = p.fiscal_year AND b.peer_group = p.peer_group;

CREATE OR REPLACE TEMP VIEW scores AS
SELECT evaluator_type, scope, fiscal_year, COUNT(*) AS n,
       AVG(score_100) AS mean, STDDEV_SAMP(score_100) AS sd, MIN(score_100) AS min,
       percentile(score_100, 0.1) AS p10, percentile(score_100, 0.25) AS p25,
       percentile(score_100, 0.5) AS median, percentile(score_100, 0.75) AS p75,
       percentile(score_100, 0.9) AS p90, MAX(score_100) AS max,
       AVG(CASE WHEN score_100 >= 90 THEN 1.0 ELSE 0.0 END) AS share_ge_90,
       AVG(CASE WHEN score_100 >= 95 THEN 1.0 ELSE 0.0 END) AS share_ge_95,
       AVG(CASE WHEN total_score = max_score THEN 1.0 ELSE 0.0 END) AS share_eq_max
FROM facts WHERE total_score IS NOT NULL
GROUP BY evaluator_type, scope, fiscal_year;

CREATE OR REPLACE TEMP VIEW deductions_detail AS
SELECT i.eval_id, f.unit_id, f.fiscal_year, f.evaluator_type, f.scope, f.project_name,
       i.level1, i.level2, i.level3, i.level4, i.max_points, i.score,
       i.max_points - i.score AS points_lost, i.reason,
       {{CAUSE_CASE}} AS cause
FROM indicators i JOIN facts f ON i.eval_id = f.eval_id
WHERE i.score IS NOT NULL AND i.max_points - i.score > 0;

CREATE OR REPLACE TEMP VIEW deductions AS
SELECT fiscal_year, cause, COUNT(*) AS n_deductions, COUNT(DISTINCT eval_id) AS n_evaluations,
       SUM(points_lost) AS points_lost
FROM deductions_detail GROUP BY fiscal_year, cause;

CREATE OR REPLACE TEMP VIEW inflation AS
SELECT s.unit_id, s.fiscal_year, s.scope, s.project_name, s.total_score AS self_score,
       r.evaluator_type AS reference_type, r.evaluator AS reference_evaluator,
       r.total_score AS reference_score, s.total_score - r.total_score AS gap,
       s.score_100 - r.score_100 AS gap_100, s.eval_id AS self_eval_id, r.eval_id AS reference_eval_id
FROM facts s JOIN facts r
  ON s.unit_id = r.unit_id AND s.fiscal_year = r.fiscal_year AND s.scope = r.scope AND s.name_key = r.name_key
WHERE s.evaluator_type = 'self' AND r.evaluator_type <> 'self'
  AND s.total_score IS NOT NULL AND r.total_score IS NOT NULL;

CREATE OR REPLACE TEMP VIEW inflation_summary AS
SELECT reference_type, scope, fiscal_year, COUNT(*) AS n_pairs, AVG(gap_100) AS mean_gap,
       STDDEV_SAMP(gap_100) AS sd_gap, AVG(CASE WHEN gap_100 > 0 THEN 1.0 ELSE 0.0 END) AS share_self_higher
FROM inflation GROUP BY reference_type, scope, fiscal_year;

CREATE OR REPLACE TEMP VIEW leniency_cells AS
SELECT concat_ws('|', unit_id, CAST(fiscal_year AS STRING), scope, name_key) AS object,
       concat(evaluator_type, ':', COALESCE(evaluator, '(unnamed)')) AS evaluator_id,
       COUNT(*) AS n, SUM(score_100) AS sy, SUM(score_100 * score_100) AS syy
FROM facts WHERE evaluator_type <> 'self' AND total_score IS NOT NULL
GROUP BY 1, 2;
