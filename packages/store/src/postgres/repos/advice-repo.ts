import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { KnowledgeDocument, RecommendationKey, RecommendationRecord } from '../../types.js';
import type { MetadataDb } from '../pg-connection.js';
import { knowledgeDocuments, recommendations } from '../schema.js';
import { toDoc, toRec } from '../rows.js';

/** Cached recommendations and the knowledge base with keyword search. */
export class AdviceRepo {
  constructor(readonly db: MetadataDb) {}

  // recommendations
  async getRecommendation(k: RecommendationKey): Promise<RecommendationRecord | undefined> {
    const [r] = await this.db
      .select()
      .from(recommendations)
      .where(
        and(
          eq(recommendations.anomalyId, k.anomalyId),
          eq(recommendations.provider, k.provider),
          eq(recommendations.model, k.model),
          eq(recommendations.promptVersion, k.promptVersion),
        ),
      );
    return r ? toRec(r) : undefined;
  }

  async putRecommendation(r: Omit<RecommendationRecord, 'createdAt'>): Promise<void> {
    const now = new Date();
    await this.db
      .insert(recommendations)
      .values({ ...r, createdAt: now })
      .onConflictDoUpdate({
        target: [
          recommendations.anomalyId,
          recommendations.provider,
          recommendations.model,
          recommendations.promptVersion,
        ],
        set: { text: r.text, usage: r.usage, cost: r.cost, createdAt: now },
      });
  }

  async listRecommendations(anomalyId: string): Promise<RecommendationRecord[]> {
    return (
      await this.db
        .select()
        .from(recommendations)
        .where(eq(recommendations.anomalyId, anomalyId))
        .orderBy(desc(recommendations.createdAt))
    ).map(toRec);
  }

  // knowledge
  async upsertKnowledgeDocument(d: KnowledgeDocument): Promise<void> {
    const values = {
      slug: d.slug,
      title: d.title,
      anomalyType: d.anomalyType,
      body: d.body,
      tags: d.tags,
      updatedAt: d.updatedAt ? new Date(d.updatedAt) : new Date(),
    };
    const { slug: _slug, ...set } = values;
    await this.db
      .insert(knowledgeDocuments)
      .values(values)
      .onConflictDoUpdate({ target: knowledgeDocuments.slug, set });
  }

  async getKnowledgeDocument(slug: string): Promise<KnowledgeDocument | undefined> {
    const [r] = await this.db.select().from(knowledgeDocuments).where(eq(knowledgeDocuments.slug, slug));
    return r ? toDoc(r) : undefined;
  }

  /** Keyword search (websearch syntax: words, "phrases", -exclusions), best match first. */
  async searchKnowledge(
    query: string,
    opts: { anomalyType?: string; limit?: number } = {},
  ): Promise<(KnowledgeDocument & { rank: number })[]> {
    const tsq = sql`(websearch_to_tsquery('english', ${query}) || websearch_to_tsquery('simple', ${query}))`;
    const rank = sql<number>`ts_rank(${knowledgeDocuments.search}, ${tsq})`;
    const rows = await this.db
      .select({
        slug: knowledgeDocuments.slug,
        title: knowledgeDocuments.title,
        anomalyType: knowledgeDocuments.anomalyType,
        body: knowledgeDocuments.body,
        tags: knowledgeDocuments.tags,
        updatedAt: knowledgeDocuments.updatedAt,
        rank,
      })
      .from(knowledgeDocuments)
      .where(
        and(
          sql`${knowledgeDocuments.search} @@ ${tsq}`,
          opts.anomalyType !== undefined ? eq(knowledgeDocuments.anomalyType, opts.anomalyType) : undefined,
        ),
      )
      .orderBy(desc(rank), asc(knowledgeDocuments.slug))
      .limit(Math.min(100, Math.max(1, opts.limit ?? 10)));
    return rows.map((r) => ({ ...toDoc(r), rank: Number(r.rank) }));
  }
}
