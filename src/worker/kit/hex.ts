// Hex text to bytes: keys and signatures arrive as hex. A lookup by char code, no parseInt or substring per byte.

/** Decodes hex that already matched a hex pattern. */
export function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) {
    out[i] = (nibble(hex.charCodeAt(2 * i)) << 4) | nibble(hex.charCodeAt(2 * i + 1));
  }
  return out;
}

function nibble(code: number): number {
  if (code <= 57) return code - 48; // 0-9
  if (code <= 70) return code - 55; // A-F
  return code - 87; // a-f
}
