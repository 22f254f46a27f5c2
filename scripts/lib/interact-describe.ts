// How `npm run interact` prints what the bot sent: a message (text, embeds, components in both layouts, polls) or a
// form, one readable line per part.

const indent = (lines: string[], by = "  ") => lines.map((l) => by + l);

type Json = Record<string, any>;

const SELECT_KINDS: Record<number, string> = {
  3: "select",
  5: "user select",
  6: "role select",
  7: "mentionable select",
  8: "channel select",
};

function describeRow(row: Json): string {
  const parts = ((row.components as Json[] | undefined) ?? []).map((c) => {
    if (c.type === 2)
      return `[${c.label ?? c.emoji?.name ?? "?"}${c.disabled ? ", disabled" : ""}]${c.url ? ` → ${c.url}` : ` (${c.custom_id})`}`;
    const choices = (c.options as Json[] | undefined)?.map((o) => o.label).join(", ");
    return `[${c.type === 3 ? "select" : (SELECT_KINDS[c.type] ?? "select")}${c.placeholder ? ` ${c.placeholder}` : ""}${choices ? `: ${choices}` : ""}] (${c.custom_id})`;
  });
  return `components: ${parts.join(" ")}`;
}

const spoilerTag = (c: Json) => (c.spoiler ? " (spoiler)" : "");

/** Legacy rows and Components V2, one line per part; a container's parts are drawn inside a box. */
function describeComponents(components: Json[]): string[] {
  const lines: string[] = [];
  for (const c of components) {
    switch (c.type) {
      case 1:
        lines.push(describeRow(c));
        break;
      case 9: {
        lines.push(...describeComponents((c.components as Json[] | undefined) ?? []));
        const accessory = c.accessory ?? {};
        lines.push(
          `  ↳ ${accessory.type === 11 ? `thumbnail ${accessory.media?.url}${spoilerTag(accessory)}` : describeRow({ components: [accessory] }).replace("components: ", "")}`,
        );
        break;
      }
      case 10:
        lines.push(...String(c.content ?? "").split("\n"));
        break;
      case 11:
        lines.push(`thumbnail ${c.media?.url}${spoilerTag(c)}`);
        break;
      case 12:
        lines.push(
          `gallery: ${((c.items as Json[] | undefined) ?? []).map((i) => `${i.media?.url}${spoilerTag(i)}`).join(", ")}`,
        );
        break;
      case 13:
        lines.push(`file ${String(c.file?.url ?? "").replace("attachment://", "")}${spoilerTag(c)}`);
        break;
      case 14:
        lines.push(c.divider === false ? "" : "─".repeat(c.spacing === 2 ? 40 : 24));
        break;
      case 17: {
        const accent = typeof c.accent_color === "number" ? ` #${c.accent_color.toString(16).padStart(6, "0")}` : "";
        lines.push(
          `┌─ container${accent}${spoilerTag(c)}`,
          ...describeComponents((c.components as Json[] | undefined) ?? []).map((l) => `│ ${l}`),
          "└─",
        );
        break;
      }
      default:
        lines.push(`(component type ${c.type})`);
    }
  }
  return lines;
}

function describePoll(poll: Json): string[] {
  const answers = ((poll.answers as Json[] | undefined) ?? []).map(
    (a) => `( ) ${a.poll_media?.emoji?.name ? `${a.poll_media.emoji.name} ` : ""}${a.poll_media?.text ?? ""}`,
  );
  const how = poll.allow_multiselect ? "one or more answers" : "one answer";
  const hours =
    typeof poll.duration === "number"
      ? poll.duration
      : poll.expiry
        ? Math.round((Date.parse(String(poll.expiry)) - Date.now()) / 3_600_000)
        : 24;
  return [`poll "${poll.question?.text ?? ""}" (${how}, open ${hours} h)`, ...indent(answers)];
}

export function describeMessage(message: Json): string[] {
  const lines: string[] = [];
  if (message.content) lines.push(...String(message.content).split("\n"));
  for (const embed of (message.embeds as Json[] | undefined) ?? []) {
    const color = typeof embed.color === "number" ? ` (#${embed.color.toString(16).padStart(6, "0")})` : "";
    lines.push(`embed${embed.title ? ` "${embed.title}"` : ""}${color}`);
    if (embed.description) lines.push(...indent(String(embed.description).split("\n")));
    const fields = (embed.fields as Json[] | undefined) ?? [];
    if (fields.length) lines.push(...indent([fields.map((f) => `${f.name}: ${f.value}`).join(" · ")]));
    if (embed.image?.url) lines.push(...indent([`image: ${embed.image.url}`]));
    if (embed.footer?.text) lines.push(...indent([`footer: ${embed.footer.text}`]));
  }
  lines.push(...describeComponents((message.components as Json[] | undefined) ?? []));
  if ((Number(message.flags ?? 0) & (1 << 15)) !== 0) lines.push("(Components V2 layout)");
  if (message.poll) lines.push(...describePoll(message.poll as Json));
  if ((Number(message.flags ?? 0) & 64) !== 0) lines.push("(ephemeral: only the user sees it)");
  return lines.length ? lines : ["(empty)"];
}

const INPUT_KINDS: Record<number, string> = {
  ...SELECT_KINDS,
  19: "file upload",
  21: "radio",
  22: "checkboxes",
  23: "checkbox",
};

export function describeModal(data: Json, hint = true): string[] {
  const lines = [`form "${data.title}" (${data.custom_id})`];
  for (const c of (data.components as Json[] | undefined) ?? []) {
    if (c.type === 10) {
      lines.push(
        ...String(c.content ?? "")
          .split("\n")
          .map((l) => `  ${l}`),
      );
      continue;
    }
    const input = c.type === 18 ? c.component : c.type === 1 ? c.components?.[0] : c;
    const label = c.type === 18 ? c.label : input?.label;
    const kind = INPUT_KINDS[input?.type];
    const choices = (input?.options as Json[] | undefined)?.map((o) => o.label).join(", ");
    lines.push(
      `  ${label ?? "(text)"}${input?.custom_id ? ` [${input.custom_id}]` : ""}${kind ? ` ${kind}${choices ? `: ${choices}` : ""}` : ""}${input?.required === false ? " (optional)" : ""}`,
    );
  }
  if (hint)
    lines.push(
      'Fill it with --fill "<field>=<value>" (now, or in a next `npm run interact -- --fill …`), or in the playground.',
    );
  return lines;
}
