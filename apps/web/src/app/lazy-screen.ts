// Screens whose code is a chunk of its own, loaded on demand or ahead of time.
import { lazy, type ComponentType } from 'react';

type ScreenModule = { default: ComponentType };

/**
 * A lazily loaded screen that can also be loaded ahead (`preload`), e.g. while online, so it opens offline. Code
 * already here is handed to React at once (a thenable that answers synchronously): React.lazy would otherwise
 * suspend for a tick, and React holds a revealed fallback back for 300 ms.
 */
export function lazyScreen(load: () => Promise<ScreenModule>) {
  let loaded: ScreenModule | undefined;
  let loading: Promise<ScreenModule> | undefined;
  const preload = (): Promise<ScreenModule> =>
    (loading ??= load().then(
      (module) => (loaded = module),
      (error: unknown) => {
        loading = undefined; // a failed download is tried again next time
        throw error;
      },
    ));
  const Component = lazy(() => {
    const here = loaded;
    if (!here) return preload();
    return { then: (resolve: (module: ScreenModule) => void) => resolve(here) } as unknown as Promise<ScreenModule>;
  });
  return { Component, preload };
}
