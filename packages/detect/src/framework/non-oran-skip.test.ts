import { createPacketDecoder, DecodedPacket, PtpMessageType, readCaptureRecords } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { concatBytes, synthFronthaul } from '../../../capture/src/synth/index.js';
import {
  C_PLANE_MESSAGES,
  ECPRI_PACKETS,
  PTP_PACKETS,
  type DetectContext,
  type Detector,
  type FronthaulMessage,
} from './detector.js';
import { DetectorDriver, type DriverContext } from './detector-driver.js';
import type { SlotStats } from './slot-stats.js';

/**
 * Issue 14 item 3: a PTP packet (or any packet without an O-RAN message) costs the fronthaul detectors
 * nothing — the stage returns at its first test (no flow resolved, no message or slot hook called), so
 * PTP-only traffic runs in O(1) per packet whatever fronthaul detectors are registered.
 */
class Counting implements Detector {
  messages = 0;
  slots = 0;
  onMessage(_m: FronthaulMessage, _ctx: DetectContext): void {
    this.messages++;
  }
  onSlot(_s: SlotStats, _ctx: DetectContext): void {
    this.slots++;
  }
  finish(): void {}
}

/** Counts the O-RAN messages its onMessage sees, per plane, of the planes it asks for (undefined: both). */
class PlaneCounting implements Detector {
  readonly seen = { c: 0, u: 0 };
  constructor(readonly messagePlanes: Detector['messagePlanes']) {}
  onMessage(m: FronthaulMessage): void {
    this.seen[m.m.plane]++;
  }
  finish(): void {}
}

/** Counts the packets its onPacket sees, of the kinds (and PTP messageTypes) it asks for (undefined: every packet). */
class PacketCounting implements Detector {
  packets = 0;
  constructor(
    readonly packetKinds: Detector['packetKinds'],
    readonly ptpMessageTypes?: readonly number[],
  ) {}
  onPacket(): void {
    this.packets++;
  }
  finish(): void {}
}

const base: DriverContext = {
  profile: undefined,
  thresholds: {},
  report: () => {},
  metric: () => {},
  warn: () => {},
  count: () => {},
  pinContext: () => [],
} as unknown as DriverContext;

/** Decoded packets of a short generated capture with PTP, split by kind (copies: kept beyond the reader). */
function packets(): { ptp: DecodedPacket[]; oran: DecodedPacket[] } {
  const bytes = concatBytes([
    ...synthFronthaul({ durationS: 0.3, nrb: 12, eaxc: { dl: [0], ul: [0] }, ptp: true }, [], 1),
  ]);
  const decoder = createPacketDecoder({ nrb: 12, compMethod: 'bfp', iqWidth: 9, compHdr: 'static' });
  const ptp: DecodedPacket[] = [];
  const oran: DecodedPacket[] = [];
  for (const r of readCaptureRecords(bytes, 'pcap', { copyData: true })) {
    if (r.kind !== 'packet') continue;
    const p = new DecodedPacket();
    decoder.decode(r.linkType, r.data, r.tsNs, r.index, p);
    if (p.kind === 'ptp') ptp.push(p);
    else if (p.hasOran) oran.push(p);
  }
  return { ptp, oran };
}

describe('non-O-RAN packets and the fronthaul detectors', () => {
  it('PTP packets reach no fronthaul hook and resolve no flow; O-RAN packets do', () => {
    const { ptp, oran } = packets();
    expect(ptp.length).toBeGreaterThan(5);
    const d = new Counting();
    const driver = new DetectorDriver([d], base);
    for (let round = 0; round < 100; round++) for (const p of ptp) driver.onPacket(p);
    expect([d.messages, d.slots, driver.stage.flows.size]).toEqual([0, 0, 0]);
    for (const p of oran) driver.onPacket(p);
    driver.finish();
    expect(d.messages).toBe(oran.length);
    expect(d.slots).toBeGreaterThan(0);
    expect(driver.stage.flows.size).toBeGreaterThan(0);
  });

  it('hands each packet only to the onPacket detectors of its kind (PTP to PTP detectors, eCPRI to eCPRI ones)', () => {
    const { ptp, oran } = packets();
    const ptpOnly = new PacketCounting(PTP_PACKETS);
    const ecpriOnly = new PacketCounting(ECPRI_PACKETS);
    const every = new PacketCounting(undefined);
    const driver = new DetectorDriver([ptpOnly, ecpriOnly, every], base);
    for (const p of [...ptp, ...oran]) driver.onPacket(p);
    driver.finish();
    expect([ptpOnly.packets, ecpriOnly.packets, every.packets]).toEqual([
      ptp.length,
      oran.length,
      ptp.length + oran.length,
    ]);
    expect(driver.clock.packets).toBe(ptp.length + oran.length);
  });

  it('hands a valid PTP message only to the PTP detectors of its messageType; a cut-short one to every PTP detector', () => {
    const { ptp } = packets();
    const invalid = new DecodedPacket();
    Object.assign(invalid, ptp[0]!);
    // `ptp` is read-only to detectors; the test builds a cut-short message from a decoded one
    (invalid as { ptp: DecodedPacket['ptp'] }).ptp = Object.assign(
      Object.create(Object.getPrototypeOf(ptp[0]!.ptp) as object),
      ptp[0]!.ptp,
      {
        valid: false,
      },
    ) as DecodedPacket['ptp'];
    const all = [...ptp, invalid];
    const syncs = ptp.filter((p) => p.ptp.valid && p.ptp.messageType === PtpMessageType.SYNC).length;
    const announces = ptp.filter((p) => p.ptp.valid && p.ptp.messageType === PtpMessageType.ANNOUNCE).length;
    expect(syncs).toBeGreaterThan(0);
    expect(announces).toBeGreaterThan(0);
    const sync = new PacketCounting(PTP_PACKETS, [PtpMessageType.SYNC]);
    const both = new PacketCounting(PTP_PACKETS, [PtpMessageType.SYNC, PtpMessageType.ANNOUNCE]);
    const every = new PacketCounting(PTP_PACKETS);
    const driver = new DetectorDriver([sync, both, every], base);
    for (const p of all) driver.onPacket(p);
    driver.finish();
    expect([sync.packets, both.packets, every.packets]).toEqual([syncs + 1, syncs + announces + 1, all.length]);
  });

  it('hands an O-RAN message only to the onMessage detectors of its plane (a C-plane detector: no U-plane call)', () => {
    const { oran } = packets();
    let c = 0;
    let u = 0;
    for (const p of oran)
      for (let i = 0; i < p.oranCount; i++) {
        const m = p.oranMessages[i]!;
        if (!m.headerComplete) continue;
        if (m.plane === 'c') c++;
        else u++;
      }
    expect(c).toBeGreaterThan(0);
    expect(u).toBeGreaterThan(c);
    const cOnly = new PlaneCounting(C_PLANE_MESSAGES);
    const uOnly = new PlaneCounting(['u']);
    const both = new PlaneCounting(undefined);
    const driver = new DetectorDriver([cOnly, uOnly, both], base);
    for (const p of oran) driver.onPacket(p);
    driver.finish();
    expect([cOnly.seen, uOnly.seen, both.seen]).toEqual([
      { c, u: 0 },
      { c: 0, u },
      { c, u },
    ]);
  });
});
