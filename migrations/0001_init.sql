-- Interactions that had side effects, keyed by Discord's interaction id: the primary key makes a duplicate
-- delivery of the same interaction a no-op (at-least-once in, exactly-once effects), and gives /admin stats.
CREATE TABLE interactions (
  id TEXT PRIMARY KEY,
  type INTEGER NOT NULL,
  route TEXT,
  user_id TEXT,
  guild_id TEXT,
  created_at INTEGER NOT NULL
);
CREATE INDEX interactions_created_at ON interactions (created_at);

-- /feedback texts. interaction_id is UNIQUE so a re-delivered modal submit stores once.
CREATE TABLE feedback (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  interaction_id TEXT NOT NULL UNIQUE,
  user_id TEXT,
  guild_id TEXT,
  text TEXT NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX feedback_created_at ON feedback (created_at);
