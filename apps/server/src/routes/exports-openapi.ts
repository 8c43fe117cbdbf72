import type { RequestHandler } from 'express';
import { z } from 'zod';
import { AnomalyListQuery, FileListQuery, SessionListQuery } from './query-schemas.js';
import { DashboardQuery } from './dashboard.js';
import { MetricsQuery } from './dashboard-metrics.js';
import { ExportQuery } from './exports.js';
import { FileViewQuery } from './file-views.js';

type Op = {
  summary: string;
  query?: z.ZodObject;
  path?: string[];
  body?: Record<string, unknown>;
  responses?: Record<string, string>;
  content?: string;
  public?: boolean;
};

const ERROR = { $ref: '#/components/schemas/Error' };

/** OpenAPI query parameters from a zod object (its input shape: what a client sends). */
function queryParams(schema: z.ZodObject): unknown[] {
  const json = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as {
    properties?: Record<string, Record<string, unknown>>;
    required?: string[];
  };
  return Object.entries(json.properties ?? {}).map(([name, s]) => ({
    name,
    in: 'query',
    required: json.required?.includes(name) ?? false,
    schema: s,
  }));
}

const json = (s: z.ZodType) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any' });

const ROUTES: Record<string, Record<string, Op>> = {
  '/healthz': { get: { summary: 'Liveness', public: true } },
  '/readyz': { get: { summary: 'Readiness: both stores reachable', public: true } },
  '/metrics': { get: { summary: 'Prometheus metrics', public: true, content: 'text/plain' } },
  '/api/openapi.json': { get: { summary: 'This document', public: true } },
  '/api/config': { get: { summary: 'Auth mode, advisor provider and the current user' } },
  '/api/auth/login': {
    post: {
      summary: 'Local user login: answers an API token (12 h)',
      public: true,
      body: json(z.object({ username: z.string(), password: z.string() })) as Record<string, unknown>,
      responses: { '200': '{ token, expires_at, user }', '401': 'unknown user or wrong password' },
    },
  },
  '/api/auth/me': { get: { summary: 'The authenticated user' } },
  '/api/sessions': { get: { summary: 'Analysis sessions', query: SessionListQuery } },
  '/api/sessions/{id}': { get: { summary: 'One session with its files', path: ['id'] } },
  '/api/files': {
    get: { summary: 'Uploaded and analysed files', query: FileListQuery },
    post: {
      summary:
        'Multipart upload (field `file`), streamed to disk; 202 { id, status } and queued analysis; same sha256: the existing record',
      content: 'multipart/form-data',
    },
  },
  '/api/files/{id}': { get: { summary: 'One file: status, progress, anomaly_count, error', path: ['id'] } },
  '/api/files/{id}/summary': {
    get: { summary: 'Decode summary of an analysed file (packets, flows, unknown records, errors)', path: ['id'] },
  },
  '/api/files/{id}/flows': {
    get: { summary: 'Per-flow table of an analysed capture (eAxC split, counters, PRBs, IQ power)', path: ['id'] },
  },
  '/api/files/{id}/timing': {
    get: {
      summary: 'Arrival-offset histograms per flow with the profile windows; `flow` adds its time scatter',
      path: ['id'],
      query: FileViewQuery,
    },
  },
  '/api/files/{id}/heatmap': {
    get: {
      summary: 'PRB × time power grid of one U-plane flow (the first by default)',
      path: ['id'],
      query: FileViewQuery,
    },
  },
  '/api/files/{id}/ptp': {
    get: {
      summary:
        'Time-error view per PTP slave port (capture) or linuxptp servo (log): series, max|TE|, cTE, dTE, MTIE, TDEV, intervals, PDV, G.8271.1/G.8273.2 verdicts, and what they measure',
      path: ['id'],
    },
  },
  '/api/files/{id}/events': {
    get: { summary: 'SSE: progress and status until done or failed', path: ['id'], content: 'text/event-stream' },
  },
  '/api/anomalies': {
    get: { summary: 'Filtered, sorted, paged anomalies: { items, total }', query: AnomalyListQuery },
  },
  '/api/anomalies/export': {
    get: {
      summary: 'The filtered list as CSV or JSON (formula cells neutralised)',
      query: ExportQuery,
      content: 'text/csv',
    },
  },
  '/api/anomalies/{id}': {
    get: { summary: 'One anomaly with packet_context, status and status_history', path: ['id'] },
  },
  '/api/anomalies/{id}/status': {
    patch: {
      summary: 'Status workflow: open → acknowledged → resolved / false_positive, with note',
      path: ['id'],
      body: {
        type: 'object',
        required: ['status'],
        properties: {
          status: { enum: ['open', 'acknowledged', 'resolved', 'false_positive'] },
          note: { type: 'string' },
        },
      },
    },
  },
  '/api/anomalies/{id}/pcap': {
    get: { summary: 'The packets around the anomaly as pcapng', path: ['id'], content: 'application/x-pcapng' },
  },
  '/api/anomalies/{id}/recommendation/stream': {
    get: {
      summary: 'SSE: data {"text"} chunks, then event done { provider, model, usage } or event error',
      path: ['id'],
      content: 'text/event-stream',
    },
  },
  '/api/anomalies/{id}/recommendations': { get: { summary: 'Cached recommendations of an anomaly', path: ['id'] } },
  '/api/knowledge': { get: { summary: 'Knowledge base search' }, post: { summary: 'Add a knowledge document' } },
  '/api/knowledge/{id}': {
    get: { summary: 'One knowledge document', path: ['id'] },
    put: { summary: 'Replace a knowledge document', path: ['id'] },
    delete: { summary: 'Delete a knowledge document', path: ['id'] },
  },
  '/api/dashboard/summary': {
    get: {
      summary: 'Cards (week over week), trend, breakdowns, heatmap, top flows, recurring issues',
      query: DashboardQuery,
    },
  },
  '/api/metrics': { get: { summary: 'KPI time series of a session or file', query: MetricsQuery } },
  '/api/incidents': {
    get: {
      summary:
        'Incidents: related findings grouped per file (file_id, session_id, finding_id, severity, sort, order, limit, offset)',
    },
  },
  '/api/incidents/{id}': { get: { summary: 'One incident with its member findings', path: ['id'] } },
  '/api/files/{id}/report': {
    get: { summary: 'Self-contained HTML report of a file (prints to PDF)', path: ['id'], content: 'text/html' },
  },
  '/api/sessions/{id}/report': {
    get: { summary: 'Self-contained HTML report of a session', path: ['id'], content: 'text/html' },
  },
  '/api/files/{id}/reanalyse': {
    post: {
      summary: 'Analyse a stored file again, with a saved profile',
      path: ['id'],
      responses: { '202': 'queued' },
    },
  },
  '/api/profiles': { get: { summary: 'Saved analysis profiles' } },
  '/api/profiles/validate': {
    post: { summary: 'Validate a profile document (400 invalid_profile with error.fields)' },
  },
  '/api/profiles/{name}': {
    get: { summary: 'One saved profile', path: ['name'] },
    put: { summary: 'Save a profile (400 invalid_profile with error.fields per bad key)', path: ['name'] },
  },
};

/** The OpenAPI 3.1 document of the API (`GET /api/openapi.json`). */
export function openApiDocument(): Record<string, unknown> {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(ROUTES)) {
    paths[path] = {};
    for (const [method, op] of Object.entries(ops)) {
      const parameters = [
        ...(op.path ?? []).map((name) => ({ name, in: 'path', required: true, schema: { type: 'string' } })),
        ...(op.query ? queryParams(op.query) : []),
      ];
      paths[path][method] = {
        summary: op.summary,
        ...(op.public ? { security: [] } : {}),
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: op.body } } } } : {}),
        responses: {
          ...Object.fromEntries(
            Object.entries(op.responses ?? { '200': 'OK' }).map(([k, d]) => [
              k,
              { description: d, content: { [op.content ?? 'application/json']: {} } },
            ]),
          ),
          '400': { description: 'bad input', content: { 'application/json': { schema: ERROR } } },
          ...(op.public
            ? {}
            : {
                '401': {
                  description: 'authentication required (L1T_AUTH=on)',
                  content: { 'application/json': { schema: ERROR } },
                },
              }),
        },
      };
    }
  }
  return {
    openapi: '3.1.0',
    info: { title: 'L1 Troubleshooting System API', version: '0.1.0' },
    components: {
      securitySchemes: {
        bearer: {
          type: 'http',
          scheme: 'bearer',
          description: 'API token (l1t user add + POST /api/auth/login, or an admin-created token)',
        },
        alb: {
          type: 'apiKey',
          in: 'header',
          name: 'x-amzn-oidc-data',
          description: 'AWS ALB OIDC identity (L1T_TRUST_ALB_OIDC=1)',
        },
      },
      schemas: {
        Error: {
          type: 'object',
          properties: {
            error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } },
          },
        },
      },
    },
    security: [{ bearer: [] }, { alb: [] }],
    paths,
  };
}

export function openApiHandler(): RequestHandler {
  let doc: Record<string, unknown> | undefined;
  return (_req, res) => {
    doc ??= openApiDocument();
    res.json(doc);
  };
}
