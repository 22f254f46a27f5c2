/**
 * The bot's role connection metadata: what a server's admin can require for a Linked Role ("has drawn at least 10
 * charts"). Declared once here; `npm run register` PUTs it to /applications/{id}/role-connections/metadata and the
 * Worker writes each linked user's values with the same keys, so the two cannot drift.
 *
 * Discord's limits are checked by metadata-checks.ts (register and tests); values are written by oauth.ts.
 */

/** Discord's metadata types (Application Role Connection Metadata Type), as values: type-only discord-api-types. @public */
export const RoleConnectionMetadataType = {
  IntegerLessThanOrEqual: 1,
  IntegerGreaterThanOrEqual: 2,
  IntegerEqual: 3,
  IntegerNotEqual: 4,
  DatetimeLessThanOrEqual: 5,
  DatetimeGreaterThanOrEqual: 6,
  BooleanEqual: 7,
  BooleanNotEqual: 8,
} as const;

type MetadataType = (typeof RoleConnectionMetadataType)[keyof typeof RoleConnectionMetadataType];

export interface RoleConnectionMetadataRecord {
  readonly type: MetadataType;
  readonly key: string;
  readonly name: string;
  readonly name_localizations?: Readonly<Record<string, string>>;
  readonly description: string;
  readonly description_localizations?: Readonly<Record<string, string>>;
}

/**
 * What a user's connection carries for the records: a number for integer types, a Date or boolean for the rest. The
 * Worker takes only types from here (oauth.ts): the records' texts are for `npm run register`, not the bundle.
 */
export type RoleConnectionValues<Records extends readonly RoleConnectionMetadataRecord[]> = {
  [R in Records[number] as R["key"]]: R["type"] extends 1 | 2 | 3 | 4
    ? number
    : R["type"] extends 5 | 6
      ? Date
      : boolean;
};

export const roleConnectionMetadata = [
  {
    type: RoleConnectionMetadataType.IntegerGreaterThanOrEqual,
    key: "charts_drawn",
    name: "Charts drawn",
    name_localizations: { de: "Gezeichnete Diagramme", fr: "Graphiques tracés" },
    description: "Charts drawn with /chart at least",
    description_localizations: {
      de: "Mindestens so viele mit /chart gezeichnete Diagramme",
      fr: "Au moins ce nombre de graphiques tracés avec /chart",
    },
  },
] as const satisfies readonly RoleConnectionMetadataRecord[];

/** The platform name Discord shows on the user's profile next to the connection. */
export const ROLE_CONNECTION_PLATFORM = "edge-discord-bot";
