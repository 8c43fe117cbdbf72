import {
  DEFAULT_UTC_GPS_OFFSET_S,
  DiagDecoderRegistry,
  DiagLogReader,
  diagTimeToUtcNs,
  formatUtcNs,
  hexCode,
  type DiagContainer,
} from '@l1t/capture';

/**
 * The DIAG side of `l1t decode` (interfaces.md): one JSON object per record of a .qmdl/.mi2log, .qmdl2
 * or .dlf log. A log packet gives `diag.log_code`, `diag.timestamp` (UTC, ns), `diag.version`, `diag.status`
 * (`decoded`, `not_decoded`: no decoder for this code and version, `malformed`) and, when decoded, the
 * fields of that log code (per-cell values as arrays in cell order, per receive chain as inner arrays).
 * Other frames say what they are (`diag.command`, `diag.bad_frame`).
 */
export class DiagDecodeStream {
  private readonly reader: DiagLogReader;
  private readonly registry = new DiagDecoderRegistry();

  constructor(
    container: DiagContainer,
    private readonly fields: readonly string[] | undefined,
    private readonly utcGpsOffsetS = DEFAULT_UTC_GPS_OFFSET_S,
  ) {
    this.reader = new DiagLogReader(container);
  }

  append(chunk: Uint8Array): void {
    this.reader.append(chunk);
  }

  end(): void {
    this.reader.end();
  }

  /** JSON lines of every record now complete (throws the reader's located errors). */
  drain(lines: string[]): void {
    for (let rec = this.reader.next(); rec; rec = this.reader.next()) {
      const o: Record<string, unknown> = { 'frame.number': rec.index, 'diag.offset': rec.byteOffset };
      const p = rec.packet;
      if (rec.kind === 'bad_frame') o['diag.bad_frame'] = rec.badReason ?? 'bad';
      else if (rec.kind === 'command') o['diag.command'] = '0x' + p.command.toString(16).toUpperCase().padStart(2, '0');
      else if (rec.kind === 'malformed') o['diag.malformed'] = p.reason ?? 'malformed log packet';
      else {
        const r = this.registry.decode(p.logCode, p.body);
        o['diag.log_code'] = hexCode(p.logCode);
        o['diag.timestamp'] = formatUtcNs(diagTimeToUtcNs(p.ticks, p.fraction, this.utcGpsOffsetS));
        o['diag.version'] = r.name !== undefined ? r.version : p.body.length > 0 ? p.body[0] : null;
        if (r.name) o['diag.name'] = r.name;
        o['diag.status'] = r.status === 'unknown' ? 'not_decoded' : r.status;
        if (p.subscription >= 0) o['diag.subscription'] = p.subscription;
        if (r.reason) o['diag.reason'] = r.reason;
        if (r.fields) Object.assign(o, r.fields);
      }
      lines.push(JSON.stringify(this.fields ? pick(o, this.fields) : o) + '\n');
    }
  }
}

function pick(o: Record<string, unknown>, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of fields) if (f in o) out[f] = o[f];
  return out;
}
