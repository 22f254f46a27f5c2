-- /admin answers a server's Administrator with that server's data only: index the guild-scoped reads.
CREATE INDEX interactions_guild_created_at ON interactions (guild_id, created_at);
CREATE INDEX feedback_guild_created_at ON feedback (guild_id, created_at);
