import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import { pinoHttp } from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from '@l1t/contracts';
import type { Stores } from '@l1t/store';
import { errorHandler, unknownRoute } from './api-error.js';
import { createMetrics, type AppMetrics } from './metrics.js';
import { requireAuth } from './middleware/auth.js';
import { enforceRoles } from './middleware/roles.js';
import { hostCheck, loadHttpSecurity, refuseCrossSite, securityHeaders, type HttpSecurity } from './middleware/security.js';
import { anomalyRoutes } from './routes/anomalies.js';
import { incidentRoutes } from './routes/incidents.js';
import { reportRoutes } from './routes/reports.js';
import { profileRoutes } from './routes/profiles.js';
import { fileRoutes } from './routes/files.js';
import { filePtpHandler } from './routes/file-ptp.js';
import { fileViewRoutes } from './routes/file-views.js';
import { recommendationRoutes } from './routes/recommendations.js';
import { fileEventsHandler, uploadHandler } from './routes/uploads.js';
import { UploadService } from './services/upload-service.js';
import { healthRoutes } from './routes/health.js';
import { sessionRoutes } from './routes/sessions.js';
import { crossSourceRoutes } from './routes/cross-source.js';
import { albOidcAuth, authRoutes, meHandler } from './routes/auth.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { metricRoutes } from './routes/dashboard-metrics.js';
import { fileSummaryHandler } from './routes/dashboard-file-summary.js';
import { exportHandler } from './routes/exports.js';
import { openApiHandler } from './routes/exports-openapi.js';
import { loadAlbOidcSettings, type AlbOidcSettings } from './services/auth-alb.js';

export { hashPassword } from './services/auth-service.js';

export interface AppDeps {
  config: Config;
  stores: Pick<Stores, 'anomalies' | 'metadata' | 'ready'>;
  logger: Logger;
  /** Called when an upload queued a job (wakes the in-process job runner). */
  onJobQueued?: () => void;
  /** Folder of the built web app (apps/web/dist); omitted or missing: API only. */
  webDir?: string;
  metrics?: AppMetrics;
  /** Trust of the AWS ALB OIDC header; default from the environment (L1T_TRUST_ALB_OIDC, L1T_ALB_KEY_URL, L1T_ALB_SIGNER_ARN). */
  albOidc?: AlbOidcSettings;
  /** Host check, proxy trust (default from the environment: L1T_ALLOWED_HOSTS, L1T_TRUST_PROXY). */
  security?: HttpSecurity;
}

/** Assembles the Express app (DESIGN.md §5: importable by tests without listening). */
export function createApp(deps: AppDeps): Express {
  const { config, stores, logger } = deps;
  const metrics = deps.metrics ?? createMetrics();
  const app = express();
  app.disable('x-powered-by');
  const security = deps.security ?? loadHttpSecurity(process.env);
  // Only configured proxies may name the client (X-Forwarded-For): otherwise any client could rotate it.
  app.set('trust proxy', security.trustProxy);
  app.use(hostCheck(security.allowedHosts));
  app.use(securityHeaders());
  app.use(metrics.middleware);
  app.use(pinoHttp({ logger, autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' || req.url === '/metrics' } }));
  app.use(healthRoutes(stores, metrics));

  const api = express.Router();
  api.use(refuseCrossSite());
  api.use(express.json({ limit: '1mb' }));
  api.get('/openapi.json', openApiHandler());
  api.use(authRoutes(stores.metadata));
  // With auth on, a verified ALB OIDC identity (when trusted) stands in for a bearer token.
  const bearerAuth = requireAuth(config.auth, (hash) => stores.metadata.findUserByTokenHash(hash));
  if (config.auth) api.use(albOidcAuth(deps.albOidc ?? loadAlbOidcSettings(process.env)));
  api.use((req, res, next) => (req.user ? next() : bearerAuth(req, res, next)));
  // Viewers read; only engineers and admins upload, change statuses, edit knowledge, regenerate advice.
  api.use(enforceRoles());
  api.get('/auth/me', meHandler);
  api.use(dashboardRoutes(stores));
  api.use(metricRoutes(stores.anomalies));
  api.get('/config', (req, res) => {
    res.json({ auth: config.auth, advisor: config.advisor.provider, user: req.user?.username ?? null });
  });
  api.use(crossSourceRoutes(stores));
  api.use(reportRoutes(stores));
  api.use(profileRoutes(stores.metadata, deps.onJobQueued ?? (() => undefined)));
  api.use('/sessions', sessionRoutes(stores));
  const uploads = new UploadService(stores.metadata, config.uploadDir, config.uploadMaxBytes, deps.onJobQueued ?? (() => undefined));
  // Uploads stream to disk: mounted before any body parser could buffer them.
  api.post('/files', uploadHandler(uploads, config.uploadMaxBytes, stores.metadata));
  api.get('/files/:id/events', fileEventsHandler(stores.metadata));
  api.get('/files/:id/summary', fileSummaryHandler(stores.metadata));
  api.get('/files/:id/ptp', filePtpHandler(stores));
  api.use('/files', fileViewRoutes(stores.metadata));
  api.use('/files', fileRoutes(stores.metadata));
  api.get('/anomalies/export', exportHandler(stores));
  api.use('/anomalies', anomalyRoutes(stores));
  api.use('/incidents', incidentRoutes(stores));
  api.use(recommendationRoutes({ config, stores, registry: metrics.registry }));
  api.use(unknownRoute);
  app.use('/api', api);

  if (deps.webDir && existsSync(join(deps.webDir, 'index.html'))) {
    const webDir = deps.webDir;
    app.use(express.static(webDir, { index: false, maxAge: '1h' }));
    // Client-side routes: every other GET gets the app shell.
    app.get(/^\/(?!api\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(join(webDir, 'index.html'));
    });
  }
  app.use(unknownRoute);
  app.use(errorHandler(logger));
  return app;
}
