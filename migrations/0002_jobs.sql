-- Deferred jobs finished by the queue consumer. Queues deliver at least once: a job whose final edit was
-- made is recorded here, and a redelivery is acknowledged without doing the work again.
CREATE TABLE jobs_done (
  interaction_id TEXT PRIMARY KEY,
  outcome TEXT NOT NULL,
  attempts INTEGER NOT NULL,
  finished_at INTEGER NOT NULL
);
CREATE INDEX jobs_done_finished_at ON jobs_done (finished_at);
