/** Permission checks. Bitfields arrive as decimal strings and exceed 2^53, hence BigInt. */
import type { Config } from "../config.ts";

/**
 * Permission bits by name, as Discord numbers them (discord.com/developers/docs/topics/permissions), including the
 * ones added in 2024-2025: CREATE_GUILD_EXPRESSIONS (43), CREATE_EVENTS (44), PIN_MESSAGES (51, split from
 * MANAGE_MESSAGES), BYPASS_SLOWMODE (52). Test with `hasPermission(interaction.memberPermissions, "PinMessages")`.
 */
export const Permission = {
  Administrator: 1n << 3n,
  ManageMessages: 1n << 13n,
  CreateGuildExpressions: 1n << 43n,
  CreateEvents: 1n << 44n,
  PinMessages: 1n << 51n,
  BypassSlowmode: 1n << 52n,
} as const;

/** Whether `bits` (member or app permissions; null outside a server) has the named permission, or Administrator. @public */
export function hasPermission(bits: bigint | null, name: keyof typeof Permission): boolean {
  return bits !== null && ((bits & Permission[name]) === Permission[name] || (bits & Permission.Administrator) !== 0n);
}

/**
 * What an admin may see. The Administrator bit only proves authority over the server the command runs in,
 * so it grants that server's data and nothing more: anyone can create a server and add a public bot. Only the
 * bot's own operators (ADMIN_USER_IDS, set by whoever deploys it) see every server's data.
 */
export type AdminScope = { readonly kind: "all" } | { readonly kind: "guild"; readonly guildId: string };

/** The caller's scope, or null when they are neither an operator nor an Administrator of this server. */
/** The parts of an interaction a permission check reads (structural, so this layer imports no dispatch types). */
export interface Caller {
  readonly user: { readonly id: string } | null;
  readonly memberPermissions: bigint | null;
  readonly guildId: string | null;
}

export function adminScope(interaction: Caller, config: Pick<Config, "adminUserIds">): AdminScope | null {
  const userId = interaction.user?.id;
  if (userId && config.adminUserIds.has(userId)) return { kind: "all" };
  const administrator =
    interaction.memberPermissions !== null &&
    (interaction.memberPermissions & Permission.Administrator) === Permission.Administrator;
  return administrator && interaction.guildId ? { kind: "guild", guildId: interaction.guildId } : null;
}

/** The guild a scoped query is restricted to; undefined means every guild. */
export function scopeGuild(scope: AdminScope): string | undefined {
  return scope.kind === "guild" ? scope.guildId : undefined;
}
