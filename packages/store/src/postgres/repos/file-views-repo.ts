import { and, eq } from 'drizzle-orm';
import type { MetadataDb } from '../pg-connection.js';
import { fileViews } from '../schema.js';
import { gzipView, isGzip, viewText } from '../view-gzip.js';

/**
 * The file analysis page's views: one JSON document per file and kind (`flows`, `timing`, `heatmaps`), stored
 * gzip-compressed by Node (migration 0005, view-gzip.ts).
 */
export class FileViewsRepo {
  constructor(readonly db: MetadataDb) {}

  /** Replaces every view of the file (a re-analysis leaves none of the earlier ones). */
  async putFileViews(fileId: string, views: Record<string, Record<string, unknown>>): Promise<void> {
    const rows = Object.entries(views).map(([kind, doc]) => ({ fileId, kind, body: gzipView(JSON.stringify(doc)) }));
    await this.db.transaction(async (tx) => {
      await tx.delete(fileViews).where(eq(fileViews.fileId, fileId));
      if (rows.length > 0) await tx.insert(fileViews).values(rows);
    });
  }

  /** The stored body: gzip, or the UTF-8 text of a row written before migration 0005. */
  async #body(fileId: string, kind: string): Promise<Uint8Array | undefined> {
    const [r] = await this.db
      .select({ body: fileViews.body })
      .from(fileViews)
      .where(and(eq(fileViews.fileId, fileId), eq(fileViews.kind, kind)));
    return r?.body;
  }

  async getFileView(fileId: string, kind: string): Promise<Record<string, unknown> | undefined> {
    const text = await this.getFileViewText(fileId, kind);
    return text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>);
  }

  /** The same document as JSON text, for a route that sends it as it is (no parse and serialise in between). */
  async getFileViewText(fileId: string, kind: string): Promise<string | undefined> {
    const body = await this.#body(fileId, kind);
    return body && viewText(body);
  }

  /**
   * The same document as the stored gzip member, for a route that sends it compressed as it is (gzipJoin); a row
   * written before migration 0005 is compressed here.
   */
  async getFileViewGzip(fileId: string, kind: string): Promise<Uint8Array | undefined> {
    const body = await this.#body(fileId, kind);
    return body && (isGzip(body) ? body : gzipView(viewText(body)));
  }
}
