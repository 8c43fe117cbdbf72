// Process entry of `l1t` (bin/l1t.js imports the compiled form of this file).
import { processIo } from './io.js';
import { runCli } from './program.js';

// No top-level await: the bundle that bin/l1t.js runs is CommonJS (apps/cli/bundle.mjs says why).
void runCli(process.argv.slice(2), processIo()).then((status) =>
  // Let stdout drain before leaving (`l1t analyze --format jsonl | head` must not lose lines), then exit even
  // if a worker pool or a store handle is still winding down.
  process.stdout.write('', () => process.exit(status)),
);
