import { EXIT_OK, ReportedExit } from './cli-errors.js';

/** Standard streams as the commands see them (replaceable in tests). */
export interface CliIo {
  stdout: NodeJS.WritableStream & { isTTY?: boolean };
  stderr: NodeJS.WritableStream & { isTTY?: boolean; columns?: number };
  stdin: NodeJS.ReadableStream;
  env: Record<string, string | undefined>;
  /** Stops long-running commands (`--watch`, `serve`) besides SIGINT/SIGTERM; tests use it. */
  signal?: AbortSignal;
}

export const processIo = (): CliIo => ({
  stdout: process.stdout,
  stderr: process.stderr,
  stdin: process.stdin,
  env: process.env,
});

/**
 * The reader of stdout went away (`l1t decode F | head`): nothing more can be shown, so the command stops
 * and exits 0 without a word, as `cat` and tshark do when their pipe closes.
 */
export class StdoutClosed extends ReportedExit {
  override name = 'StdoutClosed';
  constructor() {
    super(EXIT_OK);
  }
}

/** Streams whose write errors are watched (one listener each), and those that failed. */
const watched = new WeakSet<object>();
const closed = new WeakSet<object>();

/** Keeps a closed pipe (EPIPE) from surfacing as an unhandled 'error' event with a stack trace. */
function watch(stream: NodeJS.WritableStream): void {
  if (watched.has(stream)) return;
  watched.add(stream);
  stream.on('error', (err: NodeJS.ErrnoException) => {
    closed.add(stream);
    if (err?.code !== 'EPIPE' && err?.code !== 'ERR_STREAM_DESTROYED') throw err;
  });
}

/** Writes to stdout and resolves once the data is flushed (a pipe reader may be slower than us). */
export function writeOut(io: CliIo, text: string): Promise<void> {
  return writeBytesOut(io, text);
}

/** Text or bytes (a pcapng for a pipe) to stdout, as writeOut. */
export function writeBytesOut(io: CliIo, text: string | Uint8Array): Promise<void> {
  const out = io.stdout;
  watch(out);
  return new Promise((resolve, reject) => {
    const gone = (): boolean => closed.has(out) || (out as { destroyed?: boolean }).destroyed === true;
    if (gone()) return reject(new StdoutClosed());
    if (out.write(text)) return resolve();
    const done = (): void => {
      out.off('drain', done);
      out.off('close', done);
      out.off('error', done);
      if (gone()) reject(new StdoutClosed());
      else resolve();
    };
    out.once('drain', done);
    out.once('close', done);
    out.once('error', done);
  });
}
