import { DECODE_CONTRACT_FIELDS } from '@l1t/capture';
/** Helpers of the benches (kept apart so they can be tested without running a bench). */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, writeSync } from 'node:fs';

/** GNU time, for a child's CPU time and peak RSS. */
const TIME_V = '/usr/bin/time';

export interface ProcessRun {
  wallS: number;
  stdout: string;
  /** User + system CPU seconds of the child (from /usr/bin/time -v). */
  cpuS?: number;
  /** Peak resident set of the child in bytes (from /usr/bin/time -v). */
  maxRssBytes?: number;
}

/** Reads the CPU times and the maximum resident set size from `/usr/bin/time -v` output. */
export function parseTimeV(stderr: string): Pick<ProcessRun, 'cpuS' | 'maxRssBytes'> {
  const num = (re: RegExp): number | undefined => {
    const m = re.exec(stderr);
    return m ? Number(m[1]) : undefined;
  };
  const user = num(/User time \(seconds\): ([\d.]+)/);
  const sys = num(/System time \(seconds\): ([\d.]+)/);
  const rssKb = num(/Maximum resident set size \(kbytes\): (\d+)/);
  return {
    ...(user !== undefined && sys !== undefined ? { cpuS: user + sys } : {}),
    ...(rssKb !== undefined ? { maxRssBytes: rssKb * 1024 } : {}),
  };
}

/** The fields of reference/interfaces.md that our decode fills (eCPRI, O-RAN, PTP), as tshark is asked for them. */
export const TSHARK_FIELDS = DECODE_CONTRACT_FIELDS;

/**
 * Preferences matching the capture (BFP 9-bit both ways, static udCompHdr, 273 PRB, eAxC 2/6/4/4).
 * IQ samples are not shown: our run reads the exponents, not the samples, so tshark is spared them too.
 */
export const TSHARK_PREFS = [
  'oran_fh_cus.oran.du_port_id_bits:2',
  'oran_fh_cus.oran.bandsector_id_bits:6',
  'oran_fh_cus.oran.cc_id_bits:4',
  'oran_fh_cus.oran.ru_port_id_bits:4',
  'oran_fh_cus.oran.iq_bitwidth_up:9',
  'oran_fh_cus.oran.iq_bitwidth_down:9',
  'oran_fh_cus.oran.ud_comp_up:Block Floating Point Compression',
  'oran_fh_cus.oran.ud_comp_down:Block Floating Point Compression',
  'oran_fh_cus.oran.ud_comp_hdr_up:FALSE',
  'oran_fh_cus.oran.ud_comp_hdr_down:FALSE',
  'oran_fh_cus.oran.rbs_in_uplane_section:273',
  'oran_fh_cus.oran.show_iq_samples:FALSE',
];

export function tsharkArgs(path: string): string[] {
  const args = ['-n', '-r', path, '-T', 'fields'];
  for (const f of TSHARK_FIELDS) args.push('-e', f);
  for (const p of TSHARK_PREFS) args.push('-o', p);
  return args;
}

/** Runs a command (under /usr/bin/time -v when available); stdout to a string or /dev/null. */
export function runMeasured(
  cmd: string,
  args: string[],
  keepStdout: boolean,
  env?: NodeJS.ProcessEnv,
): Promise<ProcessRun> {
  const timed = existsSync(TIME_V);
  return new Promise((resolveRun, reject) => {
    const t0 = performance.now();
    const child = spawn(timed ? TIME_V : cmd, timed ? ['-v', cmd, ...args] : args, {
      ...(env ? { env } : {}),
      stdio: ['ignore', keepStdout ? 'pipe' : 'ignore', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout?.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallS = (performance.now() - t0) / 1000;
      if (code !== 0) return reject(new Error(`${cmd} exited ${code}: ${stderr.slice(-2000)}`));
      resolveRun({ wallS, stdout, ...parseTimeV(stderr) });
    });
  });
}

/**
 * Writes the chunks of a capture generator to `path` until `maxBytes` (a chunk ends on a record, so the file is
 * whole); the benches' one way to write a generated capture. Returns the bytes written.
 */
export function writeCapture(path: string, chunks: { next(): Uint8Array | undefined }, maxBytes: number): number {
  const fd = openSync(path, 'w');
  let bytes = 0;
  try {
    for (let c = chunks.next(); c !== undefined && bytes < maxBytes; c = chunks.next()) {
      writeSync(fd, c);
      bytes += c.length;
    }
  } finally {
    closeSync(fd);
  }
  return bytes;
}

/** The benches' one median: the middle value, or the mean of the two middle ones of an even count. */
export function median(xs: readonly number[]): number {
  const v = [...xs].sort((a, b) => a - b);
  const m = v.length >> 1;
  return v.length % 2 ? v[m]! : (v[m - 1]! + v[m]!) / 2;
}
