/** IEEE 1588-2019 Table 36: messageType values by name. */
export const PTP_MESSAGE_TYPES: Readonly<Record<number, string>> = {
  0: 'Sync',
  1: 'Delay_Req',
  2: 'Pdelay_Req',
  3: 'Pdelay_Resp',
  8: 'Follow_Up',
  9: 'Delay_Resp',
  10: 'Pdelay_Resp_Follow_Up',
  11: 'Announce',
  12: 'Signaling',
  13: 'Management',
};

/** Column headers of the packet context: what an engineer reads in Wireshark. */
const HEADERS: Readonly<Record<string, string>> = {
  seq: 'sequenceId',
  ptp_type: 'PTP messageType',
  ecpri_type: 'eCPRI type',
};

/**
 * Every column the context rows carry (issue 16: cutting at 12 lost `symbol_id`), in the rows' order; for a
 * sequence finding (`seq_*`, `ptp_sync_sequence_error`, gaps) the sequenceId comes right after the frame.
 */
export function contextColumns(rows: readonly Record<string, unknown>[], findingType: string): string[] {
  const cols = Array.from(new Set(rows.flatMap((r) => Object.keys(r)))).filter((c) => c !== 'focus');
  const sequence = /seq|sequence|gap|timeout/.test(findingType);
  if (sequence && cols.includes('seq')) {
    cols.splice(cols.indexOf('seq'), 1);
    cols.splice(Math.min(1, cols.length), 0, 'seq');
  }
  return cols;
}

export const contextHeader = (column: string): string => HEADERS[column] ?? column;

/** A context cell as text: PTP messageType by name (`11 Announce`), objects as JSON. */
export function contextCell(column: string, value: unknown): string {
  if (value === undefined || value === null) return '';
  if (column === 'ptp_type' && typeof value === 'number') return PTP_MESSAGE_TYPES[value] ?? `reserved (${value})`;
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
