export * from './app.js';
export * from './server.js';
export * from './logger.js';
export * from './api-error.js';
export * from './metrics.js';
export { hashToken, requireAuth, type AuthUser } from './middleware/auth.js';
export * from './run.js';
