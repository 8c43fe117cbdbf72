import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { analyzeFile } from '../analyze-file.js';
import { fileInput } from '../sources.js';

const SAMPLE = fileURLToPath(new URL('../../../../docs/samples/ue-events.txt', import.meta.url));

describe('UE event log through the pipeline', () => {
  it('the sample in the repo is sniffed as text, analysed as ue_events, every line accounted for and its findings pinned', async () => {
    const r = await analyzeFile(fileInput(SAMPLE, 'ue-events.txt'));
    expect(r.status).toBe('done');
    expect(r.format).toBe('text');
    expect(r.summary).toMatchObject({ records: 17, unknownRecords: 1, malformedRecords: 0 });
    expect(r.summary.details).toMatchObject({
      text_log_kind: 'ue_events',
      ue_events: 15,
      blank_or_comment_lines: 1,
      unrecognised_lines: 1,
      unrecognised_examples: ['line 17 (no_procedure): 2026-12-06T09:00:13.000Z INFO  core: AMF restart completed'],
    });
    expect(r.warning).toMatch(/1 line\(s\) not recognised as UE events/);
    expect(r.summary.details.ues).toHaveLength(8); // min_ues: compared, none stands out
    // line by line: 6 reject (imsi:2), 8 authentication failure (ue:17), 9 timeout (ue:18), 11 network-forced
    // detach (imsi:3), 12 abnormal detach (imsi:4)
    expect(r.anomalies.map((a) => `${a.packet_index} ${a.type} ${String(a.evidence.ue)}`)).toEqual([
      '6 attach_failure imsi:001010000000002',
      '8 attach_failure ue:17',
      '9 attach_failure ue:18',
      '11 abnormal_detach imsi:001010000000003',
      '12 abnormal_detach imsi:001010000000004',
    ]);
    expect(r.anomalies.every((a) => a.source === 'ue' && a.file === 'ue-events.txt')).toBe(true);
    expect(r.anomalies[2]!.timestamp).toBe('2026-12-06T09:00:05.000000000Z'); // +01:00 in the log
  });
});
