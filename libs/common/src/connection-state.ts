import { Logger } from '@nestjs/common';

/** A client that reports its connection's errors and its return to service (ioredis, BullMQ queues and workers). */
interface Reporting {
  on(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * One concise log line per change of a connection's state, instead of a stack trace per failed attempt: "lost"
 * (with the error's type and code only) at the first error, "back" when it is ready again.
 */
export class ConnectionState {
  private down = false;

  constructor(
    private readonly logger: Logger,
    private readonly what: string,
  ) {}

  /** Listens to `client`'s errors (so none goes unhandled to the console) and, when given, to its return. */
  watch(client: Reporting, ready?: { on(event: 'ready', listener: () => void): unknown }): this {
    client.on('error', (error) => this.lost(error));
    ready?.on('ready', () => this.back());
    return this;
  }

  lost(error: (Error & { code?: string }) | undefined): void {
    if (this.down) return;
    this.down = true;
    const code = error?.code;
    this.logger.warn({ connection: this.what, err: { type: error?.name, code } }, `${this.what}: connection lost`);
  }

  back(): void {
    if (!this.down) return;
    this.down = false;
    this.logger.log({ connection: this.what }, `${this.what}: connection back`);
  }
}
