-- Chart cache lookups per UTC day (day = days since 1970-01-01), for the hit rate in /admin stats. One row a
-- day, incremented after each lookup: cheap to write, and pruned with the interactions' retention.
CREATE TABLE chart_cache_days (
  day INTEGER PRIMARY KEY,
  hits INTEGER NOT NULL DEFAULT 0,
  misses INTEGER NOT NULL DEFAULT 0
);
