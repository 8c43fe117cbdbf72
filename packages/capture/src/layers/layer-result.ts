import type { LinkLayers } from './link-layers.js';

/** Records a problem; the payload becomes the bytes from `at` on, of unknown kind. */
export function fail(o: LinkLayers, at: number, error: string): LinkLayers {
  o.error = error;
  o.errorOffset = at;
  return o;
}

export function setPayload(o: LinkLayers, kind: LinkLayers['payloadKind'], offset: number, end: number): LinkLayers {
  o.payloadKind = kind;
  o.payloadOffset = offset;
  o.payloadLength = end - offset;
  return o;
}
