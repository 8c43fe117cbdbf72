import { and, asc, eq } from 'drizzle-orm';
import type { SiteModelRecord } from '../../types.js';
import type { MetadataDb } from '../pg-connection.js';
import { profiles, settings, siteModels } from '../schema.js';
import { isoReq } from '../rows.js';

/** JSON documents by key: settings, analysis profiles and per-site models. */
export class DocumentsRepo {
  constructor(readonly db: MetadataDb) {}

  // settings
  async getSetting<T = unknown>(key: string): Promise<T | undefined> {
    const [r] = await this.db.select({ value: settings.value }).from(settings).where(eq(settings.key, key));
    return r ? (r.value as T) : undefined;
  }

  async putSetting(key: string, value: unknown): Promise<void> {
    const now = new Date();
    await this.db
      .insert(settings)
      .values({ key, value, updatedAt: now })
      .onConflictDoUpdate({ target: settings.key, set: { value, updatedAt: now } });
  }

  // profiles and site models
  async putProfile(name: string, document: Record<string, unknown>): Promise<void> {
    const now = new Date();
    await this.db
      .insert(profiles)
      .values({ name, document, updatedAt: now })
      .onConflictDoUpdate({ target: profiles.name, set: { document, updatedAt: now } });
  }

  async getProfile(name: string): Promise<Record<string, unknown> | undefined> {
    const [r] = await this.db.select({ document: profiles.document }).from(profiles).where(eq(profiles.name, name));
    return r?.document;
  }

  async listProfiles(): Promise<{ name: string; updatedAt: string }[]> {
    const rows = await this.db
      .select({ name: profiles.name, updatedAt: profiles.updatedAt })
      .from(profiles)
      .orderBy(asc(profiles.name));
    return rows.map((r) => ({ name: r.name, updatedAt: isoReq(r.updatedAt) }));
  }

  async putSiteModel(m: Omit<SiteModelRecord, 'updatedAt'>): Promise<void> {
    const now = new Date();
    await this.db
      .insert(siteModels)
      .values({ ...m, updatedAt: now })
      .onConflictDoUpdate({
        target: [siteModels.site, siteModels.kind],
        set: { model: m.model, trainedOnFiles: m.trainedOnFiles, updatedAt: now },
      });
  }

  async getSiteModel(site: string, kind: string): Promise<SiteModelRecord | undefined> {
    const [r] = await this.db
      .select()
      .from(siteModels)
      .where(and(eq(siteModels.site, site), eq(siteModels.kind, kind)));
    return r
      ? { site: r.site, kind: r.kind, model: r.model, trainedOnFiles: r.trainedOnFiles, updatedAt: isoReq(r.updatedAt) }
      : undefined;
  }
}
