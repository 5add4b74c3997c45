import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Controller, DynamicModule, Get, Logger, Module, Redirect } from '@nestjs/common';
import { ServeStaticModule } from '@nestjs/serve-static';
import { Public } from '../common/current-actor.decorator';

/** Where `npm run web:build` puts the web app: dist/web, beside dist/apps (this file is dist/apps/api/src/web). */
export const WEB_DIR = resolve(__dirname, '../../../../web');
export const WEB_ROOT = '/app';

/**
 * What every file of the app is sent with. `index.html` is revalidated on every load (a new release is picked up at
 * once; a stale page never asks for assets that are gone); hashed assets never change, so they are cached for good.
 * The page may load and connect to its own origin only.
 */
function headersFor(path: string): Record<string, string> {
  const common = { 'x-content-type-options': 'nosniff', 'referrer-policy': 'no-referrer' };
  if (path.endsWith('.html'))
    return {
      ...common,
      'cache-control': 'no-cache',
      'content-security-policy': [
        "default-src 'self'",
        "connect-src 'self'",
        "img-src 'self' data:",
        "style-src 'self' 'unsafe-inline'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
      ].join('; '),
      'x-frame-options': 'DENY',
    };
  return { ...common, 'cache-control': 'public, max-age=31536000, immutable' };
}

/** Fastify hands a reply (header), Express a response (setHeader): both are supported. */
interface HeaderTarget {
  setHeader?: (name: string, value: string) => unknown;
  header?: (name: string, value: string) => unknown;
}
function setHeaders(target: HeaderTarget, path: string): void {
  for (const [name, value] of Object.entries(headersFor(path))) {
    if (typeof target.setHeader === 'function') target.setHeader(name, value);
    else target.header?.(name, value);
  }
}

@Controller()
export class RootRedirectController {
  @Public()
  @Get()
  @Redirect(`${WEB_ROOT}/`, 302)
  root(): void {}
}

/** The web app under /app/ (deep links get index.html), and / redirects there. Absent when it was not built. */
@Module({})
export class WebModule {
  static register(dir = WEB_DIR): DynamicModule {
    if (!existsSync(join(dir, 'index.html'))) {
      new Logger('WebModule').warn(`the web app is not built (no ${dir}/index.html): run npm run web:build`);
      return { module: WebModule };
    }
    return {
      module: WebModule,
      controllers: [RootRedirectController],
      imports: [
        ServeStaticModule.forRoot({
          rootPath: dir,
          serveRoot: WEB_ROOT,
          serveStaticOptions: { fallthrough: true, index: ['index.html'], setHeaders, cacheControl: false },
        }),
      ],
    };
  }
}
