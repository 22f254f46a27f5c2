// Discord ids are 64-bit snowflakes carried as decimal strings (never Numbers: they exceed 2^53).
// The emulator mints them so stored messages, commands and attachments look like the real thing and sort by time.

const DISCORD_EPOCH_MS = 1_420_070_400_000n;

let increment = 0n;

/** A snowflake for `date` (default now): ms since the Discord epoch << 22, plus a rolling 12-bit increment. */
export function snowflake(date: Date | number = Date.now()): string {
  const ms = BigInt(typeof date === "number" ? date : date.getTime());
  increment = (increment + 1n) & 0xfffn;
  // Worker id 1, process id 0: constant, like a single Discord API node.
  return (((ms - DISCORD_EPOCH_MS) << 22n) | (1n << 17n) | increment).toString();
}

/** The creation time encoded in a snowflake. */
export function snowflakeDate(id: string): Date {
  return new Date(Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS));
}

/** True for a decimal string that can be a snowflake (Discord rejects anything else with 50035). */
export function isSnowflake(value: unknown): value is string {
  return typeof value === "string" && /^\d{1,20}$/.test(value);
}
