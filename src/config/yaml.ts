/**
 * YAML reading with PyYAML's rules (YAML 1.1: `on`/`yes` are booleans, `0755` is octal), because
 * that is how Patroni reads the same file; syntax errors name the file, line and column.
 */
import { parseDocument } from 'yaml';
import { PatroniError } from '../shared/errors.js';

export function parseYamlText(text: string, origin: string): unknown {
  const doc = parseDocument(text, { version: '1.1', merge: true, uniqueKeys: false });
  const first = doc.errors[0];
  if (first !== undefined) {
    const pos = first.linePos?.[0];
    const where = pos === undefined ? origin : `${origin}:${pos.line}:${pos.col}`;
    const reason = first.message.split('\n')[0] ?? first.message;
    throw new PatroniError('CONFIG_SYNTAX', `${where}: invalid YAML: ${reason}`, {
      details: { file: origin, line: pos?.line, column: pos?.col },
    });
  }
  return doc.toJS({ maxAliasCount: 1000 }) as unknown;
}

/** Renders a config back to YAML (for `--print` and `--generate-sample-config`). */
export { stringify as toYaml } from 'yaml';
