/**
 * The one list of handler modules. The dispatcher, /help, the registration script and the tests all read
 * it, so they cannot drift. To add a command: write src/worker/app/commands/<name>.ts, add it here. `listModules`
 * checks each module as it is listed (an export nothing would call is a compile error on its line); the run-time
 * checks (dispatch/module-checks.ts) run in the tests and wherever the scripts load this list.
 */
import { listModules } from "../../kit/index.ts";
import * as admin from "./admin.ts";
import * as chart from "./chart.ts";
import * as chartNumbers from "./chart-numbers.ts";
import * as feedback from "./feedback.ts";
import * as help from "./help.ts";
import * as ping from "./ping.ts";
import * as poll from "./poll.ts";

export const commands = listModules(ping, help, chart, chartNumbers, feedback, admin, poll);
