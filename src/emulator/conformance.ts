/// <reference path="./discord-api-spec-zod.d.ts" />
// Conformance with Discord's published API description (discord/discord-api-spec, via the npm package's Zod
// schemas): every body sent to the emulated Discord API, and every interaction response, is held against the
// request schema of its operation. A body the description refuses is answered the way Discord answers an invalid
// body (400, 50035), and reported to whoever watches (the test suites fail on any report: test/support/spec-watch.ts).
//
// The schemas are non-strict objects, which silently drop fields they do not know; a misspelt field would pass.
// So after a successful parse the input is compared with the parsed output, and every field the description does
// not have is reported too.

import * as spec from "discord-api-spec/zod";
import { invalidFormBody } from "./errors.ts";
import { notifySpecWatchers } from "./spec-watch.ts";

/** The operations whose request bodies are checked, by Discord's names. */
export const SPEC_OPERATIONS = {
  /** POST /interactions/{id}/{token}/callback, and the Worker's inline HTTP answer. */
  interactionCallback: "create_interaction_response",
  /** POST /webhooks/{app}/{token}: a follow-up. */
  executeWebhook: "execute_webhook",
  /** PATCH /webhooks/{app}/{token}/messages/{@original | id}. */
  editWebhookMessage: "update_webhook_message",
  /** PUT /applications/{app}[/guilds/{guild}]/commands. */
  bulkSetCommands: "bulk_set_application_commands",
  /** POST /applications/{app}[/guilds/{guild}]/commands. */
  createCommand: "create_application_command",
  /** PATCH /applications/{app}[/guilds/{guild}]/commands/{id}. */
  updateCommand: "update_application_command",
  /** POST /channels/{channel}/messages (bot token). */
  createMessage: "create_message",
  /** PUT /users/@me/applications/{app}/role-connection (the user's Bearer token). */
  updateRoleConnection: "update_application_user_role_connection",
  /** PUT /applications/{app}/role-connections/metadata (bot token). */
  updateRoleConnectionsMetadata: "update_application_role_connections_metadata",
} as const;

export type SpecOperation = (typeof SPEC_OPERATIONS)[keyof typeof SPEC_OPERATIONS];

export interface SpecViolation {
  operation: SpecOperation;
  /** The schema of discord-api-spec the body was held against, e.g. "IncomingWebhookUpdateRequestPartial". */
  schema: string;
  /** Where in the body, e.g. "attachments[0].id" ("" for the body itself). */
  path: string;
  problem: string;
  /** One line: `discord-api-spec(<schema>) <operation>: <path>: <problem>`. */
  message: string;
  /** Every field the description refuses (the first is `path`), for the 400's `errors` tree. */
  fields: Array<{ path: string; problem: string }>;
}

interface Parser {
  safeParse(value: unknown): { success: true; data: unknown } | { success: false; error: { issues: readonly Issue[] } };
}

interface Issue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
  readonly code?: string;
  readonly expected?: unknown;
  readonly origin?: string;
  readonly minimum?: number | bigint;
  readonly maximum?: number | bigint;
  readonly values?: readonly unknown[];
  readonly pattern?: string;
  readonly errors?: readonly (readonly Issue[])[];
}

interface Schema {
  readonly name: string;
  readonly parser: Parser;
}

const schema = (name: string, parser: unknown): Schema => ({ name, parser: parser as Parser });

const CALLBACK_SCHEMAS: Record<number, Schema> = {
  1: schema("PongInteractionCallbackRequest", spec.PongInteractionCallbackRequestSchema),
  4: schema("CreateMessageInteractionCallbackRequest", spec.CreateMessageInteractionCallbackRequestSchema),
  5: schema("CreateMessageInteractionCallbackRequest", spec.CreateMessageInteractionCallbackRequestSchema),
  6: schema("UpdateMessageInteractionCallbackRequest", spec.UpdateMessageInteractionCallbackRequestSchema),
  7: schema("UpdateMessageInteractionCallbackRequest", spec.UpdateMessageInteractionCallbackRequestSchema),
  8: schema("ApplicationCommandAutocompleteCallbackRequest", spec.ApplicationCommandAutocompleteCallbackRequestSchema),
  9: schema("ModalInteractionCallbackRequest", spec.ModalInteractionCallbackRequestSchema),
  12: schema("LaunchActivityInteractionCallbackRequest", spec.LaunchActivityInteractionCallbackRequestSchema),
};

// Discord describes the follow-up body as IncomingWebhookRequestPartial (or the update shape); interaction
// follow-ups are the first.
const FIXED_SCHEMAS: Record<Exclude<SpecOperation, "create_interaction_response">, Schema> = {
  execute_webhook: schema("IncomingWebhookRequestPartial", spec.IncomingWebhookRequestPartialSchema),
  update_webhook_message: schema("IncomingWebhookUpdateRequestPartial", spec.IncomingWebhookUpdateRequestPartialSchema),
  bulk_set_application_commands: schema("ApplicationCommandUpdateRequest[]", {
    safeParse: (value: unknown) => bulkCommands(value),
  }),
  create_application_command: schema("ApplicationCommandCreateRequest", spec.ApplicationCommandCreateRequestSchema),
  update_application_command: schema(
    "ApplicationCommandPatchRequestPartial",
    spec.ApplicationCommandPatchRequestPartialSchema,
  ),
  create_message: schema("MessageCreateRequest", spec.MessageCreateRequestSchema),
  update_application_user_role_connection: schema(
    "UpdateApplicationUserRoleConnectionRequest",
    spec.UpdateApplicationUserRoleConnectionRequestSchema,
  ),
  update_application_role_connections_metadata: schema("ApplicationRoleConnectionsMetadataItemRequest[]", {
    safeParse: (value: unknown) => eachItem(value, spec.ApplicationRoleConnectionsMetadataItemRequestSchema),
  }),
};

/** An array body whose items each follow `item` (paths start at the item's index). */
function eachItem(value: unknown, item: unknown): ReturnType<Parser["safeParse"]> {
  if (!Array.isArray(value)) return { success: false, error: { issues: [{ path: [], message: "expected an array" }] } };
  const parser = item as Parser;
  const data: unknown[] = [];
  for (const [index, element] of value.entries()) {
    const result = parser.safeParse(element);
    if (!result.success)
      return {
        success: false,
        error: { issues: result.error.issues.map((issue) => ({ ...issue, path: [index, ...issue.path] })) },
      };
    data.push(result.data);
  }
  return { success: true, data };
}

function bulkCommands(value: unknown): ReturnType<Parser["safeParse"]> {
  if (!Array.isArray(value))
    return { success: false, error: { issues: [{ path: [], message: "expected an array of commands" }] } };
  const parser = spec.ApplicationCommandUpdateRequestSchema as unknown as Parser;
  const data: unknown[] = [];
  for (const [index, command] of value.entries()) {
    const result = parser.safeParse(command);
    if (!result.success)
      return {
        success: false,
        error: { issues: result.error.issues.map((issue) => ({ ...issue, path: [index, ...issue.path] })) },
      };
    data.push(result.data);
  }
  return { success: true, data };
}

/** Null when Discord's description accepts `body` as the request body of `operation`; else what it refuses. */
export function checkAgainstSpec(operation: SpecOperation, body: unknown): SpecViolation | null {
  let chosen: Schema;
  if (operation === SPEC_OPERATIONS.interactionCallback) {
    const type = typeof body === "object" && body !== null ? (body as { type?: unknown }).type : undefined;
    const byType = typeof type === "number" ? CALLBACK_SCHEMAS[type] : undefined;
    if (!byType)
      return violation(
        operation,
        "InteractionCallbackTypes",
        "type",
        `${JSON.stringify(type)} is not an interaction callback type (${Object.keys(CALLBACK_SCHEMAS).join(", ")})`,
      );
    chosen = byType;
  } else {
    chosen = FIXED_SCHEMAS[operation];
  }
  const refused = refusedFields(chosen, body);
  return refused === null ? null : violation(operation, chosen.name, refused[0]!.path, refused[0]!.problem, refused);
}

/** What the schema refuses in `body`, most telling first; null when it accepts every field. */
function refusedFields(chosen: Schema, body: unknown): Array<{ path: string; problem: string }> | null {
  const result = chosen.parser.safeParse(body);
  if (!result.success) {
    return result.error.issues
      .map((issue) => deepestIssue([issue]))
      .sort((a, b) => b.path.length - a.path.length)
      .map((issue) => ({ path: formatPath(issue.path), problem: describeIssue(issue, valueAt(body, issue.path)) }));
  }
  const extra = firstUnknownField(body, result.data, []);
  return extra === null
    ? null
    : [
        {
          path: formatPath(extra),
          problem: "is not a field in Discord's description (misspelt, or not supported here)",
        },
      ];
}

/** Discord's answers the emulator gives, by name: held to the description like the bodies it receives. */
const RESPONSE_SCHEMAS = {
  /** POST /interactions/{id}/{token}/callback?with_response=true. */
  InteractionCallbackResponse: schema("InteractionCallbackResponse", spec.InteractionCallbackResponseSchema),
} as const;

/** Null when Discord's description accepts `body` as its answer of that kind; else one line naming the field. */
export function checkResponseAgainstSpec(kind: keyof typeof RESPONSE_SCHEMAS, body: unknown): string | null {
  const refused = refusedFields(RESPONSE_SCHEMAS[kind], body);
  return refused === null
    ? null
    : `discord-api-spec(${kind}) response: ${refused[0]!.path || "(body)"}: ${refused[0]!.problem}`;
}

function violation(
  operation: SpecOperation,
  schemaName: string,
  path: string,
  problem: string,
  fields = [{ path, problem }],
): SpecViolation {
  return {
    operation,
    schema: schemaName,
    path,
    problem,
    message: `discord-api-spec(${schemaName}) ${operation}: ${path || "(body)"}: ${problem}`,
    fields,
  };
}

/**
 * A union failure lists every variant's issues. A variant refused for its `type` is the wrong variant, not the
 * problem; among the others, the issue deepest in the body explains it best.
 */
function deepestIssue(issues: readonly Issue[]): Issue {
  let best: Issue | null = null;
  let bestScore = -1;
  const consider = (issue: Issue) => {
    const score = issue.path.length;
    if (score > bestScore) {
      best = issue;
      bestScore = score;
    }
  };
  for (const issue of issues) {
    if (issue.code !== "invalid_union" || !issue.errors?.length) {
      consider(issue);
      continue;
    }
    const branches = issue.errors.filter((branch) => branch.length > 0);
    const fitting = branches.filter((branch) => !branch.some(isWrongVariant));
    // One variant has the right type: its problem is the problem. None: the type is. Several: the union is.
    if (fitting.length === 1) {
      const inner = deepestIssue(fitting[0]!);
      consider({ ...inner, path: [...issue.path, ...inner.path] });
    } else if (fitting.length === 0 && branches.length > 0) {
      const types = branches.flatMap((branch) => branch.filter(isWrongVariant).flatMap((wrong) => wrong.values ?? []));
      consider({
        code: "invalid_value",
        path: [...issue.path, "type"],
        message: "no such type here",
        values: [...new Set(types)],
      });
    } else {
      consider(issue);
    }
  }
  return best ?? { path: [], message: "invalid" };
}

function isWrongVariant(issue: Issue): boolean {
  return issue.code === "invalid_value" && issue.path.length === 1 && issue.path[0] === "type";
}

function describeIssue(issue: Issue, value: unknown): string {
  const unit = issue.origin === "string" ? " characters" : issue.origin === "array" ? " items" : "";
  const size = typeof value === "string" || Array.isArray(value) ? `${value.length}${unit}` : describeValue(value);
  switch (issue.code) {
    case "invalid_type":
      return `expected ${String(issue.expected)}, got ${describeValue(value)}`;
    case "too_big":
      return `at most ${String(issue.maximum)}${unit} allowed, got ${size}`;
    case "too_small":
      return `at least ${String(issue.minimum)}${unit} needed, got ${size}`;
    case "invalid_value":
      return `must be one of ${(issue.values ?? []).map((v) => JSON.stringify(v)).join(", ")}, got ${describeValue(value)}`;
    case "invalid_format":
      return `must match ${issue.pattern ?? "the format"}, got ${describeValue(value)}`;
    case "invalid_union":
      return `matches none of the shapes the description allows here (${describeValue(value)})`;
    default:
      return `${issue.message} (${describeValue(value)})`;
  }
}

function valueAt(body: unknown, path: readonly PropertyKey[]): unknown {
  let node = body;
  for (const key of path) {
    if (typeof node !== "object" || node === null) return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function describeValue(value: unknown): string {
  if (value === undefined) return "no value";
  if (value === null) return "null";
  if (Array.isArray(value)) return "an array";
  if (typeof value === "object") return "an object";
  const text = JSON.stringify(value);
  return `${typeof value} ${text.length > 60 ? `${text.slice(0, 57)}…` : text}`;
}

function firstUnknownField(input: unknown, parsed: unknown, path: PropertyKey[]): PropertyKey[] | null {
  if (Array.isArray(input)) {
    if (!Array.isArray(parsed)) return null;
    for (let i = 0; i < input.length; i++) {
      const found = firstUnknownField(input[i], parsed[i], [...path, i]);
      if (found) return found;
    }
    return null;
  }
  if (typeof input !== "object" || input === null || typeof parsed !== "object" || parsed === null) return null;
  for (const [key, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!(key in parsed)) return [...path, key];
    const found = firstUnknownField(value, (parsed as Record<string, unknown>)[key], [...path, key]);
    if (found) return found;
  }
  return null;
}

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const key of path) out += typeof key === "number" ? `[${key}]` : `${out ? "." : ""}${String(key)}`;
  return out;
}

/**
 * Reports a violation (to the log and to every watcher) and answers as Discord answers a body it cannot accept:
 * 400, code 50035, the field's path in `errors`.
 */
export function specViolationResponse(found: SpecViolation, log: (event: Record<string, unknown>) => void): Response {
  log({
    event: "emulator.spec_violation",
    operation: found.operation,
    schema: found.schema,
    path: found.path,
    problem: found.problem,
  });
  notifySpecWatchers(found);
  const dotted = (path: string) => path.replace(/^\[(\d+)\]/, "$1").replace(/\[(\d+)\]/g, ".$1");
  return invalidFormBody(
    found.fields.map((field) => ({
      path: dotted(field.path),
      code: "SPEC_CONFORMANCE",
      message: `discord-api-spec(${found.schema}): ${field.problem}`,
    })),
  );
}

/**
 * Reports a use of the API that Discord accepts but that loses what the bot meant (a rule of Discord's behaviour,
 * not of a body's schema): logged, and sent to every watcher, so the test suites fail on it as on a refused body.
 * The call itself is answered as Discord answers it.
 */
export function reportRuleViolation(
  operation: SpecOperation,
  rule: string,
  problem: string,
  log: (event: Record<string, unknown>) => void,
): void {
  const found: SpecViolation = {
    operation,
    schema: `discord-rule(${rule})`,
    path: "",
    problem,
    message: `discord-rule(${rule}) ${operation}: ${problem}`,
    fields: [{ path: "", problem }],
  };
  log({ event: "emulator.rule_violation", operation, rule, problem, level: "warn" });
  notifySpecWatchers(found);
}
