import type { FileResult } from '@l1t/pipeline';
import type { CliIo } from '../io.js';

/**
 * Progress on stderr: a redrawn bar on a terminal, one plain line per file otherwise (logs, CI, pipes).
 * stdout is never touched, so `--format jsonl` output stays clean.
 */
export class Progress {
  private readonly tty: boolean;
  private lastDraw = 0;
  private doneFiles = 0;
  private doneBytes = 0;
  private currentBytes = 0;
  private readonly t0 = performance.now();

  constructor(
    private readonly io: CliIo,
    private totalFiles: number,
    private totalBytes: number,
    private readonly quiet = false,
  ) {
    this.tty = Boolean(io.stderr.isTTY) && !quiet;
  }

  addFiles(count: number, bytes: number): void {
    this.totalFiles += count;
    this.totalBytes += bytes;
  }

  bytes(current: number): void {
    this.currentBytes = current;
    if (!this.tty) return;
    const now = performance.now();
    if (now - this.lastDraw < 100) return;
    this.lastDraw = now;
    this.draw();
  }

  fileDone(r: FileResult): void {
    this.doneFiles++;
    this.doneBytes += r.size;
    this.currentBytes = 0;
    if (this.quiet) return;
    if (this.tty) this.clear();
    const what =
      r.status === 'failed'
        ? 'failed (reported above)'
        : `${r.format}, ${r.summary.records} records, ${r.counts.anomalyCount} anomalies${r.warning ? `, warning: ${r.warning}` : ''}`;
    this.io.stderr.write(`[${this.doneFiles}/${this.totalFiles}] ${r.name}: ${what} (${r.durationMs} ms)\n`);
    if (this.tty) this.draw();
  }

  message(line: string): void {
    if (this.quiet) return;
    if (this.tty) this.clear();
    this.io.stderr.write(`${line}\n`);
  }

  end(): void {
    if (this.tty) this.clear();
  }

  private draw(): void {
    const width = 30;
    const done = this.doneBytes + this.currentBytes;
    const ratio = this.totalBytes > 0 ? Math.min(1, done / this.totalBytes) : 0;
    const filled = Math.round(ratio * width);
    const secs = (performance.now() - this.t0) / 1000;
    const rate = secs > 0 ? done / secs / 1e6 : 0;
    const line = `[${'#'.repeat(filled)}${' '.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}%  ${this.doneFiles}/${this.totalFiles} files  ${rate.toFixed(0)} MB/s`;
    this.io.stderr.write(`\r${line}`);
  }

  private clear(): void {
    this.io.stderr.write('\r\x1b[2K');
  }
}
