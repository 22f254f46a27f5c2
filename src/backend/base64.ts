// Base64 without Node's Buffer, so the chart job's result is encoded the same way on Node and in workerd.
// Chunked because String.fromCharCode takes its bytes as arguments, and engines cap the argument count.
const CHUNK = 0x8000;

export function bytesToBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}
