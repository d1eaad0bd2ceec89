import type { CircuitBreakerPolicy } from 'cockatiel';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { AiConfig } from '../../config.js';
import type { Db } from '../../db/client.js';
import type { Clock } from '../../platform/clock.js';
import type { AiEnvelope } from './gateway-types.js';
import type { AiMetrics } from './metrics.js';
import type { PriceBook } from './prices.js';
import type { Provider, ProviderRequest } from './providers/provider.js';

export type AiGatewayDeps = {
  db: Db;
  clock: Clock;
  config: AiConfig;
  /** The app's Prometheus registry; the gateway's series are added to it. */
  registry: Registry;
  logger: Logger;
};

/** The configured provider and what guards it: the offline provider has no breaker (it cannot fail). */
export type Upstream = { provider: Provider; model: string; breaker: CircuitBreakerPolicy | null };

export type CallContext = {
  deps: AiGatewayDeps;
  metrics: AiMetrics;
  upstream: Upstream;
  local: Provider;
  prices: PriceBook;
};

/** An attempt's timeout: the envelope's when it asks a shorter one, else AI_TIMEOUT_MS. */
export function attemptTimeoutMs(config: AiConfig, envelope: AiEnvelope): number {
  return Math.min(envelope.timeoutMs ?? config.timeoutMs, config.timeoutMs);
}

export function requestOf(envelope: AiEnvelope, model: string): ProviderRequest {
  return { model, temperature: envelope.temperature, maxTokens: envelope.maxTokens, messages: envelope.messages, feature: envelope.feature };
}

