import { and, eq, sql } from 'drizzle-orm';
import type { MetadataDb } from '../pg-connection.js';
import { fileViews } from '../schema.js';

/** The file analysis page's views: one JSON document per file and kind (`flows`, `timing`, `heatmaps`). */
export class FileViewsRepo {
  constructor(readonly db: MetadataDb) {}

  /** Replaces every view of the file (a re-analysis leaves none of the earlier ones). */
  async putFileViews(fileId: string, views: Record<string, Record<string, unknown>>): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.delete(fileViews).where(eq(fileViews.fileId, fileId));
      const rows = Object.entries(views).map(([kind, body]) => ({ fileId, kind, body }));
      if (rows.length > 0) await tx.insert(fileViews).values(rows);
    });
  }

  async getFileView(fileId: string, kind: string): Promise<Record<string, unknown> | undefined> {
    const [r] = await this.db
      .select({ body: fileViews.body })
      .from(fileViews)
      .where(and(eq(fileViews.fileId, fileId), eq(fileViews.kind, kind)));
    return r?.body;
  }

  /** The same document as JSON text, for a route that sends it as it is (no parse and serialise in between). */
  async getFileViewText(fileId: string, kind: string): Promise<string | undefined> {
    const [r] = await this.db
      .select({ text: sql<string>`${fileViews.body}::text` })
      .from(fileViews)
      .where(and(eq(fileViews.fileId, fileId), eq(fileViews.kind, kind)));
    return r?.text;
  }
}
