import { defineConfig } from 'vite';

// The web app is served by the API under /app/ (see apps/api/src/web/web.module.ts). In development this server
// proxies the API, so the app and the API share one origin (the refresh cookie is SameSite=Strict, Path=/graphql).
const api = process.env.SHELTERLINK_API ?? 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  base: '/app/',
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // read by npm run bench:web to weigh each role's initial JavaScript
    manifest: true,
    rollupOptions: {
      // react-router marks its modules "use client" (for server components); meaningless in this app
      onwarn(warning, warn) {
        if (warning.code !== 'MODULE_LEVEL_DIRECTIVE') warn(warning);
      },
    },
  },
  server: {
    port: 5173,
    proxy: {
      '/graphql': { target: api, ws: true },
      '/exports': { target: api },
      '/health': { target: api },
    },
  },
});
