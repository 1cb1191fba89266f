/** `synchronous_standby_names` as Patroni 3.0.2 writes and reads it (spec/core.md §8.3). */

const BARE = /^[A-Za-z_][A-Za-z_0-9$]*$/;

function quote(name: string): string {
  return BARE.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/** Names in pick order -> the parameter value; null removes it (no sync standby, not strict). */
export function renderSyncStandbyNames(names: readonly string[]): string | null {
  if (names.length === 0) return null;
  if (names.length === 1 && names[0] === '*') return '*';
  const quoted = names.map(quote);
  return quoted.length === 1 ? (quoted[0] ?? null) : `${quoted.length} (${quoted.join(',')})`;
}

/** The standby names in a parameter value (`a`, `2 (a,"b c")`, `FIRST 1 (a)`, `ANY 2 (a,b)`). */
export function parseSyncStandbyNames(value: string | null): string[] {
  if (value === null) return [];
  let text = value.trim();
  const list = /^(?:(?:FIRST|ANY)\s+)?\d+\s*\((.*)\)$/is.exec(text);
  if (list !== null) text = list[1] ?? '';
  const names: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i] ?? '';
    if (ch === '"') {
      if (quoted && text[i + 1] === '"') {
        current += '"';
        i++;
      } else quoted = !quoted;
    } else if (ch === ',' && !quoted) {
      names.push(current.trim());
      current = '';
    } else current += ch;
  }
  names.push(current.trim());
  return names.filter((n) => n !== '');
}
