import type { Anomaly } from '@l1t/contracts';
import type { AnomalyStore, FullMetadataStore, KnowledgeDocument, RecommendationRecord } from '@l1t/store';
import { estimateCost, type AdvisorSettings } from './advisor-settings.js';
import { buildPrompt, retrievalQuery, type PromptContext } from './prompt/build-prompt.js';
import { PROMPT_VERSION } from './prompt/system-prompt.js';
import { OfflineProvider } from './providers/offline-provider.js';
import { AdviceError, isAbortError, type AdviceProvider, type ProviderEvent, type TokenUsage } from './types.js';

export type AdvisorStores = {
  anomalies: Pick<AnomalyStore, 'getAnomaly' | 'queryAnomalies'>;
  metadata: Pick<
    FullMetadataStore,
    | 'getRecommendation'
    | 'putRecommendation'
    | 'searchKnowledge'
    | 'getKnowledgeDocument'
    | 'listProfiles'
    | 'getProfile'
  >;
};

/** What `event: done` carries (interfaces.md: provider, model, usage; plus cost and cache facts). */
export interface DonePayload {
  provider: string;
  model: string;
  usage: { input_tokens: number; output_tokens: number; total_tokens: number; cost_usd: number };
  prompt_version: string;
  stop_reason: string;
  cached: boolean;
  created_at?: string;
  /** Set when the configured model could not answer and the offline expert engine did (issue #17 faults). */
  fallback?: { from: string; model: string; code: string; message: string };
}

export type AdviceEvent = { type: 'text'; text: string } | ({ type: 'done' } & DonePayload);

const RELATED_WINDOW_MS = 1_000;
const DISPLAY_NAME: Record<AdviceProvider['name'], string> = { bedrock: 'Bedrock', openai: 'The model', offline: '' };

/** The visible note that opens a fallback answer: which model failed and why (its stable code and message). */
function fallbackNote(from: AdviceProvider, e: AdviceError): string {
  const why = e.message.replace(/\s+/g, ' ').slice(0, 200);
  return `> **${DISPLAY_NAME[from.name]} was unavailable** (${e.code}: ${why}); this is the offline expert engine's advice.\n\n`;
}
const CACHED_CHUNK = 400;

/** Anomaly → context → prompt → provider stream → cached record (DESIGN.md §5: the service layer of the advice routes). */
export class AdvisorService {
  constructor(
    private readonly stores: AdvisorStores,
    readonly provider: AdviceProvider,
    private readonly settings: Pick<AdvisorSettings, 'pricePer1k' | 'maxTokens'>,
    /** Answers when the configured model cannot (default: the offline expert engine). */
    private readonly fallbackProvider: AdviceProvider = new OfflineProvider(),
  ) {}

  key(anomalyId: string): { anomalyId: string; provider: string; model: string; promptVersion: string } {
    return { anomalyId, provider: this.provider.name, model: this.provider.model, promptVersion: PROMPT_VERSION };
  }

  /** The completed answer of this anomaly for the configured provider, model and prompt version, if any. */
  cached(anomalyId: string): Promise<RecommendationRecord | undefined> {
    return this.stores.metadata.getRecommendation(this.key(anomalyId));
  }

  /** A cached answer as a stream: all chunks at once, then `done` with the recorded usage and cost. */
  *replay(r: RecommendationRecord): Generator<AdviceEvent> {
    for (let i = 0; i < r.text.length; i += CACHED_CHUNK)
      yield { type: 'text', text: r.text.slice(i, i + CACHED_CHUNK) };
    const u = r.usage as Partial<DonePayload['usage']> & { stop_reason?: string };
    yield {
      type: 'done',
      provider: r.provider,
      model: r.model,
      usage: {
        input_tokens: Number(u.input_tokens ?? 0),
        output_tokens: Number(u.output_tokens ?? 0),
        total_tokens: Number(u.total_tokens ?? 0),
        cost_usd: r.cost ?? 0,
      },
      prompt_version: r.promptVersion,
      stop_reason: String(u.stop_reason ?? 'end_turn'),
      cached: true,
      created_at: r.createdAt,
    };
  }

  /** Related anomalies, knowledge passages and profile windows for the prompt (each best effort). */
  async gatherContext(anomaly: Anomaly, signal?: AbortSignal): Promise<PromptContext> {
    const [related, knowledge, profileWindows] = await Promise.all([
      this.related(anomaly, signal).catch(() => []),
      this.knowledge(anomaly).catch(() => []),
      this.profileWindows().catch(() => undefined),
    ]);
    return { anomaly, related, knowledge, ...(profileWindows ? { profileWindows } : {}) };
  }

  private async related(a: Anomaly, signal?: AbortSignal): Promise<Anomaly[]> {
    if (!a.session_id && !a.file_id) return [];
    const t = Date.parse(a.timestamp);
    const { items } = await this.stores.anomalies.queryAnomalies(
      {
        ...(a.session_id ? { sessionId: a.session_id } : { fileId: a.file_id! }),
        from: new Date(t - RELATED_WINDOW_MS).toISOString(),
        to: new Date(t + RELATED_WINDOW_MS + 1).toISOString(),
        sort: 'timestamp',
        order: 'asc',
        limit: 50,
      },
      signal,
    );
    return items
      .filter((r) => r.id !== a.id)
      .sort((x, y) => Math.abs(Date.parse(x.timestamp) - t) - Math.abs(Date.parse(y.timestamp) - t));
  }

  /** The entry of the anomaly's type: the shipped slug, else the best document tagged with that type. */
  private async ownEntry(a: Anomaly): Promise<KnowledgeDocument | undefined> {
    const bySlug = await this.stores.metadata.getKnowledgeDocument(a.type);
    if (bySlug?.anomalyType === a.type) return bySlug;
    return (
      await this.stores.metadata.searchKnowledge(a.type.replace(/_/g, ' '), { anomalyType: a.type, limit: 1 })
    )[0];
  }

  private async knowledge(a: Anomaly): Promise<KnowledgeDocument[]> {
    const own = await this.ownEntry(a);
    const found = await this.stores.metadata.searchKnowledge(retrievalQuery(a), { limit: 4 });
    const docs = own ? [own, ...found.filter((d) => d.slug !== own.slug)] : found;
    return docs
      .slice(0, 4)
      .map(({ slug, title, anomalyType, body, tags }) => ({ slug, title, anomalyType, body, tags }));
  }

  /** The windows of the analysis profile when the deployment has exactly one stored profile (which one ran is not recorded). */
  private async profileWindows(): Promise<Record<string, unknown> | undefined> {
    const profiles = await this.stores.metadata.listProfiles();
    if (profiles.length !== 1) return undefined;
    const doc = await this.stores.metadata.getProfile(profiles[0]!.name);
    const timing = doc?.timing as { windows_us?: Record<string, unknown>; mode?: string } | undefined;
    return timing?.windows_us
      ? { profile: profiles[0]!.name, mode: timing.mode ?? null, windows_us: timing.windows_us }
      : undefined;
  }

  /**
   * Generates a fresh answer: streams the provider's text, then records the completed answer (text, usage,
   * estimated cost) under its cache key and yields `done`. An aborted or failed stream records nothing.
   */
  async *generate(anomaly: Anomaly, signal?: AbortSignal): AsyncGenerator<AdviceEvent> {
    // The offline engine reads only the entry of the anomaly's type: skip the ClickHouse query and the search.
    const ctx: PromptContext =
      this.provider.name === 'offline'
        ? {
            anomaly,
            related: [],
            knowledge: await this.ownEntry(anomaly).then(
              (d) => (d ? [d] : []),
              () => [],
            ),
          }
        : await this.gatherContext(anomaly, signal);
    const prompt = buildPrompt(ctx);
    const req = {
      system: prompt.system,
      user: prompt.user,
      anomaly,
      knowledge: ctx.knowledge,
      maxTokens: this.settings.maxTokens,
    };
    let text = '';
    let usage: TokenUsage | undefined;
    let stopReason = 'unknown';
    let answeredBy: AdviceProvider = this.provider;
    let fallback: DonePayload['fallback'];
    const consume = async function* (events: AsyncIterable<ProviderEvent>): AsyncGenerator<AdviceEvent> {
      for await (const ev of events) {
        if (ev.type === 'text') {
          text += ev.text;
          yield ev;
        } else {
          usage = ev.usage;
          stopReason = ev.stopReason;
        }
      }
    };
    try {
      yield* consume(this.provider.stream(req, signal));
    } catch (e) {
      // A model that cannot start an answer (throttled after the SDK's retries, 5xx, unreachable, timed out)
      // is replaced by the offline engine, which needs no network; an answer already under way, an abort or
      // the offline engine's own failure stays an error (the client saw part of the text).
      if (text || this.provider.name === 'offline' || signal?.aborted || isAbortError(e) || !(e instanceof AdviceError))
        throw e;
      answeredBy = this.fallbackProvider;
      fallback = { from: this.provider.name, model: this.provider.model, code: e.code, message: e.message };
      yield { type: 'text', text: fallbackNote(this.provider, e) }; // streamed, not part of the stored text
      const own = ctx.knowledge.find((d) => d.anomalyType === anomaly.type);
      yield* consume(answeredBy.stream({ ...req, knowledge: own ? [own] : [] }, signal));
    }
    if (!usage) throw new AdviceError('upstream_error', 'the provider stream ended without usage');
    const cost = answeredBy.name === 'offline' ? 0 : estimateCost(usage, this.settings.pricePer1k);
    const done: DonePayload = {
      provider: answeredBy.name,
      model: answeredBy.model,
      usage: {
        input_tokens: usage.inputTokens,
        output_tokens: usage.outputTokens,
        total_tokens: usage.totalTokens,
        cost_usd: cost,
      },
      prompt_version: PROMPT_VERSION,
      stop_reason: stopReason,
      cached: false,
      ...(fallback ? { fallback } : {}),
    };
    if (text) {
      // Recorded under the provider that produced it: a fallback answer is the offline engine's (without the
      // note), so the next request asks the configured model again instead of replaying it as the model's.
      await this.stores.metadata.putRecommendation({
        anomalyId: anomaly.id,
        provider: answeredBy.name,
        model: answeredBy.model,
        promptVersion: PROMPT_VERSION,
        text,
        usage: {
          input_tokens: usage.inputTokens,
          output_tokens: usage.outputTokens,
          total_tokens: usage.totalTokens,
          stop_reason: stopReason,
          ...(fallback ? { fallback_from: fallback.from, fallback_code: fallback.code } : {}),
        },
        cost,
      });
    }
    yield { type: 'done', ...done };
  }
}
