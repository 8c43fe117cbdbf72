import type { LinkLayers } from './link-layers.js';

/** Records a problem found at `at`; the layers parsed before it stay filled. */
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
