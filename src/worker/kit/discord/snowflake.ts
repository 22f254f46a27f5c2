/**
 * Snowflakes embed their creation time: milliseconds since Discord's epoch, in the bits above 22.
 *
 * Read with Number arithmetic rather than BigInt (BigInts are heap allocations on the hot path of /ping):
 * a 64-bit id as a double is off by at most 2^11 units, which is under 0.001 ms once shifted by 22 bits,
 * so the time is exact except, rarely, by 1 ms at a millisecond boundary.
 */
const DISCORD_EPOCH_MS = 1_420_070_400_000;
const TIMESTAMP_SHIFT = 2 ** 22;

export function snowflakeTime(id: string): number | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  return Math.floor(Number(id) / TIMESTAMP_SHIFT) + DISCORD_EPOCH_MS;
}
