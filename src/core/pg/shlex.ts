/**
 * Shell-style word splitting as Python's `shlex.split` does it (POSIX mode, no comments): how
 * Patroni turns `callbacks.*`, custom bootstrap and replica method commands into argv. Nothing is
 * run through a shell. Returns null for an unterminated quote or a trailing backslash.
 */
export function shlexSplit(text: string): string[] | null {
  const words: string[] = [];
  let word: string | null = null;
  let quote: "'" | '"' | null = null;
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (quote === "'") {
      if (c === "'") quote = null;
      else word = (word ?? '') + c;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < text.length && '\\"$`\n'.includes(text.charAt(i + 1))) {
        word = (word ?? '') + text.charAt(++i);
      } else word = (word ?? '') + c;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return null;
      word = (word ?? '') + text.charAt(++i);
    } else if (c === "'" || c === '"') {
      quote = c;
      word ??= '';
    } else if (/\s/.test(c)) {
      if (word !== null) words.push(word);
      word = null;
    } else {
      word = (word ?? '') + c;
    }
  }
  if (quote !== null) return null;
  if (word !== null) words.push(word);
  return words;
}
