import type { RequestHandler } from 'express';
import helmet from 'helmet';
import { ConfigError } from '@l1t/contracts';
import { ApiError } from '../api-error.js';

/**
 * HTTP hardening of the app (issue #17 defect 5): response headers (helmet, CSP), the Host header check
 * against DNS rebinding, refusal of cross-site requests to the API, and which proxies may set the client
 * address. Read from the environment at assembly, like the ALB settings:
 * - `L1T_ALLOWED_HOSTS`: comma list of host names the app answers to (`*` any). Default: the loopback
 *   names when listening on loopback (the local start), any otherwise.
 * - `L1T_TRUST_PROXY`: Express `trust proxy` value (`1` = one hop, e.g. the ALB; a CIDR list; `false`).
 *   Default `false`: `X-Forwarded-For` is ignored, so rotating it cannot pose as another client.
 */
export interface HttpSecurity {
  /** Host names (lower case, no port) accepted in the Host header; undefined: any. */
  allowedHosts: readonly string[] | undefined;
  trustProxy: boolean | number | string;
}

/** The names that always mean this machine (RFC 6761 §6.3: `*.localhost` resolves to loopback). */
const LOOPBACK_NAMES = ['localhost', '127.0.0.1', '::1'];

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host.startsWith('127.') || host === '::1' || host === '[::1]';
}

export function loadHttpSecurity(env: NodeJS.ProcessEnv, listenHost?: string): HttpSecurity {
  const hostsRaw = env.L1T_ALLOWED_HOSTS?.trim();
  let allowedHosts: readonly string[] | undefined;
  if (hostsRaw === '*') allowedHosts = undefined;
  else if (hostsRaw)
    allowedHosts = hostsRaw
      .split(',')
      .map((h) => h.trim().toLowerCase())
      .filter(Boolean);
  else allowedHosts = listenHost !== undefined && isLoopbackHost(listenHost) ? LOOPBACK_NAMES : undefined;
  return { allowedHosts, trustProxy: parseTrustProxy(env.L1T_TRUST_PROXY) };
}

function parseTrustProxy(raw: string | undefined): boolean | number | string {
  const v = raw?.trim();
  if (!v || v === 'false' || v === '0' || v === 'off') return false;
  if (v === 'true') {
    // `true` trusts every hop: the left-most X-Forwarded-For, which any client writes.
    throw new ConfigError('L1T_TRUST_PROXY: give the number of proxy hops (e.g. 1) or their addresses, not true');
  }
  if (/^\d+$/.test(v)) return Number(v);
  if (!/^[\w.:/, -]+$/.test(v))
    throw new ConfigError(`L1T_TRUST_PROXY: expected a hop count or addresses, got ${JSON.stringify(v)}`);
  return v;
}

/**
 * Response headers: a CSP the built web app passes (its scripts and styles are files of its own origin;
 * inline style attributes are allowed because chart and table libraries set them), no framing at all
 * (`frame-ancestors 'none'` and `X-Frame-Options: DENY`), `nosniff`, no referrer to other sites. No
 * `upgrade-insecure-requests`: the local start is plain http on loopback.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    strictTransportSecurity: false,
    crossOriginEmbedderPolicy: false,
    referrerPolicy: { policy: 'same-origin' },
  });
}

/** The host name of a Host header (`[::1]:5000` → `::1`, `Example.org:80` → `example.org`). */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) return h.slice(1, h.indexOf(']') > 0 ? h.indexOf(']') : undefined);
  const colon = h.lastIndexOf(':');
  return colon >= 0 ? h.slice(0, colon) : h;
}

/**
 * DNS rebinding: a page of evil.example whose name is made to resolve to 127.0.0.1 reaches the local app
 * as same-origin, but its requests carry `Host: evil.example`. Only the allowed names are answered (421).
 */
export function hostCheck(allowed: readonly string[] | undefined): RequestHandler {
  if (!allowed) return (_req, _res, next) => next();
  const set = new Set(allowed);
  const loopbackAllowed = set.has('localhost');
  return (req, _res, next) => {
    const name = hostName(req.headers.host ?? '');
    if (set.has(name) || (loopbackAllowed && name.endsWith('.localhost'))) return next();
    next(new ApiError(421, 'misdirected', `this server does not answer to host ${JSON.stringify(name)}`));
  };
}

/**
 * Cross-site requests to the API are refused (403 `cross_site`): a page on another origin can send a
 * `no-cors` form POST, or a GET that regenerates advice, and the browser adds any cookie (the ALB's
 * session) — the answer is unreadable to it but the change would be made. A browser names the initiator
 * (`Origin` on every non-GET, `Sec-Fetch-Site` on every request of a current browser); clients that are
 * not browsers (the CLI, curl, scripts) send neither and are not affected.
 */
export function refuseCrossSite(): RequestHandler {
  return (req, _res, next) => {
    const site = req.headers['sec-fetch-site'];
    if (site === 'cross-site' || site === 'same-site') {
      return next(new ApiError(403, 'cross_site', 'requests from other sites are refused'));
    }
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    let originHost = '';
    try {
      // Sandboxed frames and some redirects send `Origin: null`: never the app itself.
      originHost = origin === 'null' ? '' : new URL(origin).host.toLowerCase();
    } catch {
      /* refused below */
    }
    if (!originHost || originHost !== (req.headers.host ?? '').toLowerCase())
      return next(new ApiError(403, 'cross_site', 'requests from other sites are refused'));
    next();
  };
}
