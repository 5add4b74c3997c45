import { AppConfig, ConfigError } from '@shelterlink/config';

/**
 * The BullMQ worker's lock and stalled-check timings from the configuration (WORKER_JOB_LOCK_MS,
 * WORKER_STALLED_CHECK_MS). `@Processor` takes its options when the module is loaded, before Nest's container
 * exists, so the configuration is read here once more. An invalid configuration is reported by main.ts, which
 * then refuses to start; here it only leaves the timings unset.
 */
export function workerTimings(): { lockDuration?: number; stalledInterval?: number } {
  try {
    const { env } = new AppConfig();
    return { lockDuration: env.WORKER_JOB_LOCK_MS, stalledInterval: env.WORKER_STALLED_CHECK_MS };
  } catch (error) {
    if (error instanceof ConfigError) return {};
    throw error;
  }
}
