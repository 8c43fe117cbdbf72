import { asc, eq } from 'drizzle-orm';
import { pgSchema, type FullMetadataStore, type KnowledgeDocument, type MetadataDb } from '@l1t/store';
import { BUILTIN_TAG, EDITED_TAG, readKnowledgeFiles } from './knowledge-files.js';

/** Setting that remembers shipped entries deleted through the API, so that a restart does not bring them back. */
export const DELETED_BUILTINS_KEY = 'knowledge.deleted_builtins';

export type KnowledgeStore = Pick<
  FullMetadataStore,
  'upsertKnowledgeDocument' | 'getKnowledgeDocument' | 'searchKnowledge' | 'getSetting' | 'putSetting'
> & { readonly db: MetadataDb };

const t = pgSchema.knowledgeDocuments;

/** Knowledge documents in PostgreSQL: list, CRUD and the migrate-time load of the shipped entries. */
export class KnowledgeBase {
  constructor(private readonly store: KnowledgeStore) {}

  async list(opts: { anomalyType?: string } = {}): Promise<KnowledgeDocument[]> {
    const rows = await this.store.db
      .select({
        slug: t.slug,
        title: t.title,
        anomalyType: t.anomalyType,
        body: t.body,
        tags: t.tags,
        updatedAt: t.updatedAt,
      })
      .from(t)
      .where(opts.anomalyType !== undefined ? eq(t.anomalyType, opts.anomalyType) : undefined)
      .orderBy(asc(t.slug));
    return rows.map((r) => ({ ...r, updatedAt: r.updatedAt.toISOString() }));
  }

  get(slug: string): Promise<KnowledgeDocument | undefined> {
    return this.store.getKnowledgeDocument(slug);
  }

  /** Creates or replaces a document; a shipped entry changed here is tagged `edited` and survives reloads. */
  async put(d: Omit<KnowledgeDocument, 'updatedAt'>): Promise<KnowledgeDocument> {
    const existing = await this.store.getKnowledgeDocument(d.slug);
    const wasBuiltin = existing?.tags.includes(BUILTIN_TAG) ?? false;
    const tags = new Set(d.tags.filter((x) => x !== BUILTIN_TAG && x !== EDITED_TAG));
    if (wasBuiltin) tags.add(BUILTIN_TAG).add(EDITED_TAG);
    await this.store.upsertKnowledgeDocument({ ...d, tags: [...tags] });
    return (await this.store.getKnowledgeDocument(d.slug))!;
  }

  /** Deletes a document; true when it existed. */
  async delete(slug: string): Promise<boolean> {
    const existing = await this.store.getKnowledgeDocument(slug);
    if (!existing) return false;
    await this.store.db.delete(t).where(eq(t.slug, slug));
    if (existing.tags.includes(BUILTIN_TAG)) {
      const deleted = (await this.store.getSetting<string[]>(DELETED_BUILTINS_KEY)) ?? [];
      if (!deleted.includes(slug)) await this.store.putSetting(DELETED_BUILTINS_KEY, [...deleted, slug].sort());
    }
    return true;
  }

  /**
   * Loads the shipped entries (idempotent upsert, run at migrate time): new and unchanged entries are
   * written, entries edited or deleted through the API are left as the user left them.
   */
  async loadBuiltins(docs?: KnowledgeDocument[]): Promise<{ written: number; kept: number }> {
    const files = docs ?? (await readKnowledgeFiles());
    const deleted = new Set((await this.store.getSetting<string[]>(DELETED_BUILTINS_KEY)) ?? []);
    let written = 0;
    let kept = 0;
    for (const d of files) {
      const existing = await this.store.getKnowledgeDocument(d.slug);
      const userOwned = existing && (existing.tags.includes(EDITED_TAG) || !existing.tags.includes(BUILTIN_TAG));
      if (deleted.has(d.slug) || userOwned) {
        kept++;
        continue;
      }
      if (
        existing &&
        existing.body === d.body &&
        existing.title === d.title &&
        existing.anomalyType === d.anomalyType &&
        sameTags(existing.tags, d.tags)
      ) {
        kept++;
        continue;
      }
      await this.store.upsertKnowledgeDocument(d);
      written++;
    }
    return { written, kept };
  }
}

function sameTags(a: string[], b: string[]): boolean {
  return a.length === b.length && [...a].sort().join('\u0000') === [...b].sort().join('\u0000');
}

/** Migrate-time hook for `l1t migrate` and server start: loads the shipped knowledge entries. */
export function loadKnowledgeBase(store: KnowledgeStore): Promise<{ written: number; kept: number }> {
  return new KnowledgeBase(store).loadBuiltins();
}
