/**
 * Patroni's `slot_name_from_member_name` (spec/core.md §2.12): lowercase; `-` and `.` become `_`;
 * any other character outside `[a-z0-9_]` becomes `u` + its decimal code point on 4 digits;
 * truncated to 63 characters (PostgreSQL's NAMEDATALEN - 1).
 */
export function slotNameFromMemberName(memberName: string): string {
  let out = '';
  for (const ch of memberName.toLowerCase()) {
    if (/^[a-z0-9_]$/.test(ch)) out += ch;
    else if (ch === '-' || ch === '.') out += '_';
    else out += `u${String(ch.codePointAt(0) ?? 0).padStart(4, '0')}`;
  }
  return out.slice(0, 63);
}

/** Names permanent slots must match. */
export function isValidSlotName(name: string): boolean {
  return /^[a-z0-9_]{1,63}$/.test(name);
}
