// Process entry of `l1t` (bin/l1t.js imports the compiled form of this file).
import { processIo } from './io.js';
import { runCli } from './program.js';

const status = await runCli(process.argv.slice(2), processIo());
// Let stdout drain before leaving (`l1t analyze --format jsonl | head` must not lose lines), then exit even
// if a worker pool or a store handle is still winding down.
process.stdout.write('', () => process.exit(status));
