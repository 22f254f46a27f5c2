/**
 * Results → markdown: the table printed after a run and the "Ingress throughput (bare workerd)" section of
 * BENCHMARKS.md, which is replaced in place so the sections other benchmarks own are left untouched.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { median } from "./load.ts";

export const SECTION_TITLE = "## Ingress throughput (bare workerd)";

/** One measured configuration: its runs across rounds, and its paired ratio against the floor. */
export interface Row {
  readonly concurrency: number;
  readonly target: string;
  readonly scenario: string;
  readonly rps: readonly number[];
  readonly p50: readonly number[];
  readonly p99: readonly number[];
  /** workerd CPU µs per request, per round. */
  readonly cpuUs: readonly number[];
  /** Other processes' CPU (cores) during the kept runs. */
  readonly foreign: readonly number[];
  /** Runs repeated because the machine was busy with other work. */
  readonly repeated: number;
  readonly unexpected: number;
  readonly errors: number;
  /** ours ÷ floor per round (same round, same concurrency); empty for the floor's own rows. */
  readonly ratios: readonly number[];
  readonly baseline: string | null;
}

const fmtInt = (n: number): string => (Number.isFinite(n) ? Math.round(n).toLocaleString("en-US") : "—");
const fmtMs = (n: number): string => (Number.isFinite(n) ? n.toFixed(2) : "—");
const fmtRatio = (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "—");

export function resultsTable(rows: readonly Row[]): string {
  const lines = [
    "| c | Worker | scenario | req/s (median) | req/s range | p50 ms | p99 ms | vs floor (median, range) | workerd CPU µs/req | unexpected status / errors |",
    "|---:|---|---|---:|---:|---:|---:|---|---:|---:|",
  ];
  for (const row of rows) {
    const ratio = row.ratios.length
      ? `**${fmtRatio(median(row.ratios))}** (${fmtRatio(Math.min(...row.ratios))}–${fmtRatio(Math.max(...row.ratios))}) vs ${row.baseline}`
      : "baseline";
    lines.push(
      `| ${row.concurrency} | ${row.target} | ${row.scenario} | ${fmtInt(median(row.rps))} | ${fmtInt(Math.min(...row.rps))}–${fmtInt(Math.max(...row.rps))} | ` +
        `${fmtMs(median(row.p50))} | ${fmtMs(median(row.p99))} | ${ratio} | ${fmtInt(median(row.cpuUs))} | ${row.unexpected} / ${row.errors} |`,
    );
  }
  return lines.join("\n");
}

export interface Check {
  readonly what: string;
  readonly value: string;
  readonly target: string;
  readonly ok: boolean;
}

export function checksTable(checks: readonly Check[]): string {
  return [
    "| target | measured | required | |",
    "|---|---:|---:|---|",
    ...checks.map((c) => `| ${c.what} | ${c.value} | ${c.target} | ${c.ok ? "✅ met" : "❌ missed"} |`),
  ].join("\n");
}

/** Replaces (or appends) one section; everything before and after it is kept byte for byte. */
export function writeSection(file: string, body: string, title: string = SECTION_TITLE): void {
  const section = `${title}\n\n${body.trim()}\n`;
  if (!existsSync(file)) {
    writeFileSync(file, `# Benchmarks\n\nEach section is owned and refreshed by its benchmark script.\n\n${section}`);
    return;
  }
  const text = readFileSync(file, "utf8");
  const start = text.indexOf(`${title}\n`);
  if (start < 0) {
    writeFileSync(file, `${text.trimEnd()}\n\n${section}`);
    return;
  }
  const after = text.slice(start + title.length);
  const next = after.search(/^## /m);
  const rest = next < 0 ? "" : `\n${after.slice(next)}`;
  writeFileSync(file, `${text.slice(0, start)}${section}${rest}`);
}
