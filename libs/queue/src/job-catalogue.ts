/**
 * The one list of queues and jobs: name → payload, queue and retry policy. Payloads carry ids only — BullMQ
 * keeps job data in clear text in Redis, so no survivor data may ever be put here.
 */
export const QueueName = {
  SYSTEM: 'system',
} as const;
export type QueueName = (typeof QueueName)[keyof typeof QueueName];

export interface JobPayloads {
  /** Round trip through the worker, used by health checks and tests. */
  'system.ping': { requestedAt: string };
}
export type JobName = keyof JobPayloads;

export const JOBS: { [N in JobName]: { queue: QueueName; attempts: number; backoffMs: number } } = {
  'system.ping': { queue: QueueName.SYSTEM, attempts: 1, backoffMs: 0 },
};
