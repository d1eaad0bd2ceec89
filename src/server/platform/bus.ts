import { EventEmitter } from 'node:events';
import type { Redis } from 'ioredis';

export type BusHandler = (message: string) => void;

/**
 * Pub/sub between instances: the doorbell that tells live connections "something was committed". It
 * carries no truth of its own — subscribers read the committed state (the event log) when it rings — so a
 * lost message only delays, never loses.
 */
export interface Bus {
  publish(topic: string, message: string): Promise<void>;
  /** Answers a function that unsubscribes. */
  subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>>;
  close(): Promise<void>;
}

/** In-process bus: enough for one instance (the embedded default). */
export class MemoryBus implements Bus {
  private readonly emitter = new EventEmitter().setMaxListeners(0);

  async publish(topic: string, message: string): Promise<void> {
    this.emitter.emit(topic, message);
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    this.emitter.on(topic, handler);
    return async () => {
      this.emitter.off(topic, handler);
    };
  }

  async close(): Promise<void> {
    this.emitter.removeAllListeners();
  }
}

/**
 * Redis pub/sub: every instance on the same Redis hears every publish. Subscribing needs a connection of
 * its own, duplicated from the given one; topics are subscribed once however many local handlers share them.
 */
export class RedisBus implements Bus {
  private readonly subscriber: Redis;
  private readonly local = new EventEmitter().setMaxListeners(0);

  private readonly prefix: string;

  constructor(
    private readonly publisher: Redis,
    options: { prefix?: string; onError?: (error: Error) => void } = {},
  ) {
    this.prefix = options.prefix ?? 'onering:bus:';
    this.subscriber = publisher.duplicate();
    this.subscriber.on('message', (channel: string, message: string) => this.local.emit(channel, message));
    if (options.onError) this.subscriber.on('error', options.onError);
  }

  async publish(topic: string, message: string): Promise<void> {
    await this.publisher.publish(this.prefix + topic, message);
  }

  async subscribe(topic: string, handler: BusHandler): Promise<() => Promise<void>> {
    const channel = this.prefix + topic;
    if (this.local.listenerCount(channel) === 0) await this.subscriber.subscribe(channel);
    this.local.on(channel, handler);
    return async () => {
      this.local.off(channel, handler);
      if (this.local.listenerCount(channel) === 0) await this.subscriber.unsubscribe(channel);
    };
  }

  async close(): Promise<void> {
    this.local.removeAllListeners();
    await this.subscriber.quit().catch(() => undefined);
  }
}
