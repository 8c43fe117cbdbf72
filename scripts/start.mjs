// `npm start`: build what is needed, make example inputs on first start, analyse them into the embedded
// stores and serve the app on http://localhost:5000 (or $PORT).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const cli = join(root, 'apps/cli/bin/l1t.js');
const dataDir = resolve(root, process.env.L1T_DATA_DIR ?? '.l1t');
const examples = join(dataDir, 'examples');

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`npm start: '${cmd} ${args.join(' ')}' failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}

if (process.env.L1T_SKIP_BUILD !== '1') {
  console.error('npm start: building…');
  run('npm', ['run', '--silent', 'build']);
}

// Example inputs are generated, not shipped: a synthetic O-RAN capture with known faults (labels beside it),
// 10 MHz at 15 kHz with one DL and one UL eAxC so that it stays small (~40 MB).
const capture = join(examples, 'fronthaul-example.pcapng');
if (!existsSync(capture)) {
  mkdirSync(examples, { recursive: true });
  console.error(`npm start: generating example inputs in ${examples}`);
  run(process.execPath, [cli, 'synth', 'fronthaul', '--out', capture, '--labels', join(dataDir, 'fronthaul-example.labels.jsonl'), '--duration', '1', '--seed', '1', '--faults', 'example', '--scs', '15', '--nrb', '52', '--eaxc', 'dl=0 ul=0']);
}

const server = spawn(process.execPath, [cli, 'serve', '--examples', examples, ...process.argv.slice(2)], {
  cwd: root,
  stdio: 'inherit',
  env: { ...process.env, L1T_DATA_DIR: dataDir },
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill(sig));
server.on('exit', (code, signal) => process.exit(code ?? (signal ? 0 : 1)));
