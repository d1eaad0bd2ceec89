import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'src/web',
  plugins: [react()],
  build: { outDir: '../../dist/web', emptyOutDir: true, sourcemap: true },
  // The server also renders the pages of published drafts (/p/…) and preview links (/s/…).
  server: { proxy: { '/v1': 'http://localhost:3000', '/p/': 'http://localhost:3000', '/s/': 'http://localhost:3000' } },
});
