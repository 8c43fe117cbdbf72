/** `ml/`: window features and the unsupervised ensemble of `window_stat_outlier`, with its site model. */
export { SeededRandom } from './prng.js';
export {
  median,
  mad,
  robustSigma,
  quantileSorted,
  fitRobustScaler,
  scaleRow,
  type RobustScaler,
  type ScaleFloors,
} from './robust-stats.js';
export { IsolationForest, averagePathLength, type IsolationForestOptions } from './isolation-forest.js';
export { LocalOutlierFactor, type LofOptions } from './lof.js';
export { RobustCovariance, type RobustCovarianceOptions } from './robust-covariance.js';
export { KernelDensity, type KdeOptions } from './density.js';
export { OutlierEnsemble, MODEL_NAMES, type ModelName, type EnsembleOptions, type EnsembleScore } from './ensemble.js';
export {
  WINDOW_FEATURES,
  FEATURE_COUNT,
  WindowFeatureExtractor,
  WindowUnit,
  type WindowFeature,
  type WindowRow,
  type UnitIdentity,
  type WindowFeatureOptions,
} from './window-features.js';
export {
  SITE_MODEL_KIND,
  SITE_MODEL_VERSION,
  DEFAULT_REFIT_EVERY,
  emptySiteModel,
  parseSiteModel,
  updateSiteModel,
  type WindowSiteModel,
  type SiteUnitModel,
} from './site-model.js';
export {
  windowStatOutlierDetector,
  createWindowStatOutlierDefinition,
  bindSiteModel,
  WINDOW_STAT_OUTLIER_THRESHOLDS,
  type WindowStatOutlierOptions,
} from './window-stat-outlier.js';
