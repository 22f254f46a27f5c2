/** Snowflakes embed their creation time: milliseconds since Discord's epoch, in the bits above 22. */
const DISCORD_EPOCH_MS = 1_420_070_400_000n;

export function snowflakeTime(id: string): number | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  return Number((BigInt(id) >> 22n) + DISCORD_EPOCH_MS);
}
