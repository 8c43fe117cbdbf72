import type { Severity } from '@l1t/contracts';
import type { Occurrence } from '../framework/detector.js';
import { cellKey, ueRadioKey, type UeCellRef } from './ue-link-samples.js';

/** Where a UE occurrence starts (and ends, when it spans records). */
export interface UeSpan {
  tsNs: bigint;
  recordIndex: number;
  cell?: UeCellRef | undefined;
  rnti?: number | undefined;
  endTsNs?: bigint | undefined;
  endRecordIndex?: number | undefined;
  records: number;
}

/**
 * An occurrence of a UE link fault for the shared {@link Aggregator}: the "flow" of a UE finding is its
 * serving cell, so occurrences of one type on one cell less than the burst gap apart are one anomaly
 * (anomalies.md: a burst of the same fault is one anomaly with a count and a time span).
 */
export function ueOccurrence(
  type: string,
  severity: Severity,
  confidence: number,
  at: UeSpan,
  description: string,
  evidence: Record<string, unknown>,
  extra: Pick<Occurrence, 'totals' | 'burstGapNs'> = {},
): Occurrence {
  const radio = ueRadioKey(at.cell, at.rnti);
  return {
    type,
    source: 'ue',
    severity,
    confidence,
    tsNs: at.tsNs,
    packetIndex: at.recordIndex,
    packetCount: at.records,
    ...(radio ? { radio } : {}),
    aggregationKey: `${type}|${cellKey(at.cell)}`,
    description,
    evidence,
    ...(at.endTsNs !== undefined && at.endTsNs > at.tsNs ? { endTsNs: at.endTsNs } : {}),
    ...(at.endRecordIndex !== undefined && at.endRecordIndex > at.recordIndex
      ? { endPacketIndex: at.endRecordIndex }
      : {}),
    ...extra,
  };
}

/** Per-cell state with a bound: beyond `max` cells the least recently seen one is handed to `evict`. */
export class CellStates<S> {
  private readonly map = new Map<string, S>();

  constructor(
    private readonly create: () => S,
    private readonly evict: (s: S) => void,
    private readonly max = 256,
  ) {}

  /** The last cell asked for (most samples are of the cell before them): no key to build for them. */
  private lastCell: UeCellRef | undefined | null = null;
  private lastState: S | undefined;

  get(cell: UeCellRef | undefined): S {
    const l = this.lastCell;
    if (
      this.lastState !== undefined &&
      l !== null &&
      (l === cell ||
        (l !== undefined &&
          cell !== undefined &&
          l.pci === cell.pci &&
          l.rat === cell.rat &&
          l.earfcn === cell.earfcn &&
          l.arfcn === cell.arfcn))
    )
      return this.lastState;
    const s = this.lookup(cell);
    this.lastCell = cell;
    this.lastState = s;
    return s;
  }

  private lookup(cell: UeCellRef | undefined): S {
    const key = cellKey(cell);
    let s = this.map.get(key);
    if (s !== undefined) {
      this.map.delete(key); // re-insert: the map's order is least recently seen first
      this.map.set(key, s);
      return s;
    }
    if (this.map.size >= this.max) {
      const [oldKey, old] = this.map.entries().next().value as [string, S];
      this.map.delete(oldKey);
      if (old === this.lastState) this.lastCell = null;
      this.evict(old);
    }
    s = this.create();
    this.map.set(key, s);
    return s;
  }

  values(): IterableIterator<S> {
    return this.map.values();
  }
}
