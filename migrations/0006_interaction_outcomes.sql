-- How each recorded interaction ended, for the daily report's error count: the dispatcher's outcome ("ok",
-- "deferred", "handler_error", …), replaced by the job's outcome when a deferred job run in waitUntil ends badly
-- ("task_error", "not_runnable", "undelivered"). Jobs finished by the queue keep theirs in jobs_done. Rows written
-- before this column existed have NULL: unknown, counted as no error.
ALTER TABLE interactions ADD COLUMN outcome TEXT;
