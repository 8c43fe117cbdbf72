export {
  relatedAcrossSources,
  candidateRange,
  isoToNs,
  DEFAULT_RELATION,
  type TimedFinding,
  type RelationOptions,
  type RelatedFinding,
} from './related-findings.js';
