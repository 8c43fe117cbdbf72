/**
 * The slice of the WebAssembly JS API the kernels of this package use (oran/iq-simd.ts, diag/hdlc-wasm.ts):
 * the capture core compiles without DOM or Node types, so `WebAssembly` is typed here and read from
 * `globalThis`, where it may be missing (the kernels then fall back to their scalar paths).
 */
export interface WasmMemory {
  readonly buffer: ArrayBuffer;
  grow(pages: number): number;
}

export interface WasmApi {
  validate(bytes: Uint8Array): boolean;
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { readonly exports: Record<string, unknown> };
}
