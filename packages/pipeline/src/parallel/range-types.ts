import type { DecodeOptions } from '@l1t/capture';

/**
 * One byte range of a capture to decode on a worker (structured-clone safe: it crosses to a thread).
 *
 * The range owns every record that *starts* in `[start, end)`; a record that starts before `end` is
 * decoded whole even when it runs past `end`. Ranges after the first do not know where their first
 * record starts: with `exactStart` false the worker resynchronises (record-boundaries.ts) and the
 * merge verifies the guess.
 */
export interface RangeTask {
  path: string;
  format: 'pcap' | 'pcapng';
  /** Position of the range in file order (results are merged by it). */
  index: number;
  start: number;
  end: number;
  /** True when `start` is known to be a record boundary (range 0, or a re-run after a bad guess). */
  exactStart: boolean;
  /**
   * File offsets of the container blocks that give the range its context, fed to the reader before
   * the range's bytes: pcap `[0]` (the 24-byte file header); pcapng the SHB and then the IDBs of the
   * section in effect at `start`. Empty for a range that starts at offset 0.
   */
  context: number[];
  /** pcapng: interfaces described in the context (bounds EPB interface ids while resynchronising). */
  interfaceCount: number;
  decode: Partial<DecodeOptions>;
  chunkBytes: number;
}

/** Per-flow partial state of one range (or of the whole file after the merge). */
export interface FlowStats {
  /** eCPRI PC_ID (the 16-bit eAxC id). */
  eaxc: number;
  plane: 'u' | 'c';
  direction: 'dl' | 'ul';
  packets: number;
  bytes: number;
  /** U-plane PRBs with an exponent read (BFP and the other methods that carry udCompParam). */
  prbs: number;
  /** U-plane udCompParam exponents 0..15 (BFP: per-PRB block exponent, CUS Annex A.1.2). */
  exponentHistogram: number[];
  /** 1-based frame numbers of the flow's first and last packet. */
  firstIndex: number;
  lastIndex: number;
  /** ecpriSeqid of the first and last packet. */
  firstSeq: number;
  lastSeq: number;
  /** Subsequence id of the first packet; E bit and subsequence id of the last (fragment continuity). */
  firstSubseq: number;
  lastEBit: number;
  lastSubseq: number;
  /**
   * Packets not in sequence order in this flow: neither the previous seqId + 1 (mod 256) nor the next
   * fragment of the same seqId (the one rule of detect's `seqInOrder`).
   */
  seqDiscontinuities: number;
  /** Order-sensitive digest of the flow's seqIds (see flow-stats.ts `appendSeqDigest`). */
  seqDigest: number;
}

/** Packet counts of a range or a file. */
export interface DecodeCounts {
  packets: number;
  /** Captured bytes of packets (sum of caplen). */
  packetBytes: number;
  /** Container records that are not packets (file header / SHB, IDB, unknown blocks). */
  otherRecords: number;
  ecpri: number;
  uplane: number;
  cplane: number;
  ptp: number;
  other: number;
  /** Packets with at least one ecpri_malformed / oran_malformed finding. */
  malformed: number;
  truncatedFrames: number;
}

export interface RangeFailure {
  /** Absolute file offset of the bad record. */
  byteOffset: number;
  message: string;
  /** The input ended inside the record (a capture cut short), not corrupt. */
  truncated: boolean;
}

/** What a worker hands back for one range. Frame numbers are local to the range (1-based). */
export interface RangeResult {
  index: number;
  /** Offset of the first record decoded, or -1 when no record starts in the range. */
  firstRecord: number;
  /** Where the sequential parse of this range stopped: the first record start ≥ `end`, or EOF. */
  stopOffset: number;
  /** Context in effect at `stopOffset` (block offsets, as {@link RangeTask.context}). */
  endContext: number[];
  counts: DecodeCounts;
  flows: FlowStats[];
  /** Capture time of the range's first and last packet, epoch ns (`-1n` when none). */
  firstTsNs: bigint;
  lastTsNs: bigint;
  bytesRead: number;
  error?: RangeFailure;
}

export function emptyCounts(): DecodeCounts {
  return {
    packets: 0,
    packetBytes: 0,
    otherRecords: 0,
    ecpri: 0,
    uplane: 0,
    cplane: 0,
    ptp: 0,
    other: 0,
    malformed: 0,
    truncatedFrames: 0,
  };
}

export function addCounts(into: DecodeCounts, c: DecodeCounts): void {
  for (const k of Object.keys(into) as (keyof DecodeCounts)[]) into[k] += c[k];
}
