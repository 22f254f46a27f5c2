-- The interactions table has had no writer since the usage counters (issue 24: what users do is counted in a Durable
-- Object per month, src/worker/kit/analytics/) and no reader since deferred_jobs took over its role as the claim
-- against duplicate deliveries (0010). Its rows were kept only until the retention pruned them; now the table, its
-- indexes (interactions_created_at, interactions_guild_created_at) and the daily prune of it go.
DROP TABLE IF EXISTS interactions;
