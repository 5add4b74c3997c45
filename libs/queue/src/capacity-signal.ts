import { Injectable } from '@nestjs/common';

/**
 * An in-process notice that bed counts changed, given before the change is published to Redis: a cache in the
 * same process forgets at once (so a caller reads its own change back), other processes hear it through Redis.
 */
@Injectable()
export class CapacitySignal {
  private readonly listeners = new Set<(regionPath: readonly string[]) => void>();

  /** Returns the function that stops listening. */
  listen(listener: (regionPath: readonly string[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Counts changed in a shelter of the last region of `regionPath` (the path from the top region down). */
  changed(regionPath: readonly string[]): void {
    for (const listener of this.listeners) listener(regionPath);
  }
}
