// Screens whose code is a chunk of its own, loaded on demand or ahead of time.
import { lazy, type ComponentType, type LazyExoticComponent } from 'react';

type ScreenModule = { default: ComponentType };

/** Screens whose download failed, each with how to make it try again (React.lazy keeps a failure for good). */
const failed = new Set<() => void>();

/** Let every screen whose download failed try again the next time it is shown (Try again, back online, another page). */
export function retryFailedScreens(): void {
  for (const renew of failed) renew();
  failed.clear();
}

/**
 * A lazily loaded screen that can also be loaded ahead (`preload`), e.g. while online, so it opens offline.
 * - Code already here is handed to React at once (a thenable that answers synchronously): React.lazy would otherwise
 *   suspend for a tick, and React holds a revealed fallback back for 300 ms.
 * - A download that failed stays failed (React retries a render, and a fresh attempt each time would never end)
 *   until retryFailedScreens() replaces it with a fresh one.
 */
export function lazyScreen(load: () => Promise<ScreenModule>) {
  let loaded: ScreenModule | undefined;
  let loading: Promise<ScreenModule> | undefined;
  const preload = (): Promise<ScreenModule> =>
    (loading ??= load().then(
      (module) => (loaded = module),
      (error: unknown) => {
        loading = undefined;
        throw error;
      },
    ));
  const fresh = (): LazyExoticComponent<ComponentType> =>
    lazy(() => {
      const here = loaded;
      if (here) {
        return { then: (resolve: (module: ScreenModule) => void) => resolve(here) } as unknown as Promise<ScreenModule>;
      }
      return preload().catch((error: unknown) => {
        failed.add(renew);
        throw error;
      });
    });
  let current = fresh();
  const renew = () => {
    current = fresh();
  };
  function Screen() {
    const Current = current;
    return <Current />;
  }
  return { Component: Screen, preload };
}
