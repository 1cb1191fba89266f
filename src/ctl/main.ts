import { Command, CommanderError, Option } from 'commander';
import { loadCtlConfig, type CtlConfig, type RestSettings } from './config.js';
import type { CtlContext } from './context.js';
import { exitVerdict } from './exit.js';
import type { CtlClock, CtlDcs, CtlIo, RestClient, SqlRunner } from './ports.js';
import { usageMessage } from './usage.js';
import { registerActionCommands } from './wiring/actions.js';
import { registerConfigCommands } from './wiring/config.js';
import { nonEmpty } from './wiring/options.js';
import { registerReadCommands } from './wiring/read.js';

/** What patronictl is run with: the outside world, so tests can drive `runCtl` end to end. */
export interface CtlRuntime {
  readonly io: CtlIo;
  readonly clock: CtlClock;
  readonly env: Readonly<Record<string, string | undefined>>;
  /** `~/.config/patroni/patronictl.yaml`. */
  readonly defaultConfigFile: string;
  readonly openDcs: (config: CtlConfig, clusterName: string) => Promise<CtlDcs>;
  readonly restClient: (settings: RestSettings) => RestClient;
  readonly sql?: SqlRunner;
}

interface GlobalOptions {
  configFile?: string;
  dcsUrl?: string;
  dcs?: string;
  insecure?: boolean;
}

/** `failed` names the subcommand whose arguments commander rejected (click's usage lines). */
function buildProgram(
  rt: CtlRuntime,
  track: (dcs: CtlDcs) => void,
): { program: Command; failed: () => string | null } {
  let failedCommand: string | null = null;
  const program = new Command('patronictl');
  let context: CtlContext | null = null;
  const ctx = async (): Promise<CtlContext> => {
    if (context !== null) return context;
    const g = program.opts<GlobalOptions>();
    const config = await loadCtlConfig({
      // click ignores environment variables set to an empty string.
      configFile: g.configFile ?? nonEmpty(rt.env['PATRONICTL_CONFIG_FILE']),
      dcsUrl: g.dcsUrl ?? g.dcs ?? nonEmpty(rt.env['DCS_URL']),
      insecure: g.insecure === true,
      env: rt.env,
      defaultConfigFile: rt.defaultConfigFile,
    });
    const opened = new Map<string, Promise<CtlDcs>>();
    context = {
      config,
      io: rt.io,
      clock: rt.clock,
      rest: rt.restClient(config.rest),
      ...(rt.sql === undefined ? {} : { sql: rt.sql }),
      openDcs: (name) => {
        let p = opened.get(name);
        if (p === undefined) {
          p = rt.openDcs(config, name).then((dcs) => {
            track(dcs);
            return dcs;
          });
          opened.set(name, p);
        }
        return p;
      },
    };
    return context;
  };
  program
    .enablePositionalOptions()
    .exitOverride()
    .configureOutput({
      writeOut: (s) => {
        rt.io.out(s.replace(/\n$/, ''));
      },
      writeErr: () => undefined,
      outputError: () => undefined,
    })
    .option('-c, --config-file <file>', 'Configuration file')
    .option('-d, --dcs-url <url>', 'The DCS connect url')
    .addOption(new Option('--dcs <url>').hideHelp())
    .option('-k, --insecure', 'Allow connections to SSL sites without certs');
  registerReadCommands(program, ctx);
  registerActionCommands(program, ctx);
  registerConfigCommands(program, ctx);
  for (const c of program.commands) {
    c.exitOverride((error) => {
      failedCommand = c.name();
      throw error;
    });
  }
  return { program, failed: () => failedCommand };
}

/** Runs patronictl with `argv` (without `node` and the script) and returns the exit code. */
export async function runCtl(argv: readonly string[], rt: CtlRuntime): Promise<number> {
  const clients: CtlDcs[] = [];
  const { program, failed } = buildProgram(rt, (dcs) => clients.push(dcs));
  try {
    if (argv.length === 0) {
      rt.io.out(program.helpInformation().replace(/\n$/, ''));
      return 0;
    }
    await program.parseAsync([...argv], { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return 0;
      rt.io.err(usageMessage(error, failed()));
      return 2;
    }
    const verdict = exitVerdict(error);
    rt.io.err(verdict.stderr);
    return verdict.code;
  } finally {
    await Promise.allSettled(clients.map((c) => c.close()));
  }
}
