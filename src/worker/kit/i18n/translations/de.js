// German for the platform's own sentences (../messages.ts: English, the reference, and why each language is a module
// of its own). Checked against English by TypeScript (tsconfig.json: checkJs): exactly its keys, each with its
// parameters. Runs as it is written: no imports, nothing but the sentences.
/** @type {import("../messages.ts").PlatformTranslation} */
export default {
  unknownInteraction: "Diese Art von Interaktion unterstützt die App noch nicht; es ist nichts passiert.",
  unknownCommand: (name) =>
    `Ich kenne ${name ? `\`/${name}\`` : "diesen Befehl"} nicht (umbenannt oder entfernt?). \`/help\` zeigt, was ich kann.`,
  staleCommand: (route) =>
    `\`${route}\` hat sich geändert; bitte in einer Minute erneut versuchen (oder Discord neu laden).`,
  unknownForm: "Dieses Formular gibt es nicht mehr; nichts wurde gespeichert. `/help` zeigt, was ich kann.",
  unknownComponent: "Diesen Button oder dieses Menü gibt es nicht mehr. Führe den Befehl erneut aus.",
  failed: (command, ref) =>
    `Bei ${command ? `\`${command}\`` : "dieser Aktion"} ist ein Fehler aufgetreten (Referenz \`${ref}\`). Bitte erneut versuchen.`,
  stillTrying: (minutes) =>
    `⏳ Der Dienst antwortet nicht; ich versuche es weiter. Die Antwort kommt hier in spätestens ${minutes} Min.`,
  jobNotSetUp: "Dieser Befehl ist hier noch nicht eingerichtet. Der Betreiber ist informiert.",
  jobChanged: "Dieser Befehl hat sich geändert, seit du ihn ausgeführt hast. Bitte erneut ausführen.",
  jobTimedOut: "Das dauerte zu lange; ich habe abgebrochen. Bitte erneut versuchen, evtl. mit weniger Daten.",
  jobFailed: "Dabei ist etwas schiefgegangen.",
  withRef: (text, ref) => `⚠️ ${text} (Referenz \`${ref}\`)`,
  resultRefused: (ref) =>
    `Dein Ergebnis war fertig, aber Discord hat es abgelehnt (Referenz \`${ref}\`). Bitte erneut versuchen.`,
  lateAnswer: "⚠️ Das dauerte zu lange. Bitte erneut versuchen.",
  relayTooLarge: "Das Backend lieferte mehr, als ich zustellen kann. Bitte mit weniger Daten erneut versuchen.",
  relayTimeout: "Das Backend brauchte zu lange. Bitte mit weniger Daten oder in einer Minute erneut versuchen.",
  relayUnreachable: "Das Backend ist gerade nicht erreichbar. Bitte in einer Minute erneut versuchen.",
  relayBadResponse: "Die Antwort des Backends war unlesbar. Bitte erneut versuchen; sonst den Betreiber informieren.",
  relayInput: (detail) => `Deine Eingabe war nicht verwendbar: ${detail}`,
  relayBusy: (seconds) =>
    `Das Backend ist ausgelastet. Bitte ${seconds ? `in etwa ${seconds} s` : "gleich"} erneut versuchen.`,
  relayAuth: "Der Bot konnte sich nicht beim Backend anmelden. Der Betreiber ist informiert.",
  relayNotFound: "Das Backend kennt diesen Befehl noch nicht. Bitte den Betreiber informieren.",
  relayFailed: "Das Backend ist dabei gescheitert. Bitte erneut versuchen; sonst den Betreiber informieren.",
};
