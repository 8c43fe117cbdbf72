import { DecodedPacket } from '@l1t/capture';
import { describe, expect, it } from 'vitest';
import { MAX_PTP_PORTS, MAX_SENDER_SLOTS, PtpPortTable, PtpSenderSlots } from './ptp-ports.js';
import { ptpPacket, T0 } from './test-support/detect-helpers.js';

/** A deterministic pseudo-random sequence (no Math.random: a failure must repeat). */
function lcg(seed: number): () => number {
  let x = seed >>> 0;
  return () => (x = (Math.imul(x, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const key = (x: { clockHi: number; clockLo: number; port: number; domain: number }) =>
  `${x.clockHi}:${x.clockLo}:${x.port}:${x.domain}`;

describe('PtpSenderSlots', () => {
  it('gives every (clockIdentity, portNumber, domainNumber) its own slot, the same on every message', () => {
    const slots = new PtpSenderSlots();
    const p = new DecodedPacket();
    const seen = new Map<string, number>();
    const rnd = lcg(7);
    for (let i = 0; i < 20_000; i++) {
      // identities that differ in one field only: clock low half, port or domain
      ptpPacket(p, i, T0, {
        type: 0,
        clock: 1 + Math.floor(rnd() * 8),
        port: 1 + Math.floor(rnd() * 3),
        domain: 24 + Math.floor(rnd() * 2),
      });
      if (rnd() < 0.3) p.ptp.clockIdentityHi = 0xfffffffe; // a half above 2^31
      slots.assign(p.ptp);
      const k = `${p.ptp.clockIdentityHi}:${p.ptp.clockIdentityLo}:${p.ptp.sourcePort}:${p.ptp.domainNumber}`;
      const slot = seen.get(k) ?? seen.size;
      seen.set(k, slot);
      expect(p.ptp.senderSlot).toBe(slot);
    }
    expect(seen.size).toBe(8 * 3 * 2 * 2);
  });

  it(`gives no slot (-1) beyond ${MAX_SENDER_SLOTS} ports`, () => {
    const slots = new PtpSenderSlots();
    const p = new DecodedPacket();
    for (let i = 0; i < MAX_SENDER_SLOTS + 10; i++) {
      ptpPacket(p, i, T0, { type: 0, clock: i + 1 });
      slots.assign(p.ptp);
      expect(p.ptp.senderSlot).toBe(i < MAX_SENDER_SLOTS ? i : -1);
    }
    ptpPacket(p, 0, T0, { type: 0, clock: 1 });
    slots.assign(p.ptp);
    expect(p.ptp.senderSlot).toBe(0);
  });
});

describe('PtpPortTable.sender by slot', () => {
  /**
   * A table looked up through the driver's slots must hand out the same ports, in the same order, as one that
   * compares identities — also when the slots run out (MAX_SENDER_SLOTS), when the table itself is full
   * (MAX_PTP_PORTS: undefined, every time) and when a port entered the table through find() (by another
   * identity than the sender's, as the exchange pairing does with requestingPortIdentity).
   */
  it('finds the port the identity search finds, through full slots and a full table', () => {
    const slots = new PtpSenderSlots();
    const bySlot = new PtpPortTable(() => ({ n: 0 }));
    const bySearch = new PtpPortTable(() => ({ n: 0 }));
    const p = new DecodedPacket();
    const rnd = lcg(11);
    const ports = MAX_SENDER_SLOTS + 200;
    for (let i = 0; i < 60_000; i++) {
      // mostly a few ports, now and then one of thousands (beyond both bounds)
      const clock = rnd() < 0.9 ? 1 + Math.floor(rnd() * 4) : 1 + Math.floor(rnd() * ports);
      ptpPacket(p, i, T0 + BigInt(i), { type: 0, clock, port: 1 + (clock % 2) });
      if (i % 5000 === 17) {
        // a port first met as a requesting identity
        bySlot.find(0x02000000, clock + 1, 1 + ((clock + 1) % 2), 24, p);
        bySearch.find(0x02000000, clock + 1, 1 + ((clock + 1) % 2), 24, p);
      }
      slots.assign(p.ptp);
      const a = bySlot.sender(p);
      p.ptp.senderSlot = -1;
      const b = bySearch.sender(p);
      expect(a === undefined).toBe(b === undefined);
      if (a !== undefined) {
        expect(key(a)).toBe(key(b!));
        expect(key(a)).toBe(`${0x02000000}:${clock}:${1 + (clock % 2)}:24`);
        a.state.n++;
        b!.state.n++;
      }
    }
    expect(bySlot.ports.length).toBe(MAX_PTP_PORTS);
    expect(bySlot.ports.map((x) => `${key(x)}=${x.state.n}`)).toEqual(
      bySearch.ports.map((x) => `${key(x)}=${x.state.n}`),
    );
  });
});
