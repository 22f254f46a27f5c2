// Discord's error bodies, byte-for-byte in shape, so the code under test meets exactly what production sends:
// `{message, code}` for plain errors and `{code: 50035, message: "Invalid Form Body", errors: {...}}` for
// validation failures, whose `errors` tree mirrors the request body path down to `_errors` leaves.

export interface FieldError {
  /** Dotted path in the request body, e.g. "embeds.0.description" or "0.name" for a bulk body. */
  path: string;
  code: string;
  message: string;
}

export type ErrorTree = { [key: string]: ErrorTree | Array<{ code: string; message: string }> };

export function discordError(status: number, code: number, message: string, extra?: Record<string, unknown>): Response {
  return Response.json({ message, code, ...extra }, { status });
}

/** Turns flat field errors into Discord's nested `errors` object. */
export function errorTree(errors: readonly FieldError[]): ErrorTree {
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
export const missingAccess = () => discordError(403, 50001, "Missing Access");
export const unknownWebhook = () => discordError(404, 10015, "Unknown Webhook");
export const unknownMessage = () => discordError(404, 10008, "Unknown Message");
export const unknownInteraction = () => discordError(404, 10062, "Unknown interaction");
export const unknownCommand = () => discordError(404, 10063, "Unknown application command");
export const invalidWebhookToken = () => discordError(401, 50027, "Invalid Webhook Token");
export const alreadyAcknowledged = () => discordError(400, 40060, "Interaction has already been acknowledged.");
export const emptyMessage = () => discordError(400, 50006, "Cannot send an empty message");
export const notFound = () => discordError(404, 0, "404: Not Found");
export const methodNotAllowed = () => discordError(405, 0, "405: Method Not Allowed");
export const entityTooLarge = () => discordError(413, 40005, "Request entity too large");
