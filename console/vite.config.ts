import { defineConfig } from 'vitest/config';
import preact from '@preact/preset-vite';
import { fileURLToPath } from 'node:url';

// The control plane serves the built files from its classpath at /ui/ (micronaut static
// resources, classpath:console). The Maven build runs `npm run build` with this output folder.
const outDir =
  process.env.FEDPLANE_CONSOLE_OUT ??
  fileURLToPath(new URL('../control-plane/target/classes/console', import.meta.url));

export default defineConfig({
  base: '/ui/',
  plugins: [preact()],
  build: { outDir, emptyOutDir: true, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/api': 'http://127.0.0.1:8080' } },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test-setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
