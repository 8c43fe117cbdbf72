import { decodeRange } from './decode-range.js';
import type { RangeResult, RangeTask } from './range-types.js';

/** Piscina entry: decodes one range of a capture on this worker thread (result crosses back by structured clone). */
export default function decodeRangeTask(task: RangeTask): RangeResult {
  return decodeRange(task);
}
