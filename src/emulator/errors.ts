// Discord's error bodies, byte-for-byte in shape, so the code under test meets exactly what production sends:
// `{message, code}` for plain errors and `{code: 50035, message: "Invalid Form Body", errors: {...}}` for
// validation failures, whose `errors` tree mirrors the request body path down to `_errors` leaves.

export interface FieldError {
  /** Dotted path in the request body, e.g. "embeds.0.description" or "0.name" for a bulk body. */
  path: string;
  code: string;
  message: string;
}

type ErrorTree = { [key: string]: ErrorTree | Array<{ code: string; message: string }> };

export function discordError(status: number, code: number, message: string, extra?: Record<string, unknown>): Response {
  return Response.json({ message, code, ...extra }, { status });
}

/** Turns flat field errors into Discord's nested `errors` object. */
function errorTree(errors: readonly FieldError[]): ErrorTree {
  const root: ErrorTree = {};
  for (const error of errors) {
    let node = root;
    for (const key of error.path.split(".").filter(Boolean)) {
      const next = node[key];
      if (next === undefined || Array.isArray(next)) node[key] = {};
      node = node[key] as ErrorTree;
    }
    const leaf = (node._errors ??= []) as Array<{ code: string; message: string }>;
    leaf.push({ code: error.code, message: error.message });
  }
  return root;
}

export function invalidFormBody(errors: readonly FieldError[]): Response {
  return Response.json({ code: 50035, errors: errorTree(errors), message: "Invalid Form Body" }, { status: 400 });
}

export const unauthorized = () => discordError(401, 0, "401: Unauthorized");
export const unknownWebhook = () => discordError(404, 10015, "Unknown Webhook");
export const unknownMessage = () => discordError(404, 10008, "Unknown Message");
export const unknownInteraction = () => discordError(404, 10062, "Unknown interaction");
export const unknownCommand = () => discordError(404, 10063, "Unknown application command");
export const invalidWebhookToken = () => discordError(401, 50027, "Invalid Webhook Token");
export const tooManyFollowups = () =>
  discordError(400, 40094, "This interaction has hit the maximum number of follow up messages");
export const alreadyAcknowledged = () => discordError(400, 40060, "Interaction has already been acknowledged.");
export const emptyMessage = () => discordError(400, 50006, "Cannot send an empty message");
export const notFound = () => discordError(404, 0, "404: Not Found");
export const methodNotAllowed = () => discordError(405, 0, "405: Method Not Allowed");
export const entityTooLarge = () => discordError(413, 40005, "Request entity too large");

/** One line from a Discord error body: its message and the first field error, e.g. "Invalid Form Body: data.content: Must be 2000 or fewer in length." */
export function describeDiscordError(error: unknown): string {
  if (typeof error !== "object" || error === null) return String(error);
  const body = error as { message?: unknown; errors?: unknown };
  const message = typeof body.message === "string" ? body.message : "error";
  const first = firstFieldError(body.errors, []);
  return first ? `${message}: ${first}` : message;
}

function firstFieldError(tree: unknown, path: string[]): string | null {
  if (typeof tree !== "object" || tree === null) return null;
  for (const [key, value] of Object.entries(tree)) {
    if (key === "_errors" && Array.isArray(value) && value.length > 0) {
      const leaf = value[0] as { message?: unknown };
      return `${path.join(".") || "body"}: ${String(leaf.message ?? "invalid")}`;
    }
    const found = firstFieldError(value, [...path, key]);
    if (found) return found;
  }
  return null;
}
