// What `npm run interact` does after the command, as a user would in Discord: press a button, pick in a select menu,
// fill and submit a form. Pure parts here (reading the steps from the command line, finding a component on the
// bot's messages, building a form's submission as Discord's client does); scripts/interact.ts sends them.

/** A step, in the order given on the command line. */
export type Step =
  | { kind: "press"; label: string }
  | { kind: "pick"; select: string | null; choices: string[] }
  | { kind: "fill"; field: string; value: string }
  | { kind: "submit" };

export class StepError extends Error {
  override readonly name = "StepError";
}

type Json = Record<string, any>;

/** The flags that are steps, as parseArgs reports them with `tokens: true`, in command-line order. */
export function stepsFrom(tokens: ReadonlyArray<{ kind: string; name?: string; value?: string | undefined }>): Step[] {
  const steps: Step[] = [];
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const value = token.value ?? "";
    switch (token.name) {
      case "press":
        if (!value.trim()) throw new StepError("--press takes a button's label, e.g. --press Bar");
        steps.push({ kind: "press", label: value.trim() });
        break;
      case "pick": {
        const eq = value.indexOf("=");
        const select = eq === -1 ? null : value.slice(0, eq).trim();
        const choices = (eq === -1 ? value : value.slice(eq + 1))
          .split(",")
          .map((c) => c.trim())
          .filter(Boolean);
        if (choices.length === 0)
          throw new StepError(
            '--pick takes the option(s) to choose, e.g. --pick Bar, or --pick "<select>=<option>,<option>"',
          );
        steps.push({ kind: "pick", select, choices });
        break;
      }
      case "fill": {
        const eq = value.indexOf("=");
        if (eq <= 0)
          throw new StepError(`--fill takes <field>=<value> (the field's label or custom_id), got "${value}"`);
        steps.push({ kind: "fill", field: value.slice(0, eq).trim(), value: value.slice(eq + 1) });
        break;
      }
      case "submit":
        steps.push({ kind: "submit" });
        break;
    }
  }
  // Fills are submitted at the next step that is not a fill (or at the end), unless --submit says when.
  const out: Step[] = [];
  for (let i = 0; i < steps.length; i++) {
    const step = steps[i]!;
    out.push(step);
    if (step.kind === "fill" && steps[i + 1]?.kind !== "fill" && steps[i + 1]?.kind !== "submit")
      out.push({ kind: "submit" });
  }
  return out;
}

/** Every interactive component of a message: legacy action rows and Components V2 (sections, containers). */
function interactive(components: readonly Json[]): Json[] {
  const found: Json[] = [];
  for (const c of components) {
    if (c.type === 2 || (c.type >= 3 && c.type <= 8)) found.push(c);
    if (Array.isArray(c.components)) found.push(...interactive(c.components));
    if (c.accessory) found.push(...interactive([c.accessory]));
  }
  return found;
}

const same = (a: unknown, b: string) => typeof a === "string" && a.toLowerCase() === b.toLowerCase();

/** A message the bot showed, with its components, newest first in the lists below. */
export interface Shown {
  id: string;
  components?: Json[];
}

/** The button labelled `label` (or with that custom_id) on the newest message that has one. */
export function findButton(messages: readonly Shown[], label: string): { message: Shown; button: Json } {
  const seen: string[] = [];
  for (const message of messages) {
    const buttons = interactive(message.components ?? []).filter((c) => c.type === 2);
    const button =
      buttons.find((b) => b.label === label || b.custom_id === label) ?? buttons.find((b) => same(b.label, label));
    if (button) {
      if (button.url)
        throw new StepError(
          `the button "${label}" is a link to ${button.url}: Discord opens it in the browser and sends no interaction`,
        );
      if (button.disabled)
        throw new StepError(
          `the button "${label}" is disabled on message ${message.id}: Discord does not let it be pressed`,
        );
      return { message, button };
    }
    seen.push(...buttons.map((b) => `"${b.label ?? b.emoji?.name ?? b.custom_id}"${b.disabled ? " (disabled)" : ""}`));
  }
  throw new StepError(
    `no button "${label}" on the bot's messages${seen.length ? `; the buttons are ${[...new Set(seen)].join(", ")}` : " (they have no buttons)"}`,
  );
}

/** The select menu to pick in (by placeholder or custom_id, or the one offering the choices) and the values to send. */
export function findSelect(
  messages: readonly Shown[],
  select: string | null,
  choices: readonly string[],
): { message: Shown; menu: Json; values: string[] } {
  for (const message of messages) {
    const menus = interactive(message.components ?? []).filter((c) => c.type >= 3 && c.type <= 8);
    const candidates =
      select === null
        ? menus
        : menus.filter((m) => same(m.placeholder, select) || m.custom_id === select || same(m.custom_id, select));
    for (const menu of candidates) {
      if (menu.type !== 3) {
        // User, role, mentionable and channel selects take ids: Discord's client resolves the names.
        if (select !== null) return { message, menu, values: [...choices] };
        continue;
      }
      const options = (menu.options as Json[] | undefined) ?? [];
      const values = choices.map(
        (choice) =>
          (
            options.find((o) => o.label === choice || o.value === choice) ??
            options.find((o) => same(o.label, choice) || same(o.value, choice))
          )?.value as string | undefined,
      );
      if (values.every((v) => v !== undefined)) {
        const min = Number(menu.min_values ?? 1);
        const max = Number(menu.max_values ?? 1);
        if (values.length < min || values.length > max)
          throw new StepError(
            `the select "${menu.placeholder ?? menu.custom_id}" takes ${min === max ? min : `${min} to ${max}`} choice${max === 1 ? "" : "s"}, got ${values.length}`,
          );
        if (menu.disabled)
          throw new StepError(
            `the select "${menu.placeholder ?? menu.custom_id}" is disabled: Discord does not let it be used`,
          );
        return { message, menu, values: values as string[] };
      }
      if (select !== null)
        throw new StepError(
          `the select "${menu.placeholder ?? menu.custom_id}" has no option ${choices
            .filter((_, i) => values[i] === undefined)
            .map((c) => `"${c}"`)
            .join(", ")}; its options are ${options.map((o) => `"${o.label}"`).join(", ")}`,
        );
    }
  }
  throw new StepError(
    select === null
      ? `no select menu on the bot's messages offers ${choices.map((c) => `"${c}"`).join(", ")}`
      : `no select menu "${select}" on the bot's messages`,
  );
}

export { buildSubmission } from "../../src/emulator/modal-submission.ts";
