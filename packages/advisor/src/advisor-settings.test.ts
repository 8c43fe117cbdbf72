import { loadConfig } from '@l1t/contracts';
import { describe, expect, it } from 'vitest';
import { estimateCost, loadAdvisorSettings, NOVA_PRO_PRICE_PER_1K } from './advisor-settings.js';
import { RateLimiter } from './rate-limiter.js';
import { SseParser } from './providers/sse-parser.js';

describe('advisor settings', () => {
  it('defaults to Nova Pro on-demand prices for bedrock and zero elsewhere; env overrides', () => {
    const bedrock = loadAdvisorSettings(loadConfig({ L1T_ADVISOR: 'bedrock' }).advisor, {});
    expect(bedrock.pricePer1k).toEqual(NOVA_PRO_PRICE_PER_1K);
    expect(bedrock.bedrockModelId).toBe('amazon.nova-pro-v1:0');
    expect(loadAdvisorSettings(loadConfig({}).advisor, {}).pricePer1k).toEqual({ input: 0, output: 0 });
    const custom = loadAdvisorSettings(loadConfig({ L1T_ADVISOR: 'bedrock' }).advisor, {
      L1T_ADVISOR_PRICE_INPUT_PER_1K: '0.001',
      L1T_ADVISOR_PRICE_OUTPUT_PER_1K: '0.004',
      L1T_ADVISOR_RATE_LIMIT: '3',
    });
    expect(custom.pricePer1k).toEqual({ input: 0.001, output: 0.004 });
    expect(custom.rateLimitPerMinute).toBe(3);
  });

  it('names the variable of a bad value, and requires base URL and model for openai', () => {
    expect(() => loadAdvisorSettings(loadConfig({}).advisor, { L1T_ADVISOR_RATE_LIMIT: 'lots' })).toThrow(
      /L1T_ADVISOR_RATE_LIMIT/,
    );
    expect(() => loadAdvisorSettings(loadConfig({ L1T_ADVISOR: 'openai' }).advisor, {})).toThrow(/OPENAI_BASE_URL/);
  });

  it('estimates cost per 1K tokens', () => {
    expect(estimateCost({ inputTokens: 1000, outputTokens: 500 }, NOVA_PRO_PRICE_PER_1K)).toBe(0.0024);
  });
});

describe('RateLimiter', () => {
  it('allows the limit per window and then answers how long to wait', () => {
    let now = 0;
    const rl = new RateLimiter(2, 60_000, () => now);
    expect(rl.take('u').ok).toBe(true);
    now = 1_000;
    expect(rl.take('u').ok).toBe(true);
    expect(rl.take('u')).toEqual({ ok: false, retryAfterMs: 59_000 });
    expect(rl.take('other').ok).toBe(true);
    now = 60_001;
    expect(rl.take('u').ok).toBe(true);
  });
});

describe('SseParser', () => {
  it('joins data lines, keeps event names, ignores comments, handles CR LF split across chunks', () => {
    const p = new SseParser();
    expect(p.push('event: done\r')).toEqual([]);
    expect(p.push('\ndata: a\ndata: b\n: ping\n')).toEqual([]);
    expect(p.push('\n')).toEqual([{ event: 'done', data: 'a\nb' }]);
    expect(p.push('data:x\n\n')).toEqual([{ event: 'message', data: 'x' }]);
  });
});
