import type { AdvisorSettings } from '../advisor-settings.js';
import type { AdviceProvider } from '../types.js';
import { BedrockProvider } from './bedrock-provider.js';
import { OfflineProvider } from './offline-provider.js';
import { OpenAiProvider } from './openai-provider.js';

/** The provider the deployment configured (`L1T_ADVISOR`); offline when nothing else is. */
export function createProvider(s: AdvisorSettings): AdviceProvider {
  switch (s.provider) {
    case 'bedrock':
      return new BedrockProvider({
        region: s.awsRegion,
        modelId: s.bedrockModelId,
        maxAttempts: s.maxAttempts,
        connectTimeoutMs: s.connectTimeoutMs,
        idleTimeoutMs: s.idleTimeoutMs,
      });
    case 'openai':
      return new OpenAiProvider({
        baseUrl: s.openaiBaseUrl!,
        model: s.openaiModel!,
        ...(s.openaiApiKey ? { apiKey: s.openaiApiKey } : {}),
        maxAttempts: s.maxAttempts,
        connectTimeoutMs: s.connectTimeoutMs,
        idleTimeoutMs: s.idleTimeoutMs,
      });
    default:
      return new OfflineProvider();
  }
}
