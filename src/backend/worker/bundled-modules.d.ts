// Modules that wrangler bundles from non-JavaScript files (wrangler.backend.toml): a .wasm import is a compiled
// WebAssembly.Module (workerd may not compile bytes at run time), a .ttf import the file's bytes (a Data rule).
declare module "*.wasm" {
  const compiled: WebAssembly.Module;
  export default compiled;
}

declare module "*.ttf" {
  const bytes: ArrayBuffer;
  export default bytes;
}

// workerd's node:zlib (nodejs_compat, on by default for the backend Worker's compatibility date); only what
// rasterise-wasm.ts uses, since this project type-checks Worker code without Node's types.
declare module "node:zlib" {
  export function deflateSync(data: Uint8Array, options?: { level?: number }): Uint8Array;
}
