import type { DetectContext, Detector, DetectorDefinition } from '../framework/detector.js';
import type { FlowRef } from '../framework/flow.js';
import { FlowStates } from '../framework/flow-table.js';
import type { SlotStats } from '../framework/slot-stats.js';
import { isoNs } from '../time-format.js';

/**
 * IQ health metrics per U-plane flow (eAxC × direction): mean PRB power of the PRBs that carry energy
 * (dBFS), zero-PRB ratio and clipped-PRB ratio (BFP only, O-RAN WG4 CUS Annex A.1).
 *
 * Computed per slot, emitted per {@link IQ_METRIC_WINDOW_NS} (10 ms, one radio frame) of capture time
 * per flow: one sample per flow per slot would be 2000 samples per second per flow at 30 kHz SCS —
 * millions of rows for a long capture — while a radio frame is the period an RF engineer reads these
 * KPIs at. Each sample aggregates every slot that started in the window (PRB-weighted ratios, linear
 * power mean). Labels: `eaxc`, `direction`, `du_port`, `band_sector`, `cc`, `ru_port`.
 *
 * Metric names: `iq_mean_prb_power_dbfs` (only when some PRB carried energy), `iq_zero_prb_ratio`,
 * `iq_clipped_prb_ratio` (only for BFP flows).
 */
export const IQ_METRIC_WINDOW_NS = 10_000_000n;

export const IQ_METRIC_NAMES = ['iq_mean_prb_power_dbfs', 'iq_zero_prb_ratio', 'iq_clipped_prb_ratio'] as const;

class WindowState {
  constructor(readonly flow: FlowRef) {}
  startNs = -1n;
  endNs = -1n;
  prbs = 0;
  zero = 0;
  clipped = 0;
  powerLin = 0.5;
  bfp = false;
  labels: Record<string, string> | undefined = undefined;
  reset(): void {
    this.prbs = this.zero = this.clipped = 0;
    this.powerLin = 0;
    this.bfp = false;
  }
}

class IqHealthDetector implements Detector {
  private readonly states = new FlowStates<WindowState>((flow) => new WindowState(flow));

  onFlowEvicted(flow: FlowRef, ctx: DetectContext): void {
    const w = this.states.peek(flow);
    if (w !== undefined) this.emit(w, ctx);
    this.states.delete(flow);
  }

  finish(ctx: DetectContext): void {
    for (const w of this.states.values()) this.emit(w, ctx);
  }

  onSlot(s: SlotStats, ctx: DetectContext): void {
    if (s.prbs === 0) return;
    const w = this.states.get(s.flow);
    // bigint arithmetic only when a window closes (comparisons do not allocate)
    if (s.firstTsNs >= w.endNs || s.firstTsNs < w.startNs) {
      this.emit(w, ctx);
      w.reset();
      w.startNs = (s.firstTsNs / IQ_METRIC_WINDOW_NS) * IQ_METRIC_WINDOW_NS;
      w.endNs = w.startNs + IQ_METRIC_WINDOW_NS;
    }
    w.prbs += s.prbs;
    w.zero += s.zeroPrbs;
    w.clipped += s.clippedPrbs;
    w.powerLin += s.activePowerLin;
    if (s.bfp) w.bfp = true;
  }

  private emit(w: WindowState, ctx: DetectContext): void {
    if (w.prbs === 0) return;
    const k = w.flow.key;
    w.labels ??= {
      eaxc: String(k.eaxc ?? ''),
      direction: k.direction ?? '',
      du_port: String(k.du_port ?? ''),
      band_sector: String(k.band_sector ?? ''),
      cc: String(k.cc ?? ''),
      ru_port: String(k.ru_port ?? ''),
    };
    const timestamp = isoNs(w.startNs);
    const active = w.prbs - w.zero;
    if (active > 0) {
      const value = Math.round(100 * 10 * Math.log10(w.powerLin / active)) / 100;
      ctx.metric({ timestamp, source: 'fronthaul', name: 'iq_mean_prb_power_dbfs', labels: w.labels, value });
    }
    ctx.metric({ timestamp, source: 'fronthaul', name: 'iq_zero_prb_ratio', labels: w.labels, value: w.zero / w.prbs });
    if (w.bfp) {
      ctx.metric({
        timestamp,
        source: 'fronthaul',
        name: 'iq_clipped_prb_ratio',
        labels: w.labels,
        value: w.clipped / w.prbs,
      });
    }
    w.prbs = 0;
  }
}

export const iqHealthDetector: DetectorDefinition = {
  name: 'iq-health',
  types: [],
  thresholds: {},
  reference: 'O-RAN WG4 CUS Annex A.1 (BFP), §6.3.3 (uncompressed IQ)',
  create: () => new IqHealthDetector(),
};
