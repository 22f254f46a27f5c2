// The chart job's contract: what the Worker sends to `POST /v1/jobs/chart` and what the backend answers. The backend
// validates the input again at its boundary (src/backend/jobs/chart/input.ts): this type is what a well-behaved
// sender produces, not a promise that every request has this shape.

import type { Point } from "../chart-data/points.ts";
import type { SkippedRow } from "../chart-data/csv.ts";
import { defineJobContract } from "./contract.ts";

export type { SkippedRow } from "../chart-data/csv.ts";

export const CHART_KINDS = ["line", "bar"] as const;
export type ChartKind = (typeof CHART_KINDS)[number];

/** A CSV attachment as Discord describes it; the backend downloads `url` (allowlisted hosts only). */
interface ChartFileRef {
  url: string;
  /** Bytes, as Discord reports it; checked against the 1 MiB limit before downloading. */
  size?: number;
  content_type?: string;
  filename?: string;
}

/** Exactly one data source: typed numbers ("3, 5, 8" or "mon=3, tue=5"), a CSV attachment, or stored points. */
type ChartSourceInput =
  | { values: string; file?: never; points?: never }
  | { file: ChartFileRef; values?: never; points?: never }
  | { points: readonly Point[]; values?: never; file?: never };

/** The job's input. (The backend also accepts a missing `kind`, as "line".) */
export type ChartJobInput = { kind: ChartKind; title?: string } & ChartSourceInput;

/** Summary numbers, so the message can say "min 3, max 12, +40 %" without re-reading the data. */
export interface ChartStats {
  count: number;
  min: number;
  max: number;
  mean: number;
  first: number;
  last: number;
  change: number;
  /** Relative to |first|, in percent; null when first is 0. */
  change_pct: number | null;
}

export interface ChartResult {
  /** The chart as a base64 PNG. */
  readonly png: string;
  readonly width: number;
  readonly height: number;
  readonly kind: ChartKind;
  readonly stats: ChartStats;
  /** The parsed points, so the Worker can store them and re-render without the attachment (its URL expires). */
  readonly points: readonly Point[];
  /** CSV rows that gave no point, in file order, at most MAX_SKIPPED_LISTED (csv.ts) of them; empty for other sources. */
  readonly skipped: readonly SkippedRow[];
  /** How many rows were skipped in all (may exceed `skipped.length`). */
  readonly skippedCount: number;
}

/**
 * What decides a chart's pixels besides its input: the canvas and the renderer's version. The backend draws at this
 * size; the Worker's chart cache (src/worker/app/commands/chart/cache.ts) puts all of it in its key, so a renderer
 * change that alters pixels (theme, fonts, layout, sampling) must bump `version`, and every cached PNG drawn by the
 * old renderer stops being found rather than being served as if it were new.
 */
export const CHART_RENDERING = { version: 3, width: 800, height: 450 } as const;

export const chartJob = defineJobContract<ChartJobInput, ChartResult>()("chart");
