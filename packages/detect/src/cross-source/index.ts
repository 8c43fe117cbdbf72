export {
  relatedAcrossSources,
  candidateRanges,
  type CandidateRange,
  isoToNs,
  DEFAULT_RELATION,
  type TimedFinding,
  type RelationOptions,
  type RelatedFinding,
} from './related-findings.js';
