/**
 * The one list of handler modules. The dispatcher, /help, the registration script and the tests all read
 * it, so they cannot drift. To add a command: write src/worker/commands/<name>.ts, add it here.
 */
import type { CommandModule } from "../dispatch/types.ts";
import * as admin from "./admin.ts";
import * as chart from "./chart.ts";
import * as feedback from "./feedback.ts";
import * as help from "./help.ts";
import * as ping from "./ping.ts";

export const commands: readonly CommandModule[] = [ping, help, chart, feedback, admin];
