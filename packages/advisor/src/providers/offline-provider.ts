import { anomalyTypeInfo, type Anomaly } from '@l1t/contracts';
import type { KnowledgeDocument } from '@l1t/store';
import { splitSections } from '../knowledge/knowledge-files.js';
import { ANSWER_SECTIONS } from '../prompt/system-prompt.js';
import type { AdviceProvider, AdviceRequest, ProviderEvent } from '../types.js';

export const OFFLINE_MODEL = 'expert-engine-v1';

/** Markdown-safe one-line rendering of a capture-derived value: no control characters, pipes or backticks, bounded. */
export function inlineValue(v: unknown, max = 120): string {
  const s = typeof v === 'string' ? v : (JSON.stringify(v) ?? String(v));
  // eslint-disable-next-line no-control-regex -- control characters are exactly what must go
  const clean = s.replace(/[\u0000-\u001f\u007f]/g, ' ').replace(/[|`<>]/g, (c) => `\\${c}`);
  return clean.length > max ? clean.slice(0, max) + '…' : clean;
}

function lookup(a: Anomaly, path: string): unknown {
  let cur: unknown = a;
  for (const k of path.split('.')) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<string, unknown>)[k];
  }
  return cur;
}

/** Fills `{{path}}` placeholders of an entry (`{{flow.eaxc}}`, `{{file}}`, `{{evidence.missing}}`…) from the anomaly. */
export function fillPlaceholders(text: string, a: Anomaly): string {
  return text.replace(/\{\{\s*([a-z_][a-z0-9_.]*)\s*\}\}/gi, (_m, path: string) => {
    const v = lookup(a, path);
    if (v === undefined || v === null || typeof v === 'object') return `<${path.split('.').pop()}>`;
    return inlineValue(v, 80);
  });
}

function evidenceLines(a: Anomaly): string[] {
  const out: string[] = [];
  for (const [k, v] of Object.entries(a.evidence).slice(0, 20))
    out.push(`- \`${inlineValue(k, 40)}\`: ${inlineValue(v)}`);
  return out;
}

function where(a: Anomaly): string {
  const parts: string[] = [];
  const f = a.flow;
  if (f?.eaxc !== undefined) parts.push(`eAxC ${f.eaxc}`);
  if (f?.plane) parts.push(`${f.plane.toUpperCase()}-plane`);
  if (f?.direction) parts.push(f.direction.toUpperCase());
  if (f?.vlan !== undefined) parts.push(`VLAN ${f.vlan}`);
  const r = a.radio;
  if (r?.frame_id !== undefined)
    parts.push(`frame ${r.frame_id}.${r.subframe_id ?? '?'}.${r.slot_id ?? '?'}.${r.symbol_id ?? '?'}`);
  if (r?.pci !== undefined) parts.push(`PCI ${r.pci}`);
  if (r?.rnti !== undefined) parts.push(`RNTI ${r.rnti}`);
  return parts.join(', ');
}

/** The offline answer, section by section (each element is one streamed chunk). */
export function composeOfflineAnswer(a: Anomaly, entry: KnowledgeDocument | undefined): string[] {
  const info = anomalyTypeInfo(a.type);
  const s = entry ? splitSections(fillPlaceholders(entry.body, a)) : new Map<string, string>();
  const sec = (name: string, fallback: string): string => s.get(name) ?? fallback;
  const chunks: string[] = [];
  chunks.push(
    `> Offline advice from the built-in expert engine (knowledge entry \`${entry?.slug ?? 'none'}\`), ` +
      'not from a language model: it applies the curated entry for this anomaly type to its evidence.\n\n',
  );
  const loc = where(a);
  chunks.push(
    `## ${ANSWER_SECTIONS[0]}\n\n` +
      `**${info?.title ?? a.type}** (\`${a.type}\`, ${a.severity}, confidence ${a.confidence}) in \`${inlineValue(a.file, 80)}\` ` +
      `at packet ${a.packet_index}${a.packet_count > 1 ? ` (+${a.packet_count - 1} more)` : ''}, ${a.timestamp}${loc ? `, ${loc}` : ''}.\n\n` +
      `Observed: ${inlineValue(a.description, 300)}\n\n` +
      (evidenceLines(a).length ? `Evidence against its thresholds:\n${evidenceLines(a).join('\n')}\n\n` : '') +
      `${sec('meaning', 'No knowledge entry exists for this type yet; add one on the Knowledge page.')}\n\n` +
      `Most likely causes, most frequent first:\n\n${sec('common causes', '- Not documented yet.')}\n\n`,
  );
  const checks = sec(
    'checks',
    '- Open the packets around the finding: `l1t export pcap --anomaly {{id}} --out around.pcapng`.',
  );
  const checkItems = checks.split(/\n(?=- |\d+\. )/);
  chunks.push(`## ${ANSWER_SECTIONS[1]}\n\n${checkItems.slice(0, 2).join('\n')}\n\n`);
  chunks.push(
    `## ${ANSWER_SECTIONS[2]}\n\n${checkItems.length > 2 ? checkItems.slice(2).join('\n') : checks}\n\n` +
      `- Export the packets around this finding for Wireshark: \`l1t export pcap --anomaly ${a.id} --out around.pcapng\`.\n\n`,
  );
  chunks.push(`## ${ANSWER_SECTIONS[3]}\n\n${sec('fixes', '- Not documented yet.')}\n\n`);
  chunks.push(`## ${ANSWER_SECTIONS[4]}\n\n${sec('prevention', '- Not documented yet.')}\n\n`);
  const refs = s.get('spec references');
  if (refs) chunks.push(`**Spec references**\n\n${refs}\n`);
  return chunks.map((c) => fillPlaceholders(c, a));
}

/**
 * The default provider when no model is configured: composes the answer from the knowledge entry of the
 * anomaly's type with its evidence filled in. Chunks are yielded on successive macrotasks so the route
 * streams them (and notices an abort) like a model's; the first one is ready at once.
 */
export class OfflineProvider implements AdviceProvider {
  readonly name = 'offline' as const;
  readonly model = OFFLINE_MODEL;

  async *stream(req: AdviceRequest, signal?: AbortSignal): AsyncGenerator<ProviderEvent> {
    const entry = req.knowledge.find((d) => d.anomalyType === req.anomaly.type);
    const chunks = composeOfflineAnswer(req.anomaly, entry);
    let chars = 0;
    for (const [i, text] of chunks.entries()) {
      signal?.throwIfAborted();
      if (i > 0) await new Promise((r) => setImmediate(r));
      chars += text.length;
      yield { type: 'text', text };
    }
    // No model ran: no tokens are billed. outputTokens is an estimate (≈4 characters per token) for display.
    yield {
      type: 'end',
      usage: { inputTokens: 0, outputTokens: Math.ceil(chars / 4), totalTokens: Math.ceil(chars / 4) },
      stopReason: 'end_turn',
    };
  }
}
