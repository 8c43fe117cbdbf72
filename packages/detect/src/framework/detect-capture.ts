import {
  createPacketDecoder,
  DecodedPacket,
  readCaptureRecords,
  type CaptureFormat,
  type DecodeOptions,
} from '@l1t/capture';
import type { DetectionResult } from './detector.js';
import { createFronthaulDetection, type FronthaulDetectionOptions } from './fronthaul-detection.js';

/**
 * Decodes a whole capture held in memory and runs the detection over it (tests and small tools; the
 * pipeline streams instead). Frames are decoded into one reused {@link DecodedPacket}.
 */
export function detectCapture(
  bytes: Uint8Array,
  format: CaptureFormat,
  options: FronthaulDetectionOptions & { decode?: Partial<DecodeOptions> },
): DetectionResult {
  const decoder = createPacketDecoder(options.decode ?? {});
  const det = createFronthaulDetection(options);
  const p = new DecodedPacket();
  for (const rec of readCaptureRecords(bytes, format)) {
    if (rec.kind !== 'packet') continue;
    decoder.decode(rec.linkType, rec.data, rec.tsNs, rec.index, p);
    det.onPacket(p);
  }
  return det.finish();
}
