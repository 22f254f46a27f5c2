/** Permission checks. Bitfields arrive as decimal strings and exceed 2^53, hence BigInt. */
import type { Env } from "../env.ts";
import type { Interaction } from "../dispatch/interaction.ts";

export const Permission = { Administrator: 1n << 3n } as const;

/** ADMINISTRATOR in the channel, or listed in ADMIN_USER_IDS. Never trusts default_member_permissions alone. */
export function isBotAdmin(interaction: Interaction, env: Env): boolean {
  if (interaction.memberPermissions !== null && (interaction.memberPermissions & Permission.Administrator) === Permission.Administrator) return true;
  const userId = interaction.user?.id;
  if (!userId || !env.ADMIN_USER_IDS) return false;
  return env.ADMIN_USER_IDS.split(",").some((id) => id.trim() === userId);
}
