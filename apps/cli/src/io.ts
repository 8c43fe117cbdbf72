/** Standard streams as the commands see them (replaceable in tests). */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  /** Stops long-running commands (`--watch`, `serve`) besides SIGINT/SIGTERM; tests use it. */
  signal?: AbortSignal;
}

export const processIo = (): CliIo => ({ stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env });

/** Writes to stdout and resolves once the data is flushed (a pipe reader may be slower than us). */
export function writeOut(io: CliIo, text: string): Promise<void> {
  return new Promise((resolve) => {
    if (io.stdout.write(text)) resolve();
    else io.stdout.once('drain', () => resolve());
  });
}
