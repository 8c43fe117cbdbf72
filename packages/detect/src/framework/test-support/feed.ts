import type { DecodedPacket } from '@l1t/capture';
import type { Detector } from '../detector.js';
import { DetectorDriver, type DriverContext } from '../detector-driver.js';

/**
 * Tests that drive one detector instance by hand: `feed(d, p, ctx)` per packet and `end(d, ctx)` at the end
 * run it through the real {@link DetectorDriver} (clock, fronthaul stage, slots), exactly as a file's
 * detection does. One driver per detector, made on its first packet.
 */
const drivers = new WeakMap<Detector, DetectorDriver>();

function driverOf(d: Detector, ctx: DriverContext): DetectorDriver {
  let drv = drivers.get(d);
  if (drv === undefined) {
    drv = new DetectorDriver([d], ctx);
    drivers.set(d, drv);
  }
  return drv;
}

export function feed(d: Detector, p: DecodedPacket, ctx: DriverContext): void {
  driverOf(d, ctx).onPacket(p);
}

export function end(d: Detector, ctx: DriverContext): void {
  driverOf(d, ctx).finish();
  drivers.delete(d);
}
