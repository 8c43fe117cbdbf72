import type { Anomaly, AnomalyDraft } from '@l1t/contracts';
import { anomalyId } from './ids.js';

/**
 * The aggregator appends ` (N occurrences over D)` to a burst's first description. The count depends on the
 * thresholds and burst gap, not on which finding it is: an id must not change when only that does.
 */
const BURST_SUFFIX = / \(\d+ occurrences over [^()]*\)$/;

/**
 * What makes a finding the finding it is, independent of how many occurrences were merged into it: its type,
 * first packet, flow and radio position, and what the detector said about its first occurrence (the reason of
 * an `oran_malformed`, the section of a `prb_out_of_range`…). Two findings of one packet and flow differ there
 * (`Vikas_python/ecpri.pcap` frame 1: "payloadVersion is not 1" and "section overruns the message").
 */
export function findingIdentity(a: AnomalyDraft): unknown[] {
  const first = (a.evidence as { first?: unknown } | undefined)?.first;
  const code = (first ?? a.evidence) as { code?: unknown; reason?: unknown } | undefined;
  return [
    a.type,
    a.packet_index,
    a.flow ?? null,
    a.radio ?? null,
    a.description.replace(BURST_SUFFIX, ''),
    code?.code ?? code?.reason ?? null,
  ];
}

/** Ids remembered per file to catch a repeated identity (bounded: the oldest are forgotten first). */
const REMEMBERED_IDS = 65_536;

/**
 * Assigns the ids of one file's findings. An id follows from the file and the finding's identity, so
 * re-analysing a file yields the same ids (a stored status or recommendation stays attached). Should two
 * distinct findings still share an identity, the later one gets an ordinal: the detection is deterministic,
 * so the ordinal is stable across re-analysis too, and no finding ever overwrites another in the store.
 * Memory is bounded by {@link REMEMBERED_IDS}; findings sharing an identity share their first packet and
 * close close together, far inside that window.
 */
export class AnomalyIdentity {
  private readonly seen = new Map<string, number>();

  constructor(
    readonly fileId: string,
    private readonly keys: { file: string; session_id?: string },
  ) {}

  /** The stored anomaly of a draft: its id and the file and session keys. */
  complete(a: AnomalyDraft): Anomaly {
    const parts = findingIdentity(a);
    let id = anomalyId(this.fileId, parts);
    const repeats = this.seen.get(id);
    if (repeats !== undefined) {
      this.seen.set(id, repeats + 1);
      id = anomalyId(this.fileId, [...parts, repeats + 1]);
    } else {
      this.seen.set(id, 0);
      if (this.seen.size > REMEMBERED_IDS) this.seen.delete(this.seen.keys().next().value!);
    }
    return {
      ...a,
      id,
      file: this.keys.file,
      file_id: this.fileId,
      ...(this.keys.session_id ? { session_id: this.keys.session_id } : {}),
    };
  }
}
