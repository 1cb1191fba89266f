/**
 * The `patroni` executable: `patroni CONFIG` runs the daemon; `--validate-config`,
 * `--generate-sample-config` and `--version` are one-shot. Operators get one clear line per
 * problem and an exit code, never a stack trace (surface.md §1.16-§1.18).
 */
import { writeFile } from 'node:fs/promises';
import { Command, CommanderError } from 'commander';
import { configSource } from '../config/load.js';
import { sampleConfig, renderSample } from '../config/sample.js';
import { validateConfig } from '../config/validate.js';
import { toYaml } from '../config/yaml.js';
import { versionLine } from '../core/config/version.js';
import { errorMessage, isPatroniError } from '../shared/errors.js';
import { PatroniLogger } from '../shared/log/patroni-logger.js';
import { redactValue } from '../shared/log/redact.js';

interface Options {
  readonly validateConfig?: boolean;
  readonly generateSampleConfig?: boolean;
  readonly ignoreListenPort?: boolean;
  readonly print?: boolean;
}

const env = process.env;

function fail(message: string): number {
  process.stderr.write(`${message}\n`);
  return 1;
}

async function validate(path: string | undefined, o: Options): Promise<number> {
  const raw = await configSource(path, env).readRaw();
  const report = await validateConfig(raw, {
    ignoreListenPort: o.ignoreListenPort === true,
    path: env['PATH'] ?? '',
  });
  for (const warning of report.warnings) process.stderr.write(`WARNING: ${warning}\n`);
  for (const problem of report.problems) process.stderr.write(`${problem}\n`);
  if (report.problems.length > 0) return 1;
  if (o.print === true) process.stdout.write(toYaml(raw, { lineWidth: 0, singleQuote: true }));
  return 0;
}

async function generateSample(path: string | undefined): Promise<number> {
  const text = renderSample(await sampleConfig(env));
  if (path === undefined) process.stdout.write(text);
  else await writeFile(path, text, { mode: 0o600 });
  return 0;
}

async function run(path: string | undefined): Promise<number> {
  const source = configSource(path, env);
  // As Patroni: what we read stays out of the environment PostgreSQL and callbacks inherit
  // (the source keeps its own copy for reloads).
  for (const name of source.consumedEnv) Reflect.deleteProperty(process.env, name);
  const loaded = await source.load();
  if (loaded.warnings.length > 0) {
    const logger = PatroniLogger.create(loaded.config.log ?? {});
    for (const warning of loaded.warnings) logger.warning(warning);
    logger.close();
  }
  // Loaded here, not at the top: --version, --help and --validate-config need none of the
  // daemon's modules, and in the bundle they sit in a chunk those never read.
  const { runDaemon } = await import('../daemon/main.js');
  return runDaemon(loaded.config, source);
}

function program(): Command {
  return new Command('patroni')
    .description('PostgreSQL high-availability manager (Patroni-compatible)')
    .argument(
      '[configfile]',
      'config file or directory (else PATRONI_CONFIGURATION / PATRONI_* variables)',
    )
    .option('--validate-config', 'check the configuration and the machine, then exit')
    .option('--generate-sample-config', 'write a sample configuration to configfile (or stdout)')
    .option('-i, --ignore-listen-port', 'with --validate-config: do not fail on busy listen ports')
    .option('-p, --print', 'with --validate-config: print the local configuration as YAML')
    .version(versionLine(), '--version', 'print the version and exit')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });
}

async function main(argv: readonly string[]): Promise<number> {
  const cmd = program();
  try {
    cmd.parse(argv, { from: 'user' });
  } catch (e) {
    if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
    throw e;
  }
  const o = cmd.opts<Options>();
  const path = cmd.args[0];
  if (o.validateConfig === true && o.generateSampleConfig === true) {
    return fail('patroni: --validate-config and --generate-sample-config are mutually exclusive');
  }
  try {
    if (o.generateSampleConfig === true) return await generateSample(path);
    if (o.validateConfig === true) return await validate(path, o);
    return await run(path);
  } catch (e) {
    if (isPatroniError(e)) {
      if (e.message === 'Config is empty.') process.stdout.write(cmd.helpInformation());
      return fail(e.message);
    }
    return fail(`patroni: unexpected error: ${String(redactValue(errorMessage(e)))}`);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`patroni: ${errorMessage(e)}\n`);
    process.exitCode = 1;
  },
);
