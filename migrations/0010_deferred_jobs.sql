-- The deferred engine's one record per interaction whose work outlives its response (a deferred job, or side effects
-- a handler scheduled with ctx.after), owned by src/worker/kit/engine/job-record.ts:
--   claimed ─▶ result_ready (queue mode: the finished result, stored while only its delivery is retried) ─▶ done
-- The claim makes a duplicate delivery of the interaction a no-op (at-least-once in, exactly-once effects); the queue
-- consumer reads the state before it runs a job; `outcome` says how a finished one ended. It replaces jobs_done, and
-- the interactions table's role as the claim: interactions only counts what users do (/admin stats, the report).
CREATE TABLE deferred_jobs (
  interaction_id TEXT PRIMARY KEY,
  state TEXT NOT NULL CHECK (state IN ('claimed', 'result_ready', 'done')),
  -- When done: ok, error_message, undelivered, dead_letter_message, ran_in_waituntil; a waitUntil job's error outcome.
  outcome TEXT,
  attempts INTEGER NOT NULL DEFAULT 0,
  -- The stored result while state = 'result_ready' (src/worker/kit/engine/stored-result.ts), else NULL.
  result TEXT,
  updated_at INTEGER NOT NULL
);
CREATE INDEX deferred_jobs_updated_at ON deferred_jobs (updated_at);

INSERT INTO deferred_jobs (interaction_id, state, outcome, attempts, result, updated_at)
  SELECT interaction_id,
         CASE outcome WHEN 'result_ready' THEN 'result_ready' ELSE 'done' END,
         CASE outcome WHEN 'result_ready' THEN NULL ELSE outcome END,
         attempts, result, finished_at
  FROM jobs_done;
DROP TABLE jobs_done;
