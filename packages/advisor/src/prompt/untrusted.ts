/**
 * Capture content is untrusted: payload bytes, descriptions and decoded fields come from the network under
 * test and may contain text written to steer a model ("ignore previous instructions…"). It reaches a prompt
 * only through `quoteUntrusted`: bounded (strings, arrays, depth, total size), serialised as JSON (quotes,
 * backslashes and control characters escaped) with every character that could close or open a fence
 * (`<`, `>`, backtick, `&`) escaped as `\uXXXX`, so the block can never end early or start a new one.
 */

export interface UntrustedLimits {
  maxString: number;
  maxArray: number;
  maxKeys: number;
  maxDepth: number;
  maxTotal: number;
}

export const DEFAULT_UNTRUSTED_LIMITS: UntrustedLimits = {
  maxString: 400,
  maxArray: 12,
  maxKeys: 40,
  maxDepth: 5,
  maxTotal: 12_000,
};

const TRUNCATED = '…[truncated]';

/** Characters escaped in capture data: anything that could close or open a fence or a Markdown code span. */
export const FENCE_BREAKERS = /[<>`&\u2028\u2029]/g;
/** Knowledge passages (curated, edited by signed-in engineers) keep their commands readable: only `<`/`>` go. */
export const ANGLE_BRACKETS = /[<>\u2028\u2029]/g;

/** A bounded copy of a JSON-like value: long strings cut, long arrays and objects shortened, deep nests replaced. */
export function boundValue(value: unknown, limits: UntrustedLimits = DEFAULT_UNTRUSTED_LIMITS, depth = 0): unknown {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string')
    return value.length > limits.maxString ? value.slice(0, limits.maxString) + TRUNCATED : value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'boolean') return value;
  if (typeof value === 'bigint') return value.toString();
  if (depth >= limits.maxDepth) return TRUNCATED;
  if (Array.isArray(value)) {
    const out = value.slice(0, limits.maxArray).map((v) => boundValue(v, limits, depth + 1));
    if (value.length > limits.maxArray) out.push(`${TRUNCATED} ${value.length - limits.maxArray} more`);
    return out;
  }
  if (typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>);
    const out: Record<string, unknown> = {};
    for (const [k, v] of entries.slice(0, limits.maxKeys))
      out[boundValue(k, limits, depth + 1) as string] = boundValue(v, limits, depth + 1);
    if (entries.length > limits.maxKeys) out[TRUNCATED] = `${entries.length - limits.maxKeys} more keys`;
    return out;
  }
  return String(value);
}

/** JSON with fence-breaking characters escaped; still valid JSON that parses back to the same value. */
export function escapeJson(value: unknown, indent = 1, chars: RegExp = FENCE_BREAKERS): string {
  return JSON.stringify(value, null, indent).replace(
    chars,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** The untrusted value as a fenced data block; oversize content is cut to `maxTotal` characters of data. */
export function quoteUntrusted(
  tag: string,
  value: unknown,
  limits: UntrustedLimits = DEFAULT_UNTRUSTED_LIMITS,
  chars: RegExp = FENCE_BREAKERS,
): string {
  if (!/^[a-z_]+$/.test(tag)) throw new Error(`bad fence tag ${tag}`);
  let body = escapeJson(boundValue(value, limits), 1, chars);
  if (body.length > limits.maxTotal) body = escapeJson({ truncated_json: body.slice(0, limits.maxTotal) }, 1, chars);
  return `<${tag} trust="untrusted" encoding="json">\n${body}\n</${tag}>`;
}
