/**
 * /chart: the reference heavy command. Cheap checks answer at once (ephemeral); the rendering is relayed
 * to the backend while the user sees "thinking…", and the result replaces it. Buttons switch line ↔ bar
 * by re-rendering the stored points (see chart/store.ts for why KV).
 */
import { requireRelay, ConfigError } from "../config.ts";
import { defer, deferComponentUpdate, type TaskContext } from "../dispatch/deferred.ts";
import { OptionType } from "../dispatch/options.ts";
import type { CommandContext, CommandDefinition, ComponentContext, HandlerResult } from "../dispatch/types.ts";
import { ephemeral } from "../discord/responses.ts";
import { relayJob } from "../relay/client.ts";
import { InputError } from "../../shared/http-error.ts";
import { parseValues } from "../../shared/chart-data/values.ts";
import { MAX_FILE_BYTES, MAX_TITLE_LENGTH } from "../../shared/chart-data/points.ts";
import { CHART_KINDS, chartMessage, type ChartKind, type ChartResult } from "./chart/message.ts";
import { isChartKey, loadChart, newChartKey, saveChart, type StoredChart } from "./chart/store.ts";
import { describeError, log } from "../log.ts";

export const definition = {
  name: "chart",
  description: "Draw a line or bar chart from numbers you type or a CSV file",
  options: [
    { type: OptionType.String, name: "values", description: "Numbers separated by commas (3,5,8) or label=number pairs (mon=3,tue=5)", max_length: 6000 },
    { type: OptionType.Attachment, name: "file", description: "A CSV file: one column of values, or label,value (≤ 1 MiB)" },
    { type: OptionType.String, name: "kind", description: "Line or bar (default line)", choices: [{ name: "line", value: "line" }, { name: "bar", value: "bar" }] },
    { type: OptionType.String, name: "title", description: "A title for the chart", max_length: MAX_TITLE_LENGTH },
  ],
} satisfies CommandDefinition;

/** Rendering costs backend time: counted toward the per-user HEAVY_LIMITER. */
export const heavy = true;

type ChartInput = { kind: ChartKind; title?: string } & ({ values: string } | { file: { url: string; size?: number; content_type?: string; filename?: string } } | { points: readonly { label: string; value: number }[] });

export function command({ options, config, env }: CommandContext): HandlerResult {
  const values = options.string("values");
  const file = options.attachment("file");
  const kind = options.string("kind") ?? "line";
  const title = options.string("title")?.trim() || null;

  // Presence, not resolvability: a `file` option whose attachment is missing from `resolved` still counts.
  if (options.has("values") === options.has("file")) {
    return ephemeral("Give me exactly one of `values` (numbers like `3,5,8`) or `file` (a CSV), not both and not neither.");
  }
  if (options.has("file") && !file) return ephemeral("I could not find the attached file in Discord's request. Please attach it again.");
  if (options.has("values") && values === undefined) return ephemeral("`values` must be text like `3,5,8`.");
  if (!isKind(kind)) return ephemeral("`kind` must be `line` or `bar`.");
  if (title && title.length > MAX_TITLE_LENGTH) return ephemeral(`\`title\` is ${title.length} characters; the limit is ${MAX_TITLE_LENGTH}.`);

  let input: ChartInput;
  if (values !== undefined) {
    try {
      parseValues(values); // Cheap (≤ 1,000 numbers): a typo is answered now, not after "thinking…".
    } catch (error) {
      if (error instanceof InputError) return ephemeral(error.message);
      throw error;
    }
    input = { kind, ...(title ? { title } : {}), values };
  } else {
    if (file!.size !== null && file!.size > MAX_FILE_BYTES) return ephemeral(`\`file\` is ${Math.ceil(file!.size / 1024)} KiB; the limit is 1 MiB.`);
    if (!looksLikeCsv(file!.filename, file!.contentType)) return ephemeral(`\`file\` should be a CSV (.csv or .txt); \`${file!.filename.slice(0, 60)}\` is not.`);
    input = { kind, ...(title ? { title } : {}), file: { url: file!.url, ...(file!.size !== null ? { size: file!.size } : {}), ...(file!.contentType ? { content_type: file!.contentType } : {}), filename: file!.filename } };
  }

  try {
    requireRelay(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      log("config.missing", { route: "/chart", level: "error", error: error.message });
      return ephemeral("Charts are not available on this bot yet: its backend is not configured. The operator has been told.");
    }
    throw error;
  }
  const kv = env.CHART_DATA;
  return defer(async (task) => {
    const result = await renderChart(task, input);
    return chartMessage(result, title, await storeForButtons(kv, task, { title, points: result.points }));
  });
}

export function component({ customId, env }: ComponentContext): HandlerResult {
  const [kind, key] = customId.args;
  if (customId.args.length !== 2 || !isKind(kind) || !isChartKey(key ?? "")) {
    return ephemeral("This button is not one of mine (its data is malformed), so I ignored it.");
  }
  const kv = env.CHART_DATA;
  return deferComponentUpdate(async (task) => {
    const stored = kv ? await loadChart(kv, key!) : null;
    if (!stored) {
      return { data: { content: "This chart's data has expired, so it cannot be redrawn. Run `/chart` again.", components: [] } };
    }
    const result = await renderChart(task, { kind, ...(stored.title ? { title: stored.title } : {}), points: stored.points });
    return chartMessage(result, stored.title, key!);
  });
}

/** The key the buttons carry, or null (no buttons) when the data cannot be stored: the chart is still sent. */
async function storeForButtons(kv: KVNamespace | undefined, task: TaskContext, chart: StoredChart): Promise<string | null> {
  if (!kv) return null;
  const key = newChartKey();
  try {
    await saveChart(kv, key, chart);
    return key;
  } catch (error) {
    log("chart.store_failed", { interaction_id: task.interaction.id, level: "error", error: describeError(error) });
    return null;
  }
}

function renderChart(task: TaskContext, input: ChartInput): Promise<ChartResult> {
  return relayJob<ChartResult>({ ...requireRelay(task.config) }, "chart", task.interaction.id, input, { signal: task.signal });
}

function isKind(value: string | undefined): value is ChartKind {
  return CHART_KINDS.includes(value as ChartKind);
}

function looksLikeCsv(filename: string, contentType: string | null): boolean {
  return /\.(csv|txt|tsv)$/i.test(filename) || (contentType !== null && /^text\/|csv/i.test(contentType));
}
