// Preloaded with `node --import` by analyze-startup.int.test.ts: writes every module the process loaded to the
// file named by L1T_TRACE_MODULES, one URL or path a line — ES modules through a resolve hook (Node ≥ 20.6
// runs it on the loader thread, which appends to the file itself), CommonJS ones from require.cache at exit
// (require() inside CommonJS does not pass the hooks on Node 20).
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';

const out = process.env.L1T_TRACE_MODULES;
if (out) {
  register(
    'data:text/javascript,' +
      encodeURIComponent(`
        import { appendFileSync } from 'node:fs';
        let out;
        export function initialize(data) { out = data.out; }
        export async function resolve(specifier, context, next) {
          const r = await next(specifier, context);
          appendFileSync(out, r.url + '\\n');
          return r;
        }`),
    { data: { out } },
  );
  const require = createRequire(import.meta.url);
  process.on('exit', () => appendFileSync(out, Object.keys(require.cache).join('\n') + '\n'));
}
