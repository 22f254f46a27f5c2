/**
 * /chart: the reference heavy command. Cheap checks answer at once (ephemeral); the rendering is the module's
 * `render` job, relayed to the backend while the user sees "thinking…", and the result replaces it. Rows of a CSV
 * the backend had to skip are listed in an ephemeral follow-up. Buttons switch line ↔ bar by the `redraw` job,
 * which re-renders the stored points (see chart/store.ts for why KV). Charts drawn before come from the chart
 * cache instead of the backend (chart/draw.ts, chart/cache.ts). The `Chart numbers` message command
 * (chart-numbers.ts) uses the same render job.
 */
import {
  componentState,
  customId,
  describeError,
  ephemeral,
  EVERYWHERE,
  job,
  log,
  OptionType,
  slashCommand,
  withStorageTimeout,
  type CommandContext,
  type ComponentContext,
  type HandlerResult,
  type TaskContext,
} from "../../kit/index.ts";
import { heavyLimiter } from "../middleware/heavy-limiter.ts";
import { premiumOptions } from "../middleware/premium-options.ts";
import { CHART_KINDS, type ChartJobInput, type ChartKind } from "../../../shared/jobs/chart.ts";
import { InputError } from "../../../shared/http-error.ts";
import { inputErrorText } from "./chart/problem-text.ts";
import { parseValues } from "../../../shared/chart-data/values.ts";
import { MAX_FILE_BYTES, MAX_TITLE_LENGTH, type Point } from "../../../shared/chart-data/points.ts";
import { relayUnavailable } from "./chart/availability.ts";
import { drawChart } from "./chart/draw.ts";
import { chartMessage, skippedRowsMessage } from "./chart/message.ts";
import { isChartKey, loadChart, newChartKey, saveChart, type StoredChart } from "./chart/store.ts";
import { reportChart } from "../linked-roles.ts";
import { emoji } from "../emojis/index.ts";

export const definition = slashCommand({
  name: "chart",
  name_localizations: { de: "diagramm", fr: "graphique" },
  description: "Draw a line or bar chart from numbers you type or a CSV file",
  description_localizations: {
    de: "Ein Linien- oder Balkendiagramm aus eingegebenen Zahlen oder einer CSV-Datei zeichnen",
    fr: "Tracer un graphique en courbes ou en barres à partir de nombres saisis ou d'un fichier CSV",
  },
  // No server data and no server permissions: usable wherever a user can run it (the limiter keys on the user,
  // D1 records a null guild outside servers, the result is a webhook message, which needs no membership).
  ...EVERYWHERE,
  options: [
    {
      type: OptionType.String,
      name: "values",
      description: "Numbers separated by commas (3,5,8) or label=number pairs (mon=3,tue=5)",
      max_length: 6000,
    },
    {
      type: OptionType.Attachment,
      name: "file",
      description: "A CSV file: one column of values, or label,value (≤ 1 MiB)",
      file_types: [".csv", ".txt"],
    },
    {
      type: OptionType.String,
      name: "kind",
      description: "Line or bar (default line)",
      choices: [
        { name: "line", value: "line" },
        { name: "bar", value: "bar" },
      ],
    },
    { type: OptionType.String, name: "title", description: "A title for the chart", max_length: MAX_TITLE_LENGTH },
  ],
});

/**
 * Rendering costs backend time: the command and its buttons count toward the per-user HEAVY_LIMITER. CSV uploads
 * (`file:`) need the PREMIUM_SKU_ID entitlement when one is set; the gate answers before the handler runs, so a
 * refusal never defers and costs no limit.
 */
export const use = [premiumOptions(["file"], "Charting a CSV file (`file:`)"), heavyLimiter];

/** What the render job gets: the chart job's own input (src/shared/jobs/chart.ts). */
export type RenderInput = ChartJobInput;

/** The Line/Bar buttons' state: the kind to draw and the stored chart's key. */
const buttonState = componentState("kind", "key");
const buttonId = (kind: ChartKind, key: string) => customId(definition.name, ...buttonState.build({ kind, key }));

export const jobs = {
  render: job<RenderInput>(async (input, task) => {
    const title = input.title ?? null;
    const points = knownPoints(input);
    const chart = await drawChart(task, input, points ? { kind: input.kind, title, points } : null);
    const key = await storeForButtons(task, { title, points: chart.points });
    const skipped = skippedRowsMessage(chart, task.t);
    if (skipped) {
      // Told apart from the chart, to the user only: the chart is for the channel, the data problems are theirs.
      await task.followUp(skipped, { ephemeral: true }).catch((error: unknown) => {
        log("chart.followup_failed", {
          interaction_id: task.interaction.id,
          level: "error",
          error: describeError(error),
        });
      });
    }
    // Linked Roles: the user's `charts_drawn` goes up, after the final edit (a no-op for users who have not linked).
    task.after("role_connection", () => reportChart(task.env, task.interaction.user?.id, task.interaction.id));
    return chartMessage(chart, title, key, buttonId, task.t, emoji(task.config, "chart"));
  }),
  redraw: job<{ kind: ChartKind; key: string }>(async ({ kind, key }, task) => {
    const kv = task.env.CHART_DATA;
    // Time-boxed like every call before the final edit: a hung read ends in an error edit that keeps the chart.
    const stored = kv ? await withStorageTimeout(loadChart(kv, key), "chart_data.load") : null;
    if (!stored) {
      return { data: { content: task.t("chartExpired"), components: [] } };
    }
    const input: RenderInput = { kind, ...(stored.title ? { title: stored.title } : {}), points: stored.points };
    const chart = await drawChart(task, input, { kind, title: stored.title, points: stored.points });
    return chartMessage(chart, stored.title, key, buttonId, task.t, emoji(task.config, "chart"));
  }),
};

export function command({ options, config, defer, t }: CommandContext<typeof definition, typeof jobs>): HandlerResult {
  const { values, file } = options;
  const kind = options.kind ?? "line";
  const title = options.title?.trim() || null;

  if ((values === undefined) === (file === undefined)) {
    return ephemeral(t("chartOneSource"));
  }
  if (title && title.length > MAX_TITLE_LENGTH) return ephemeral(t("chartTitleLong", title.length, MAX_TITLE_LENGTH));

  let input: RenderInput;
  if (values !== undefined) {
    try {
      parseValues(values); // Cheap (≤ 1,000 numbers): a typo is answered now, not after "thinking…".
    } catch (error) {
      if (error instanceof InputError) return ephemeral(inputErrorText(t, error));
      throw error;
    }
    input = { kind, ...(title ? { title } : {}), values };
  } else {
    if (file!.size !== null && file!.size > MAX_FILE_BYTES)
      return ephemeral(t("chartFileLarge", Math.ceil(file!.size / 1024)));
    if (!looksLikeCsv(file!.filename, file!.contentType))
      return ephemeral(t("chartNotCsv", file!.filename.slice(0, 60)));
    input = {
      kind,
      ...(title ? { title } : {}),
      file: {
        url: file!.url,
        ...(file!.size !== null ? { size: file!.size } : {}),
        ...(file!.contentType ? { content_type: file!.contentType } : {}),
        filename: file!.filename,
      },
    };
  }
  const unavailable = relayUnavailable(config, "/chart", t);
  if (unavailable) return unavailable;
  return defer("render", input);
}

export function component({ id, deferUpdate, t }: ComponentContext<typeof jobs>): HandlerResult {
  const state = buttonState.read(id.args);
  if (!state || !isKind(state.kind) || !isChartKey(state.key)) {
    return ephemeral(t("chartBadButton"));
  }
  return deferUpdate("redraw", { kind: state.kind, key: state.key });
}

/** The key the buttons carry, or null (no buttons) when the data cannot be stored: the chart is still sent. */
async function storeForButtons(task: TaskContext, chart: StoredChart): Promise<string | null> {
  const kv = task.env.CHART_DATA;
  if (!kv) return null;
  const key = newChartKey();
  try {
    // Time-boxed: a hung KV put must not hold a rendered chart until the job's budget runs out.
    await withStorageTimeout(saveChart(kv, key, chart), "chart_data.save");
    return key;
  } catch (error) {
    log("chart.store_failed", { interaction_id: task.interaction.id, level: "error", error: describeError(error) });
    return null;
  }
}

/**
 * The points of typed values, parsed by the parser the backend uses, so the chart cache can be asked before the
 * backend; null for a CSV (only the backend reads the file) or values that do not parse (the backend says why).
 */
function knownPoints(input: RenderInput): readonly Point[] | null {
  if (input.points !== undefined) return input.points;
  if (input.values === undefined) return null;
  try {
    return parseValues(input.values);
  } catch {
    return null;
  }
}

function isKind(value: string | undefined): value is ChartKind {
  return CHART_KINDS.includes(value as ChartKind);
}

function looksLikeCsv(filename: string, contentType: string | null): boolean {
  return /\.(csv|txt|tsv)$/i.test(filename) || (contentType !== null && /^text\/|csv/i.test(contentType));
}
