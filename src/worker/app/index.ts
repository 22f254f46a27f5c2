/**
 * The bot as the platform takes it: its command modules, the after-steps every interaction passes (the one log line)
 * and its message catalogue. Both entries (src/worker/index.ts, src/worker/services.ts) hand these to the platform;
 * tests that need the whole bot build the same registry from them. Its Webhook Event modules are in events/index.ts,
 * which only the services Worker imports: the interactions Worker forwards POST /events and bundles none of them.
 */
import type { RegistryOptions } from "../kit/index.ts";
import { messages } from "./i18n/messages.ts";
import { interactionLog } from "./middleware/interaction-log.ts";

export { commands } from "./commands/index.ts";

export const registryOptions: RegistryOptions = { after: [interactionLog], messages };
