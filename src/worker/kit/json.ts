/** A JSON object: what every read of an untrusted payload narrows to first. */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
