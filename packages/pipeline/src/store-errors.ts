/**
 * `isConnectionFailure` of @l1t/store, loaded when first asked. The store sink and the job runner only ask
 * after a store call failed, when the stores are open and @l1t/store is loaded already; a static import would
 * make every importer of the pipeline — `l1t analyze --no-store` among them — load the stores' package and
 * their engines' drivers (issue #14: start-up; apps/cli/src/analyze-startup.int.test.ts).
 */
export async function isStoreConnectionFailure(err: unknown): Promise<boolean> {
  const { isConnectionFailure } = await import('@l1t/store');
  return isConnectionFailure(err);
}
