import type { RequestHandler } from 'express';
import { ApiError } from '../api-error.js';

/** Roles that may change things: upload, change an anomaly's status, edit knowledge, regenerate advice. */
export const WRITER_ROLES: ReadonlySet<string> = new Set(['admin', 'engineer']);

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * The path as Express routes it: its routers are case-insensitive and not strict (a trailing slash is
 * optional), so `/ANOMALIES/x/Status/` reaches the same handler as `/anomalies/x/status` and must be judged
 * the same (issue #17: a viewer regenerated advice through an upper-case path).
 */
function routedForm(path: string): string {
  return path
    .toLowerCase()
    .replace(/\/{2,}/g, '/')
    .replace(/(.)\/+$/, '$1');
}

/** What a request would change, or undefined when it only reads (paths relative to the /api router). */
export function writeAction(method: string, rawPath: string, query: Record<string, unknown>): string | undefined {
  const path = routedForm(rawPath);
  if (SAFE_METHODS.has(method.toUpperCase())) {
    // Regenerating a recommendation asks the model again and replaces the stored answer. Any value but an
    // explicit no counts (fails closed: a repeated or odd value is refused here, not guessed at later).
    if (/^\/anomalies\/[^/]+\/recommendation\/stream$/.test(path)) {
      const r = query.regenerate;
      if (r !== undefined && r !== '0' && r !== 'false') return 'regenerate recommendations';
    }
    return undefined;
  }
  // Signing in (and out) is every user's own business.
  if (path.startsWith('/auth/')) return undefined;
  if (path === '/files' || path.startsWith('/files/')) return 'upload files';
  if (/^\/anomalies\/[^/]+\/status$/.test(path)) return 'change the status of anomalies';
  if (path === '/knowledge' || path.startsWith('/knowledge/')) return 'change the knowledge base';
  return 'change data';
}

/**
 * Role enforcement, mounted after authentication: viewers read everything but change nothing (403
 * `forbidden`); engineers and admins may. Every non-read request is a write unless listed as the user's own
 * (`/auth/*`), so a new route is guarded by default. With auth off requests run as the local admin.
 */
export function enforceRoles(): RequestHandler {
  return (req, _res, next) => {
    const action = writeAction(req.method, req.path, req.query as Record<string, unknown>);
    if (action === undefined) return next();
    const role = req.user?.role;
    if (role !== undefined && WRITER_ROLES.has(role)) return next();
    next(new ApiError(403, 'forbidden', `the ${role ?? 'anonymous'} role cannot ${action}`));
  };
}
