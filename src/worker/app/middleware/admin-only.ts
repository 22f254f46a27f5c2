/**
 * The /admin gate. default_member_permissions hides a command from non-admins in Discord's UI, but a server's
 * admins can change that, so every call is checked again: the bot's operators (ADMIN_USER_IDS) and members with
 * the Administrator permission in a server pass; everyone else gets an ephemeral refusal.
 */
import { adminScope, defineMiddleware, ephemeral } from "../../kit/index.ts";

export const adminOnly = defineMiddleware({
  name: "admin-only",
  before({ interaction, config, t }, route) {
    if (adminScope(interaction, config)) return undefined;
    return ephemeral(t("adminDenied", route));
  },
});
