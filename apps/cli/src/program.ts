import { Command, CommanderError, Option } from 'commander';
import { EXIT_INTERNAL, EXIT_USAGE, ReportedExit, UsageError } from './cli-errors.js';
import type { CliIo } from './io.js';
import { TRAFFIC_SHAPES } from '@l1t/capture';

/**
 * Builds the `l1t` program; each action stores its exit status in `status`. Commands are imported when
 * they run: `l1t analyze --no-store` does not load the server, the stores' engines or the AWS SDK (half the
 * memory of a start that loads them all).
 */
function buildProgram(io: CliIo, setStatus: (n: number) => void): Command {
  const program = new Command('l1t')
    .description('L1 Troubleshooting System: decode fronthaul captures and UE logs, find physical-layer anomalies')
    .version('0.1.0')
    .exitOverride()
    .configureOutput({ writeOut: (s) => io.stdout.write(s), writeErr: (s) => io.stderr.write(s) })
    .showHelpAfterError('(run l1t --help for usage)');

  program
    .command('analyze')
    .description('analyse captures and logs (files or folders, recursively; - reads standard input)')
    .argument('[paths...]', 'files or folders')
    .option('--profile <file>', 'analysis profile (JSON)')
    .option(
      '--list-thresholds',
      'print every detector threshold a profile may set (type, option, default, unit, description) and exit',
    )
    .addOption(
      new Option('--format <format>', 'output: table (default on a terminal), json, jsonl (default otherwise)'),
    )
    .option('--no-store', 'do not write to any database')
    .option('--watch', 'keep watching the folders and analyse new files once they stop growing')
    .option('--interval <seconds>', 'poll interval of --watch', '2')
    .option('--workers <n>', 'parallel workers (default: number of cores)')
    .option('--session <name>', 'name of the analysis session recorded in the store')
    .action(async (paths: string[], opts) =>
      setStatus(await (await import('./commands/analyze.js')).analyzeCommand(paths, opts, io)),
    );

  program
    .command('decode')
    .description('one JSON object per packet, keyed by Wireshark display-filter field names')
    .argument('<file>', 'pcap or pcapng capture')
    .option('--profile <file>', 'analysis profile (JSON): eAxC split, compression, IQ width, UDP ports')
    .option('--format <format>', 'jsonl (the only format)', 'jsonl')
    .option('--fields <list>', 'comma-separated field names to print (default: all)')
    .action(async (file: string, opts) =>
      setStatus(await (await import('./commands/decode.js')).decodeCommand(file, opts, io)),
    );

  program
    .command('serve')
    .description('web application and API on one port')
    .option('--port <port>', 'port (default $PORT or 5000)')
    .option('--host <host>', 'interface to listen on (default 127.0.0.1: this machine only)')
    .option('--examples <folder>', 'analyse this folder into the "examples" session before serving (once)')
    .action(async (opts) => setStatus(await (await import('./commands/serve.js')).serveCommand(opts, io)));

  program
    .command('synth')
    .description('write a realistic capture or UE log with injected faults and their ground-truth labels')
    .argument('<kind>', 'fronthaul | ue | ptp-log (alias linuxptp)')
    .requiredOption(
      '--out <file>',
      'capture to write (.pcapng for pcapng, else pcap); ue: .dlf for DLF, else .qmdl; ptp-log: linuxptp text log',
    )
    .requiredOption('--labels <file>', 'ground truth: one JSON line per injected fault')
    .option('--faults <spec>', "faults, e.g. 'seq_gap@1.5:eaxc=1,count=3;rx_window_late@2' ('example': a demo mix)")
    .option('--seed <n>', 'random seed (same seed, same bytes)', '1')
    .option(
      '--duration <seconds>',
      'length in seconds (default: fronthaul 1, ue 10, ue event log .txt 600, ptp-log 600)',
    )
    .option('--scs <khz>', 'subcarrier spacing (default 30)')
    .option('--nrb <n>', 'carrier PRBs (default 273: 100 MHz at 30 kHz)')
    .option('--eaxc <spec>', "eAxC ids per direction (default 'dl=0,1,2,3 ul=0,1')")
    .option(
      '--shape <name>',
      `traffic shape: ${TRAFFIC_SHAPES.join(', ')} (default 'default'); faults pick an O-RU of the two-ru shapes with ru=N; ptp-log: verbose (ptp4l -m, default) or syslog`,
    )
    .option('--profile-out <file>', 'write the analysis profile (JSON) that states what the capture carries')
    .action(async (kind: string, opts) =>
      setStatus(await (await import('./commands/synth.js')).synthCommand(kind, opts, io)),
    );

  program
    .command('worker')
    .description('claim analysis jobs from the PostgreSQL queue (scale out with more workers)')
    .option('--concurrency <n>', 'jobs at the same time', '1')
    .option('--poll <seconds>', 'poll interval when the queue is empty', '2')
    .option('--once', 'run what is queued, then exit')
    .action(async (opts) => setStatus(await (await import('./commands/worker.js')).workerCommand(opts, io)));

  program
    .command('migrate')
    .description('apply the database migrations of ClickHouse and PostgreSQL')
    .action(async () => setStatus(await (await import('./commands/migrate.js')).migrateCommand(io)));

  const exp = program.command('export').description('export stored results');
  exp
    .command('anomalies')
    .description('stored anomalies as jsonl, json or csv')
    .option('--format <format>', 'jsonl, json or csv', 'jsonl')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--session <id>', 'only this session')
    .option('--file <id>', 'only this file')
    .option('--type <types>', 'comma-separated anomaly types')
    .option('--severity <levels>', 'comma-separated severities')
    .option('--limit <n>', 'at most this many')
    .action(async (opts) => setStatus(await (await import('./commands/export.js')).exportAnomaliesCommand(opts, io)));
  exp
    .command('incidents')
    .description('stored incidents (related findings grouped per file) as jsonl or json, with their member ids')
    .option('--format <format>', 'jsonl or json', 'jsonl')
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--session <id>', 'only this session')
    .option('--file <id>', 'only this file')
    .action(async (opts) => setStatus(await (await import('./commands/export.js')).exportIncidentsCommand(opts, io)));
  exp
    .command('pcap')
    .description('the packets around a stored anomaly as a small pcapng (re-read from the original capture)')
    .requiredOption('--anomaly <id>', 'anomaly id')
    .option('--out <file>', "pcapng file to write ('-' or none: standard output, unless it is a terminal)")
    .option('--margin <n>', 'packets before and after the anomaly', '5')
    .option('--max-packets <n>', 'at most this many packets', '10000')
    .action(async (opts) => setStatus(await (await import('./commands/export.js')).exportPcapCommand(opts, io)));

  const user = program.command('user').description('local users (PostgreSQL; bcrypt password hashes)');
  user
    .command('add')
    .description('add a local user; the password is read from --password-file or standard input (first line)')
    .argument('<name>', 'user name')
    .option('--role <role>', 'admin, engineer or viewer', 'engineer')
    .option('--password-file <file>', 'file whose first line is the password')
    .option('--token <name>', 'also create an API token with this name and print it on stdout')
    .action(async (name: string, opts) =>
      setStatus(await (await import('./commands/user.js')).userAddCommand(name, opts, io)),
    );

  return program;
}

/** Runs the CLI with arguments (without node and script) and returns the exit status of interfaces.md. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let status = 0;
  const program = buildProgram(io, (n) => (status = n));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return status;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version "fail" with exit code 0 in commander; real usage errors are 2 by contract.
      return err.exitCode === 0 ? 0 : EXIT_USAGE;
    }
    if (err instanceof UsageError) {
      io.stderr.write(`l1t: ${err.message}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof ReportedExit) return err.status;
    const e = err as Error;
    io.stderr.write(`l1t: internal error: ${e?.message ?? String(err)}\n`);
    if (io.env.L1T_DEBUG) io.stderr.write(`${e?.stack ?? ''}\n`);
    return EXIT_INTERNAL;
  }
}
