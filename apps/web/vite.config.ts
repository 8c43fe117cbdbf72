import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  plugins: [react()],
  // The API listens on 127.0.0.1 by default (localhost may resolve to ::1 first).
  server: { proxy: { '/api': 'http://127.0.0.1:5000' } },
  build: { outDir: 'dist', sourcemap: true },
});
