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

// workerd's node:zlib (nodejs_compat), as the backend Worker uses it: this project type-checks the Worker with
// Workers' types only, so the one function it calls is declared here rather than all of @types/node.
declare module "node:zlib" {
  export function deflateSync(data: Uint8Array, options?: { level?: number }): Uint8Array;
}
