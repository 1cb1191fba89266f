/**
 * The effective PostgreSQL parameters: command-line defaults <- dynamic (checked) <- local
 * (without command-line parameters). See pg-params.ts for why the command-line ones are special.
 */
import {
  CMDLINE_OPTIONS,
  LOCAL_ONLY_PARAMETERS,
  appliesTo,
  isCmdlineOption,
  walKeepParameter,
} from './pg-params.js';
import type { PgParamValue } from './types.js';

type Params = Readonly<Record<string, PgParamValue | null>> | undefined;

export function computeParameters(
  local: Params,
  dynamic: Params,
  major: number,
  warnings: string[],
): Record<string, PgParamValue> {
  const out: Record<string, PgParamValue> = {};
  for (const [name, option] of Object.entries(CMDLINE_OPTIONS)) {
    if (LOCAL_ONLY_PARAMETERS.has(name) || !appliesTo(option, major)) continue;
    if (name === 'wal_keep_segments' || name === 'wal_keep_size') continue;
    out[name] = option.default;
  }
  if (out['wal_level'] === 'hot_standby' && major >= 9.6) out['wal_level'] = 'replica';

  let walKeepSegments: PgParamValue | undefined;
  let walKeepSize: PgParamValue | undefined;
  const take = (rawName: string, value: PgParamValue): void => {
    const name = rawName.toLowerCase();
    if (name === 'wal_keep_segments') walKeepSegments = value;
    else if (name === 'wal_keep_size') walKeepSize = value;
    else out[isCmdlineOption(name) ? name : rawName] = value;
  };

  for (const [rawName, value] of Object.entries(dynamic ?? {})) {
    if (value === null) continue;
    const option = CMDLINE_OPTIONS[rawName.toLowerCase()];
    if (option === undefined) {
      take(rawName, value);
    } else if (option.accepts(value)) {
      take(rawName, value);
    } else if (!LOCAL_ONLY_PARAMETERS.has(rawName.toLowerCase())) {
      warnings.push(
        `postgresql parameter ${rawName}=${String(value)} failed validation, defaulting to ` +
          String(option.default),
      );
    }
  }
  for (const [rawName, value] of Object.entries(local ?? {})) {
    if (value === null || isCmdlineOption(rawName)) continue;
    out[rawName] = value;
  }
  const walKeep = walKeepParameter(major, walKeepSegments, walKeepSize);
  out[walKeep.name] = walKeep.value;
  return out;
}
