import type { AnomalyQuery } from '../types.js';
import type { QueryParams } from './executor.js';
import { toChDateTime } from './time.js';

export const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** WHERE clause and parameters of an `AnomalyQuery`; undefined when the query can match nothing. */
export function buildAnomalyWhere(q: AnomalyQuery): { clause: string; params: QueryParams } | undefined {
  const w = new Where();
  if (q.fileId !== undefined) w.add('file_id = {file_id:String}', 'file_id', q.fileId);
  if (q.sessionId !== undefined) w.add('session_id = {session_id:String}', 'session_id', q.sessionId);
  if (q.type?.length && q.typeContains?.length) {
    w.conditions.push('(type IN {types:Array(String)} OR multiSearchAny(type, {type_parts:Array(String)}))');
    w.params.types = q.type;
    w.params.type_parts = q.typeContains;
  } else if (q.type?.length) w.add('type IN {types:Array(String)}', 'types', q.type);
  else if (q.typeContains?.length)
    w.add('multiSearchAny(type, {type_parts:Array(String)})', 'type_parts', q.typeContains);
  if (q.packetIndex !== undefined) w.add('packet_index = {packet_index:UInt64}', 'packet_index', q.packetIndex);
  if (q.severity?.length) w.add('toString(severity) IN {severities:Array(String)}', 'severities', q.severity);
  if (q.source?.length) w.add('toString(source) IN {sources:Array(String)}', 'sources', q.source);
  if (q.from !== undefined) w.add(`timestamp >= {from:DateTime64(9, 'UTC')}`, 'from', toChDateTime(q.from));
  if (q.to !== undefined) w.add(`timestamp < {to:DateTime64(9, 'UTC')}`, 'to', toChDateTime(q.to));
  if (q.eaxc !== undefined) w.add('eaxc = {eaxc:UInt16}', 'eaxc', q.eaxc);
  if (q.q !== undefined && q.q !== '') {
    // A frame number typed in the search box ("704") finds the finding at that packet too.
    const frame = /^\d{1,15}$/.test(q.q.trim()) ? ' OR packet_index = {q_frame:UInt64}' : '';
    const utf8 = !/^[\x20-\x7e]*$/.test(q.q);
    // An ASCII needle (the usual search) takes the byte-wise case-insensitive search: UTF-8 continuation bytes
    // never equal ASCII, so it finds what the UTF-8 variant finds (bar the few non-ASCII letters whose case
    // folds to ASCII, such as the Kelvin sign).
    const fn = utf8 ? 'positionCaseInsensitiveUTF8' : 'positionCaseInsensitive';
    let match = `(${fn}(description, {q:String}) > 0 OR ${fn}(type, {q:String}) > 0)`;
    if (!utf8)
      // The same match once more as `lower(concat(type, '\0', description)) LIKE '%needle%'` (lower() folds ASCII
      // only, as positionCaseInsensitive does; a printable needle holds no \0, so no match spans the two): the
      // expression of the idx_text n-gram index (ClickHouse migration 0006), which skips the granules without
      // the needle's trigrams. Second in the AND, it is evaluated only on the rows the search already matched.
      match = `${match} AND lower(concat(type, '\\0', description)) LIKE {q_like:String}`;
    w.add(`(${match}${frame})`, 'q', q.q);
    if (!utf8) w.params.q_like = likeContains(q.q);
    if (frame) w.params.q_frame = Number(q.q.trim());
  }
  if (q.ids !== undefined) {
    const ids = q.ids.filter((id) => UUID.test(id));
    if (ids.length === 0) return undefined;
    w.add('id IN {ids:Array(UUID)}', 'ids', ids);
  }
  const excluded = (q.excludeIds ?? []).filter((id) => UUID.test(id));
  if (excluded.length > 0) w.add('id NOT IN {exclude_ids:Array(UUID)}', 'exclude_ids', excluded);
  return { clause: w.clause(), params: w.params };
}

/** `%needle%` for LIKE: the needle lowercased (ASCII), its LIKE metacharacters escaped (ClickHouse: `\\`). */
function likeContains(needle: string): string {
  return `%${needle.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/** Conditions joined with AND, each with the one bound parameter it introduces. */
export class Where {
  readonly conditions: string[] = [];
  readonly params: QueryParams = {};
  add(condition: string, name: string, value: QueryParams[string]): void {
    this.conditions.push(condition);
    this.params[name] = value;
  }
  clause(): string {
    return this.conditions.length ? `WHERE ${this.conditions.join(' AND ')}` : '';
  }
}
