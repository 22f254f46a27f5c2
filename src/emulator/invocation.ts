// What a user did to cause an interaction, in the words Discord's client shows above a reply ("Tester used
// /chart values:3,5 kind:bar", "Tester used Chart numbers"). Computed once when the interaction is issued so the playground's chat view and
// log can label it without keeping the whole payload.

import type { Invocation } from "./state.ts";

const ADMINISTRATOR_BIT = 1n << 3n;
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

export interface InvocationSource {
  type: number;
  data?: Record<string, unknown>;
  member?: Record<string, unknown>;
  user?: { username?: string; global_name?: string | null } | Record<string, unknown>;
}

export function describeInvocation(payload: InvocationSource, label?: string): Invocation {
  const member = isObject(payload.member) ? payload.member : undefined;
  const user = (isObject(member?.user) ? member.user : payload.user) as Record<string, unknown> | undefined;
  const name =
    typeof user?.global_name === "string" && user.global_name
      ? user.global_name
      : typeof user?.username === "string"
        ? user.username
        : "someone";
  return {
    type: payload.type,
    label: label ?? defaultLabel(payload),
    user: name,
    admin: hasAdministrator(member?.permissions),
  };
}

function hasAdministrator(permissions: unknown): boolean {
  if (typeof permissions !== "string" || !/^\d+$/.test(permissions)) return false;
  return (BigInt(permissions) & ADMINISTRATOR_BIT) === ADMINISTRATOR_BIT;
}

function defaultLabel(payload: InvocationSource): string {
  const data = payload.data ?? {};
  switch (payload.type) {
    case 1:
      return "PING";
    case 2:
    case 4:
      // A context-menu command shows by its name alone, as Discord's client shows it.
      return data.type === 2 || data.type === 3 ? String(data.name ?? "?") : commandLine(data);
    case 3:
      return typeof data.custom_id === "string" ? data.custom_id : "a component";
    case 5:
      return typeof data.custom_id === "string" ? `form ${data.custom_id}` : "a form";
    default:
      return `interaction type ${payload.type}`;
  }
}

/** "/name sub option:value …", with attachment options shown by file name. */
function commandLine(data: Record<string, unknown>): string {
  const parts = [`/${typeof data.name === "string" ? data.name : "?"}`];
  const resolved = isObject(data.resolved) && isObject(data.resolved.attachments) ? data.resolved.attachments : {};
  let level: unknown = data.options;
  for (let depth = 0; depth < 3 && Array.isArray(level); depth++) {
    const nested = level.find((o) => isObject(o) && (o.type === 1 || o.type === 2));
    if (isObject(nested)) {
      parts.push(String(nested.name));
      level = nested.options;
      continue;
    }
    for (const option of level) {
      if (!isObject(option)) continue;
      const attachment = option.type === 11 && typeof option.value === "string" ? resolved[option.value] : undefined;
      const value =
        isObject(attachment) && typeof attachment.filename === "string"
          ? attachment.filename
          : String(option.value ?? "");
      parts.push(`${String(option.name)}:${value}`);
    }
    break;
  }
  return parts.join(" ");
}
