export * from './anomaly.js';
export * from './files.js';
export * from './profile.js';
export * from './config.js';
export * from './catalogue.js';
export * from './csv.js';
export * from './incident.js';
