import { defineConfig } from 'vite';

// The UI is served by `cst serve` from `/` (SPA fallback to index.html), so
// assets use absolute paths. During `npm run dev` the API is proxied to a
// locally running server (CST_URL, default http://127.0.0.1:18080).
export default defineConfig({
  base: '/',
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Fonts are small woff2 files; keep them as separate, cacheable assets.
    assetsInlineLimit: 0,
    chunkSizeWarningLimit: 400,
    // The Sass compile of Bootstrap Italia dominates the build; no need to say so each time.
    rolldownOptions: { checks: { pluginTimings: false } },
  },
  css: {
    preprocessorOptions: {
      scss: {
        // Bootstrap Italia's sources are reached through this load path, so
        // quietDeps hides the deprecation warnings of its (older) Sass code.
        loadPaths: ['node_modules'],
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'color-functions', 'legacy-js-api', 'slash-div', 'if-function'],
      },
    },
  },
  server: {
    proxy: {
      '/api': process.env.CST_URL ?? 'http://127.0.0.1:18080',
    },
  },
});
