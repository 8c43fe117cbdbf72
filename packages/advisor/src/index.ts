export * from './types.js';
export * from './advisor-settings.js';
export * from './advisor-service.js';
export { RateLimiter } from './rate-limiter.js';
export { buildPrompt, retrievalQuery, type BuiltPrompt, type PromptContext } from './prompt/build-prompt.js';
export { ANSWER_SECTIONS, PROMPT_VERSION, SYSTEM_PROMPT } from './prompt/system-prompt.js';
export {
  quoteUntrusted,
  boundValue,
  escapeJson,
  DEFAULT_UNTRUSTED_LIMITS,
  type UntrustedLimits,
} from './prompt/untrusted.js';
export { BedrockProvider, type BedrockProviderOptions } from './providers/bedrock-provider.js';
export { OpenAiProvider, type OpenAiProviderOptions } from './providers/openai-provider.js';
export {
  OfflineProvider,
  OFFLINE_MODEL,
  composeOfflineAnswer,
  fillPlaceholders,
} from './providers/offline-provider.js';
export { SseParser, type SseEvent } from './providers/sse-parser.js';
export { createProvider } from './providers/create-provider.js';
export {
  KnowledgeBase,
  loadKnowledgeBase,
  DELETED_BUILTINS_KEY,
  type KnowledgeStore,
} from './knowledge/knowledge-base.js';
export {
  KNOWLEDGE_DIR,
  BUILTIN_TAG,
  EDITED_TAG,
  KnowledgeFileError,
  parseKnowledgeFile,
  readKnowledgeFiles,
  splitSections,
} from './knowledge/knowledge-files.js';
