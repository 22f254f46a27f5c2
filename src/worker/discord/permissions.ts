/** Permission checks. Bitfields arrive as decimal strings and exceed 2^53, hence BigInt. */
import type { Config } from "../config.ts";

export const Permission = { Administrator: 1n << 3n } as const;

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
  const administrator = interaction.memberPermissions !== null && (interaction.memberPermissions & Permission.Administrator) === Permission.Administrator;
  return administrator && interaction.guildId ? { kind: "guild", guildId: interaction.guildId } : null;
}

/** The guild a scoped query is restricted to; undefined means every guild. */
export function scopeGuild(scope: AdminScope): string | undefined {
  return scope.kind === "guild" ? scope.guildId : undefined;
}
