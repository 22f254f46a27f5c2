/**
 * Discord's limits on role connection metadata (discord.com/developers/docs/resources/application-role-connection-metadata):
 * at most 5 records; a key of 1-50 characters in a-z, 0-9 and _, unique; a name of 1-100 and a description of 1-200
 * characters (localizations too); a type from 1 to 8. Run by `npm run register` and the tests, not the Worker: the
 * records can only break them through a code change.
 */
import type { RoleConnectionMetadataRecord } from "./metadata.ts";

const MAX_RECORDS = 5;
const KEY = /^[a-z0-9_]{1,50}$/;

/** Every way `records` breaks Discord's limits, one sentence each naming the record; empty when Discord accepts them. */
export function roleConnectionMetadataProblems(records: readonly RoleConnectionMetadataRecord[]): string[] {
  const problems: string[] = [];
  if (records.length > MAX_RECORDS) problems.push(`${records.length} records; Discord accepts at most ${MAX_RECORDS}`);
  const seen = new Set<string>();
  records.forEach((record, i) => {
    const where = `record ${i + 1} (${JSON.stringify(record.key)})`;
    if (!KEY.test(record.key)) problems.push(`${where}: the key must be 1-50 characters of a-z, 0-9 and _`);
    if (seen.has(record.key)) problems.push(`${where}: the key is used twice`);
    seen.add(record.key);
    if (!Number.isInteger(record.type) || record.type < 1 || record.type > 8)
      problems.push(`${where}: type must be 1-8, got ${String(record.type)}`);
    const texts: Array<[string, string | undefined, number]> = [
      ["name", record.name, 100],
      ["description", record.description, 200],
    ];
    for (const [locale, text] of Object.entries(record.name_localizations ?? {}))
      texts.push([`name_localizations.${locale}`, text, 100]);
    for (const [locale, text] of Object.entries(record.description_localizations ?? {}))
      texts.push([`description_localizations.${locale}`, text, 200]);
    for (const [field, text, max] of texts) {
      if (typeof text !== "string" || text.length < 1 || text.length > max)
        problems.push(`${where}: ${field} must be 1-${max} characters`);
    }
  });
  return problems;
}
