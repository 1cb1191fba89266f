import { pyFloatRepr } from './pyjson.js';

/**
 * PyYAML's `yaml.safe_dump(data, default_flow_style=?, allow_unicode=True, width=200)` for JSON-like
 * data, byte for byte: patronictl prints show-config, `-f yaml` and member tags this way, and
 * operators diff and grep that output. Keys are sorted (PyYAML's default), sequences inside
 * mappings are not indented, strings are plain unless YAML 1.1 would read them as something else.
 */
export interface DumpOptions {
  /** default_flow_style=True: `{a: 1, b: [x, y]}` (tags in tsv output). */
  readonly flow?: boolean;
  readonly width?: number;
}

const BREAKS = '\n\x85\u2028\u2029';
const WIDTH = 200;

export function safeDump(value: unknown, options: DumpOptions = {}): string {
  const w = new Writer(options.width ?? WIDTH);
  if (options.flow === true || !isCollection(value) || isEmptyCollection(value)) {
    // PyYAML indents a top-level node's continuation lines by one step.
    const open = writeFlow(w, value, 2);
    w.write('\n');
    if (open) w.write('...\n');
  } else {
    writeBlock(w, value, 0);
    w.write('\n');
  }
  return w.text;
}

class Writer {
  text = '';
  column = 0;
  constructor(readonly width: number) {}
  write(s: string): void {
    this.text += s;
    const nl = s.lastIndexOf('\n');
    this.column = nl === -1 ? this.column + s.length : s.length - nl - 1;
  }
  indent(n: number): void {
    this.write('\n' + ' '.repeat(n));
  }
}

type JsonMap = Record<string, unknown>;

function isMap(v: unknown): v is JsonMap {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function isCollection(v: unknown): boolean {
  return Array.isArray(v) || isMap(v);
}
function isEmptyCollection(v: unknown): boolean {
  return Array.isArray(v) ? v.length === 0 : isMap(v) && Object.keys(v).length === 0;
}
function sortedEntries(m: JsonMap): [string, unknown][] {
  return Object.entries(m)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Block collection starting at the current position; `indent` is its column. */
function writeBlock(w: Writer, value: unknown, indent: number): void {
  if (Array.isArray(value)) {
    value.forEach((item, i) => {
      if (i > 0) w.indent(indent);
      w.write('- ');
      if (isCollection(item) && !isEmptyCollection(item)) writeBlock(w, item, indent + 2);
      else writeFlow(w, item, indent + 2);
    });
  } else if (isMap(value)) {
    sortedEntries(value).forEach(([key, item], i) => {
      if (i > 0) w.indent(indent);
      if (isComplexKey(key)) {
        w.write('? ');
        writeScalar(w, key, indent + 2, false, false);
        w.indent(indent);
      } else {
        writeScalar(w, key, indent + 2, false, true);
      }
      w.write(':');
      if (isCollection(item) && !isEmptyCollection(item)) {
        // PyYAML writes sequences in mappings "indentless", mappings one level deeper.
        const childIndent = Array.isArray(item) ? indent : indent + 2;
        w.indent(childIndent);
        writeBlock(w, item, childIndent);
      } else {
        w.write(' ');
        writeFlow(w, item, indent + 2);
      }
    });
  }
}

/** Flow node (or scalar); returns true when the node was an open-ended plain scalar. */
function writeFlow(w: Writer, value: unknown, indent: number, inFlow = false): boolean {
  if (Array.isArray(value)) {
    w.write('[');
    value.forEach((item, i) => {
      if (i > 0) w.write(', ');
      writeFlow(w, item, indent + 2, true);
    });
    w.write(']');
    return false;
  }
  if (isMap(value)) {
    w.write('{');
    sortedEntries(value).forEach(([key, item], i) => {
      if (i > 0) w.write(', ');
      if (isComplexKey(key)) {
        w.write('? ');
        writeScalar(w, key, indent + 2, true, false);
        w.write(' : ');
      } else {
        writeScalar(w, key, indent + 2, true, true);
        w.write(': ');
      }
      writeFlow(w, item, indent + 2, true);
    });
    w.write('}');
    return false;
  }
  return writeScalar(w, value, indent, inFlow, false);
}

/** Keys PyYAML cannot write as simple keys: empty, multi-line or 128+ characters long. */
function isComplexKey(key: string): boolean {
  return (
    key === '' || Array.from(key).length >= 128 || Array.from(key).some((ch) => BREAKS.includes(ch))
  );
}

function writeScalar(
  w: Writer,
  value: unknown,
  indent: number,
  inFlow: boolean,
  isKey: boolean,
): boolean {
  if (value === null || value === undefined) return emitRaw(w, 'null');
  if (typeof value === 'boolean') return emitRaw(w, value ? 'true' : 'false');
  if (typeof value === 'number') return emitRaw(w, pyFloatRepr(value, 'yaml'));
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  const a = analyze(text);
  const plainOk = resolvesToString(text) && (inFlow ? a.flowPlain : a.blockPlain);
  if (plainOk && !(isKey && a.multiline)) {
    writePlain(w, text, indent, !isKey);
    return true;
  }
  if (a.singleQuoted && !(isKey && a.multiline)) {
    writeSingleQuoted(w, text, indent, !isKey);
    return false;
  }
  w.write(doubleQuoted(text));
  return false;
}

function emitRaw(w: Writer, s: string): boolean {
  w.write(s);
  return true;
}

interface Analysis {
  readonly flowPlain: boolean;
  readonly blockPlain: boolean;
  readonly singleQuoted: boolean;
  readonly multiline: boolean;
}

function isPrintable(ch: string): boolean {
  const c = ch.codePointAt(0) ?? 0;
  if (c === 0x09 || c === 0x0a || c === 0x0d || c === 0x85) return true;
  if (c >= 0x20 && c <= 0x7e) return true;
  if (c >= 0xa0 && c <= 0xd7ff) return true;
  if (c >= 0xe000 && c <= 0xfffd) return c !== 0xfeff;
  return c >= 0x10000 && c <= 0x10ffff;
}

/** PyYAML's Emitter.analyze_scalar, reduced to the verdicts safe_dump needs. */
function analyze(text: string): Analysis {
  if (text === '') {
    return { flowPlain: false, blockPlain: false, singleQuoted: true, multiline: false };
  }
  let flowInd = text.startsWith('---') || text.startsWith('...');
  let blockInd = flowInd;
  let lineBreaks = false;
  let special = false;
  let spaceBreak = false;
  let breakSpace = false;
  let prevSpace = false;
  let prevBreak = false;
  const chars = Array.from(text);
  const ws = (ch: string | undefined): boolean => ch === undefined || ` \t\r${BREAKS}`.includes(ch);
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i] ?? '';
    const followedByWs = ws(chars[i + 1]);
    const precededByWs = i === 0 || ws(chars[i - 1]);
    if (i === 0) {
      if ('#,[]{}&*!|>\'"%@`'.includes(ch)) flowInd = blockInd = true;
      if ('?:'.includes(ch)) {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '-' && followedByWs) flowInd = blockInd = true;
    } else {
      if (',?[]{}'.includes(ch)) flowInd = true;
      if (ch === ':') {
        flowInd = true;
        if (followedByWs) blockInd = true;
      }
      if (ch === '#' && precededByWs) flowInd = blockInd = true;
    }
    if (BREAKS.includes(ch)) lineBreaks = true;
    // Only '\n' and ' '..'~' are plain ASCII; tab and CR force double quotes, as in PyYAML.
    const c = ch.codePointAt(0) ?? 0;
    if (!(ch === '\n' || (c >= 0x20 && c <= 0x7e) || (c > 0x7e && isPrintable(ch)))) special = true;
    const isSpace = ch === ' ';
    const isBreak = BREAKS.includes(ch);
    if (isSpace && prevBreak) breakSpace = true;
    if (isBreak && prevSpace) spaceBreak = true;
    prevSpace = isSpace;
    prevBreak = isBreak;
  }
  const first = chars[0] ?? '';
  const last = chars[chars.length - 1] ?? '';
  const edgeSpace =
    first === ' ' || last === ' ' || BREAKS.includes(first) || BREAKS.includes(last);
  let flowPlain = !(edgeSpace || lineBreaks || flowInd);
  let blockPlain = !(edgeSpace || lineBreaks || blockInd);
  let singleQuoted = true;
  if (breakSpace || spaceBreak || special) {
    flowPlain = blockPlain = singleQuoted = false;
  }
  return { flowPlain, blockPlain, singleQuoted, multiline: lineBreaks };
}

const IMPLICIT: readonly RegExp[] = [
  /^(?:yes|Yes|YES|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF)$/,
  /^(?:~|null|Null|NULL|)$/,
  /^(?:[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+)$/,
  /^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+][0-9]+)?|\.[0-9_]+(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$/,
  /^(?:[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]|[0-9][0-9][0-9][0-9]-[0-9][0-9]?-[0-9][0-9]?(?:[Tt]|[ \t]+)[0-9][0-9]?:[0-9][0-9]:[0-9][0-9](?:\.[0-9]*)?(?:[ \t]*(?:Z|[-+][0-9][0-9]?(?::[0-9][0-9])?))?)$/,
  /^(?:<<)$/,
  /^(?:=)$/,
];

/** True when a plain scalar with this text would load back as a string (YAML 1.1 resolvers). */
function resolvesToString(text: string): boolean {
  return !IMPLICIT.some((re) => re.test(text));
}

/** Plain scalar; a single space past the width becomes a line break (PyYAML's folding). */
function writePlain(w: Writer, text: string, indent: number, split: boolean): void {
  const words = text.split(' ');
  words.forEach((word, i) => {
    if (i > 0) {
      const single = word !== '' && words[i - 1] !== '';
      if (split && single && w.column > w.width) w.indent(indent);
      else w.write(' ');
    }
    w.write(word);
  });
}

function writeSingleQuoted(w: Writer, text: string, indent: number, split: boolean): void {
  w.write("'");
  const chars = Array.from(text);
  let i = 0;
  while (i < chars.length) {
    const ch = chars[i] ?? '';
    if (BREAKS.includes(ch)) {
      let j = i;
      while (j < chars.length && BREAKS.includes(chars[j] ?? '')) j++;
      // A run of n breaks is written as n+1 line breaks when it starts with '\n' (folding rules).
      if (ch === '\n') w.write('\n');
      for (let k = i; k < j; k++) w.write(chars[k] === '\n' ? '\n' : (chars[k] ?? ''));
      w.write(' '.repeat(indent));
      w.column = indent;
      i = j;
      continue;
    }
    if (ch === ' ') {
      const single = chars[i + 1] !== ' ' && i > 0 && chars[i - 1] !== ' ';
      if (split && single && w.column > w.width && i !== chars.length - 1) {
        w.indent(indent);
        i++;
        continue;
      }
    }
    w.write(ch === "'" ? "''" : ch);
    i++;
  }
  w.write("'");
}

const ESCAPES: Readonly<Record<string, string>> = {
  '\0': '0',
  '\x07': 'a',
  '\b': 'b',
  '\t': 't',
  '\n': 'n',
  '\x0b': 'v',
  '\f': 'f',
  '\r': 'r',
  '\x1b': 'e',
  '"': '"',
  '\\': '\\',
  '\x85': 'N',
  '\xa0': '_',
  '\u2028': 'L',
  '\u2029': 'P',
};

function doubleQuoted(text: string): string {
  let out = '"';
  for (const ch of text) {
    const esc = ESCAPES[ch];
    if (esc !== undefined) {
      out += `\\${esc}`;
    } else if (isPrintable(ch) && ch !== '\ufeff') {
      out += ch;
    } else {
      const c = ch.codePointAt(0) ?? 0;
      out +=
        c <= 0xff
          ? `\\x${c.toString(16).toUpperCase().padStart(2, '0')}`
          : c <= 0xffff
            ? `\\u${c.toString(16).toUpperCase().padStart(4, '0')}`
            : `\\U${c.toString(16).toUpperCase().padStart(8, '0')}`;
    }
  }
  return out + '"';
}
