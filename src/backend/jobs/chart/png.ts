// A PNG encoder for the chart canvas, used by both rasterisers: no row filter, one IDAT chunk, and a deflate the
// runtime supplies. resvg's own encoder (asPng) picks filters per row and compresses harder: ≈ 3.5 ms for an
// 800×450 chart with the native addon and ≈ 10 ms in WebAssembly. Here Node deflates with zlib at level 1 (≈ 1.3 ms
// for a file of about the same size: a chart is mostly runs of one colour, which even the fastest level compresses
// well), and so does the backend Worker with workerd's native node:zlib. Hand-written because it is three chunks
// around one deflate call: a library would add more than it saves. Portable (no Node modules): workerd runs it.

const SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const BIT_DEPTH = 8;
const COLOUR_RGBA = 6;

export interface EncodeOptions {
  /** zlib-wrapped deflate (RFC 1950) of the bytes, as PNG's IDAT holds. */
  deflate: (raw: Uint8Array) => Uint8Array | Promise<Uint8Array | ArrayBuffer>;
  /** The caller knows every alpha is 255 (an opaque background): skips looking for translucent pixels (≈ 0.5 ms). */
  opaque?: boolean;
}

/** A background of #rgb or #rrggbb is opaque, and so is every pixel resvg composites onto it. */
export function isOpaqueColour(colour: string): boolean {
  return /^#(?:[0-9a-f]{3}|[0-9a-f]{6})$/i.test(colour);
}

/**
 * `pixels` is width × height RGBA, row by row, premultiplied as resvg gives them. A chart is painted on an opaque
 * background, so every alpha is 255 and premultiplied equals the straight colour PNG stores; a translucent pixel
 * (a translucent background) is converted.
 */
export async function encodePng(
  pixels: Uint8Array,
  width: number,
  height: number,
  options: EncodeOptions,
): Promise<Uint8Array> {
  const stride = width * 4;
  if (pixels.byteLength !== stride * height)
    throw new Error(`backend(png): ${pixels.byteLength} bytes is not ${width}×${height} RGBA`);
  const raw = new Uint8Array((stride + 1) * height); // each row: filter type 0 (None), then its pixels
  for (let y = 0; y < height; y++) raw.set(pixels.subarray(y * stride, (y + 1) * stride), y * (stride + 1) + 1);
  if (!options.opaque) unpremultiplyTranslucent(pixels, raw, stride);
  const header = new Uint8Array(13);
  const view = new DataView(header.buffer);
  view.setUint32(0, width);
  view.setUint32(4, height);
  header[8] = BIT_DEPTH;
  header[9] = COLOUR_RGBA; // compression, filter method and interlace stay 0
  const data = await options.deflate(raw);
  const chunks = [
    chunk("IHDR", header),
    chunk("IDAT", data instanceof Uint8Array ? data : new Uint8Array(data)),
    chunk("IEND", new Uint8Array(0)),
  ];
  const png = new Uint8Array(SIGNATURE.length + chunks.reduce((sum, part) => sum + part.byteLength, 0));
  png.set(SIGNATURE);
  let offset = SIGNATURE.length;
  for (const part of chunks) {
    png.set(part, offset);
    offset += part.byteLength;
  }
  return png;
}

/** Straight colour for each translucent pixel, written over its copy in `raw` (rows of stride + 1 bytes). */
function unpremultiplyTranslucent(pixels: Uint8Array, raw: Uint8Array, stride: number): void {
  for (let i = 3; i < pixels.byteLength; i += 4) {
    const alpha = pixels[i]!;
    if (alpha === 255) continue;
    const at = Math.floor(i / stride) * (stride + 1) + 1 + (i % stride) - 3;
    for (let c = 0; c < 3; c++)
      raw[at + c] = alpha === 0 ? 0 : Math.min(255, Math.round((pixels[i - 3 + c]! * 255) / alpha));
  }
}

function chunk(type: string, data: Uint8Array): Uint8Array {
  const out = new Uint8Array(12 + data.byteLength);
  const view = new DataView(out.buffer);
  view.setUint32(0, data.byteLength);
  for (let i = 0; i < 4; i++) out[4 + i] = type.charCodeAt(i);
  out.set(data, 8);
  view.setUint32(8 + data.byteLength, crc32(out.subarray(4, 8 + data.byteLength)));
  return out;
}

// CRC-32 (ISO 3309, as PNG specifies), table-driven: ≈ 0.06 ms for a chart's ≈ 45 KB of chunks.
const CRC_TABLE = new Uint32Array(256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  CRC_TABLE[n] = c >>> 0;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = CRC_TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
