/** Numbers in free text, for `Chart numbers`. */
import { MAX_VALUES_POINTS } from "../../../../shared/chart-data/points.ts";

// Mentions, channels, custom emoji and timestamps (<@123>, <#1>, <:x:9>, <t:170…:R>) hold digits that are not data.
const MARKUP = /<[^<>\s]*\d[^<>\s]*>/g;
const NUMBER = /[-+]?(?:\d+(?:\.\d+)?|\.\d+)(?:e[-+]?\d+)?/gi;

/** The numbers in a text, in order, at most what /chart accepts as values. */
export function numbersIn(text: string): number[] {
  const found: number[] = [];
  for (const match of text.replace(MARKUP, " ").matchAll(NUMBER)) {
    const value = Number(match[0]);
    if (Number.isFinite(value)) found.push(value);
    if (found.length === MAX_VALUES_POINTS) break;
  }
  return found;
}
