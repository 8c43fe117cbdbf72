import { describe, expect, it } from 'vitest';
import { parseTimeV, tsharkArgs, TSHARK_FIELDS } from './bench-support.js';

// The benchmark itself is `npm run bench:decode` (never part of `npm test`: no timing here).
describe('bench:decode helpers', () => {
  it('reads CPU time and peak RSS from /usr/bin/time -v', () => {
    const out = [
      '\tCommand being timed: "tshark -r x"',
      '\tUser time (seconds): 1.25',
      '\tSystem time (seconds): 0.50',
      '\tMaximum resident set size (kbytes): 168960',
    ].join('\n');
    expect(parseTimeV(out)).toEqual({ cpuS: 1.75, maxRssBytes: 168960 * 1024 });
    expect(parseTimeV('no time output')).toEqual({});
  });

  it('asks tshark for the interfaces.md fields with the capture’s O-RAN preferences', () => {
    const args = tsharkArgs('/tmp/x.pcap');
    expect(args.slice(0, 5)).toEqual(['-n', '-r', '/tmp/x.pcap', '-T', 'fields']);
    for (const f of TSHARK_FIELDS) expect(args).toContain(f);
    expect(args).toContain('oran_fh_cus.exponent');
    expect(args).toContain('oran_fh_cus.oran.iq_bitwidth_down:9');
    expect(args).toContain('oran_fh_cus.oran.iq_bitwidth_up:9');
    expect(args).toContain('oran_fh_cus.oran.show_iq_samples:FALSE');
  });
});
