// A component's or option's `file_types` as an <input type=file> `accept` attribute and a short hint: groups become
// MIME wildcards (image/*), extensions stay as they are. Empty when the list allows anything.

const GROUPS: Record<string, string> = { image: "image/*", video: "video/*", audio: "audio/*" };

export function acceptOf(fileTypes: unknown): string {
  return Array.isArray(fileTypes)
    ? fileTypes
        .filter((t): t is string => typeof t === "string")
        .map((t) => GROUPS[t] ?? t)
        .join(",")
    : "";
}

export function fileTypesHint(fileTypes: unknown): string {
  return Array.isArray(fileTypes) && fileTypes.length > 0 ? `accepts ${fileTypes.join(", ")}` : "";
}
