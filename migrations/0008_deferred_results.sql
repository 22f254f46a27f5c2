-- A deferred job's result while its delivery is retried (queue mode): when the final edit fails in a way a later
-- attempt may fix, the consumer stores the finished message here (outcome 'result_ready') and the retry delivers it
-- without running the job again (src/worker/kit/engine/stored-result.ts). Cleared when the job is recorded as done.
ALTER TABLE jobs_done ADD COLUMN result TEXT;
