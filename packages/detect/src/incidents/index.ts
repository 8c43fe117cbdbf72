export { groupIncidents, INCIDENT_JOIN_MS } from './group-incidents.js';
export { incidentScope } from './incident-scope.js';
export { findingSpan } from './incident-span.js';
export { incidentStory, type IncidentStory } from './incident-story.js';
export type { IncidentFinding, IncidentGroup } from './incident-types.js';
