import { Counter, Gauge, Histogram, type Registry } from 'prom-client';
import type { AiFeature, AiOutcome, AiProvider, BreakerState } from '../../../contract/coach.js';
import type { BudgetScope } from './errors.js';

const BREAKER_VALUES: Record<BreakerState, number> = { closed: 0, 'half-open': 1, open: 2, isolated: 2 };

/** The gateway's Prometheus series. Labels are closed sets (feature, provider, outcome): never user text. */
export class AiMetrics {
  private readonly cost: Counter<'feature' | 'provider'>;
  private readonly tokens: Counter<'feature' | 'provider' | 'direction'>;
  private readonly duration: Histogram<'feature' | 'provider' | 'outcome'>;
  private readonly calls: Counter<'feature' | 'provider' | 'outcome'>;
  private readonly breaker: Gauge<'provider'>;
  private readonly refusals: Counter<'feature' | 'scope'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.cost = new Counter({ name: 'onering_ai_cost_usd_total', help: 'What provider calls cost, in USD', labelNames: ['feature', 'provider'], registers });
    this.tokens = new Counter({
      name: 'onering_ai_tokens_total',
      help: 'Tokens of provider calls, input and output',
      labelNames: ['feature', 'provider', 'direction'],
      registers,
    });
    this.duration = new Histogram({
      name: 'onering_ai_call_duration_seconds',
      help: 'How long one provider call took, by outcome',
      labelNames: ['feature', 'provider', 'outcome'],
      buckets: [0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 40],
      registers,
    });
    this.calls = new Counter({ name: 'onering_ai_calls_total', help: 'Provider calls by outcome', labelNames: ['feature', 'provider', 'outcome'], registers });
    this.breaker = new Gauge({ name: 'onering_ai_breaker_state', help: 'Circuit breaker per provider: 0 closed, 1 half-open, 2 open', labelNames: ['provider'], registers });
    this.refusals = new Counter({
      name: 'onering_ai_budget_refusals_total',
      help: 'Calls refused because a daily budget would be passed, by the budget that refused',
      labelNames: ['feature', 'scope'],
      registers,
    });
  }

  call(feature: AiFeature, provider: AiProvider, outcome: AiOutcome, seconds: number, tokens: { input: number; output: number }, costMicros: number): void {
    this.calls.inc({ feature, provider, outcome });
    this.duration.observe({ feature, provider, outcome }, seconds);
    this.tokens.inc({ feature, provider, direction: 'input' }, tokens.input);
    this.tokens.inc({ feature, provider, direction: 'output' }, tokens.output);
    this.cost.inc({ feature, provider }, costMicros / 1_000_000);
  }

  breakerState(provider: AiProvider, state: BreakerState): void {
    this.breaker.set({ provider }, BREAKER_VALUES[state]);
  }

  refused(feature: AiFeature, scope: BudgetScope): void {
    this.refusals.inc({ feature, scope });
  }
}
