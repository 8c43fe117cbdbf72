import { Router } from 'express';
import type { Stores } from '@l1t/store';
import { notFound, parseOr400 } from '../api-error.js';
import { fileReportHtml, sessionReportHtml, type FileReportData } from '../services/report/build-report.js';
import { IdParam } from './query-schemas.js';

/** Findings listed in full per file (the total is said when there are more). */
const MAX_FINDINGS = 2_000;

async function fileData(
  stores: Pick<Stores, 'anomalies' | 'metadata'>,
  fileId: string,
): Promise<FileReportData | undefined> {
  const file = await stores.metadata.getFile(fileId);
  if (!file) return undefined;
  const [findings, incidents, flows] = await Promise.all([
    stores.anomalies.queryAnomalies({ fileId, sort: 'timestamp', order: 'asc', limit: MAX_FINDINGS }),
    stores.anomalies.queryIncidents({ fileId, limit: 1_000 }),
    stores.metadata.getFileView(fileId, 'flows'),
  ]);
  return {
    file,
    ...(Array.isArray(flows?.flows) ? { flows: flows.flows as FileReportData['flows'] } : {}),
    incidents: incidents.items,
    findings: findings.items,
    findingTotal: findings.total,
  };
}

function sendReport(res: import('express').Response, html: string, name: string): void {
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  // Opened from disk, offline: a download with a name, and nothing it may load.
  res.setHeader('Content-Disposition', `attachment; filename="${name.replace(/[^A-Za-z0-9._-]/g, '_')}.html"`);
  res.setHeader('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:");
  res.send(html);
}

/**
 * `GET /api/files/:id/report` and `GET /api/sessions/:id/report`: a self-contained HTML report (summary,
 * flows, incidents, findings with evidence, charts as inline SVG) that opens offline and prints to PDF.
 */
export function reportRoutes(stores: Pick<Stores, 'anomalies' | 'metadata'>): Router {
  const r = Router();
  r.get('/files/:id/report', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const d = await fileData(stores, id);
    if (!d) throw notFound(`file ${id}`);
    sendReport(res, fileReportHtml(d), `report-${d.file.name}`);
  });
  r.get('/sessions/:id/report', async (req, res) => {
    const { id } = parseOr400(IdParam, req.params, 'path');
    const session = await stores.metadata.getSession(id);
    if (!session) throw notFound(`session ${id}`);
    const { items } = await stores.metadata.listFiles({ sessionId: id, limit: 500 });
    const files = (await Promise.all(items.map((f) => fileData(stores, f.id)))).filter((f): f is FileReportData => !!f);
    sendReport(
      res,
      sessionReportHtml({ session: { ...session, status: session.status }, files }),
      `report-${session.name}`,
    );
  });
  return r;
}
