/**
 * YAML reading with PyYAML's rules, because that is how Patroni reads the same file: YAML 1.1
 * (`on`/`yes`/`off` are booleans, `0755` is octal, `1:20` is 80), except that PyYAML, unlike the
 * 1.1 spec, leaves `y` and `n` as strings (`name: n` is a name). Syntax errors name the file,
 * line and column.
 */
import { parse, parseDocument, type ScalarTag, type Tags } from 'yaml';
import { PatroniError } from '../shared/errors.js';

const BOOL = 'tag:yaml.org,2002:bool';

function boolTag(value: boolean, test: RegExp): ScalarTag {
  return { tag: BOOL, default: true, test, resolve: () => value, identify: (v) => v === value };
}

/** PyYAML's boolean words (yaml/resolver.py), replacing the 1.1 schema's wider set. */
function pyyamlTags(tags: Tags): Tags {
  return [
    boolTag(true, /^(?:yes|Yes|YES|true|True|TRUE|on|On|ON)$/),
    boolTag(false, /^(?:no|No|NO|false|False|FALSE|off|Off|OFF)$/),
    ...tags.filter((t) => typeof t === 'string' || t.tag !== BOOL),
  ];
}

const OPTIONS = { version: '1.1', customTags: pyyamlTags, merge: true } as const;

export function parseYamlText(text: string, origin: string): unknown {
  const doc = parseDocument(text, { ...OPTIONS, uniqueKeys: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos === undefined ? origin : `${origin}:${pos.line}:${pos.col}`;
    const reason = (first.message.split('\n')[0] ?? first.message).replace(
      / at line \d+, column \d+:?$/,
      '',
    );
    throw new PatroniError('CONFIG_SYNTAX', `${where}: invalid YAML: ${reason}`, {
      details: { file: origin, line: pos?.line, column: pos?.col },
    });
  }
  return doc.toJS({ maxAliasCount: 1000 }) as unknown;
}

/** A short YAML value (environment variables); undefined when it does not parse. */
export function parseYamlValue(text: string): unknown {
  try {
    return parse(text, OPTIONS) as unknown;
  } catch {
    return undefined;
  }
}

/** Renders a config back to YAML (for `--print` and `--generate-sample-config`). */
export { stringify as toYaml } from 'yaml';
