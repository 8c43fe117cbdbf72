/** `uelog/`: UE event text logs (attach / detach / RRC lines) — line parser and streaming reader. */
export {
  parseUeEventLine,
  type UeEvent,
  type UeLineRejection,
  type UeLineResult,
  type UeOutcome,
  type UeProcedure,
} from './ue-event-line.js';
export { looksLikeUeEventLog, MAX_UE_LINE_BYTES, UeEventReader } from './ue-event-reader.js';
