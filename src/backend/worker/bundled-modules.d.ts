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
