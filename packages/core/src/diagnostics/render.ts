/**
 * Renders diagnostics the way compilers do:
 *
 *   vgg.kiln:12:3: error: unknown op `maxpol`
 *      12 |   maxpol 2
 *         |   ^^^^^^
 *     hint: did you mean `maxpool`?
 */
import type { Diagnostic } from './diagnostic.js';
import type { Span } from './span.js';

/** Source texts by file name, so notes can point into other files. */
export type Sources = ReadonlyMap<string, string> | Record<string, string>;

function sourceOf(sources: Sources, file: string): string | undefined {
  return sources instanceof Map ? sources.get(file) : (sources as Record<string, string>)[file];
}

/** Longest source excerpt shown; longer lines are cut to a window around the caret. */
const WINDOW = 100;

/**
 * C0 and C1 controls, DEL, and the bidirectional overrides and isolates: printed raw they would
 * move the cursor, recolour the terminal or reorder the text around them.
 */
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const HIDDEN = /[\u0000-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One hidden character as a visible escape: `\n`, `\x1b`, `\u202e`. */
function escapeChar(c: string): string {
  const code = c.charCodeAt(0);
  const hex = code.toString(16);
  return NAMED[c] ?? (code <= 0xff ? `\\x${hex.padStart(2, '0')}` : `\\u${hex.padStart(4, '0')}`);
}

/**
 * Text safe to print to a terminal: every control character written as a visible escape. Used
 * for messages, hints and notes, which can quote names and source text of any kind.
 */
export function visible(text: string): string {
  return text.replace(HIDDEN, escapeChar);
}

/** Splits source text into lines at `\n`, `\r\n` and a lone `\r`, as spans count them. */
export function sourceLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}

/**
 * A source line as shown, and where each of its characters starts in it: a tab becomes one
 * space, a control character its escape, so the caret below still lines up.
 */
function shownLine(line: string): { text: string; at: number[] } {
  let text = '';
  const at: number[] = [];
  for (const c of line) {
    for (let k = 0; k < c.length; k++) at.push(text.length);
    text += c === '\t' ? ' ' : visible(c);
  }
  at.push(text.length);
  return { text, at };
}

function excerpt(span: Span, source: string | undefined): string[] {
  if (source === undefined) return [];
  const line = sourceLines(source)[span.line - 1] ?? '';
  const first = Math.min(span.column - 1, line.length);
  const last = Math.min(first + Math.max(0, span.end - span.start), line.length);
  const shown = shownLine(line);
  let text = shown.text;
  let column = shown.at[first]! + 1;
  let width = Math.max(1, shown.at[last]! - shown.at[first]!);
  if (text.length > WINDOW) {
    const from = Math.max(0, Math.min(column - 1 - WINDOW / 2, text.length - WINDOW));
    const cut = text.slice(from, from + WINDOW);
    text = `${from > 0 ? '...' : ''}${cut}${from + WINDOW < text.length ? '...' : ''}`;
    column = column - from + (from > 0 ? 3 : 0);
    width = Math.min(width, WINDOW - (column - 1) + (from > 0 ? 3 : 0));
  }
  const gutter = String(span.line);
  const pad = ' '.repeat(gutter.length);
  const caret = ' '.repeat(Math.max(0, column - 1)) + '^'.repeat(Math.max(1, width));
  return [` ${gutter} | ${text}`, ` ${pad} | ${caret}`];
}

function location(span: Span | undefined, fallback: string): string {
  return span ? `${span.file}:${span.line}:${span.column}` : fallback;
}

export function renderDiagnostic(d: Diagnostic, sources: Sources, fallbackFile = 'kiln'): string {
  const where = location(d.span, fallbackFile);
  const out = [`${visible(where)}: ${d.severity}: ${visible(d.message)}`];
  if (d.span) out.push(...excerpt(d.span, sourceOf(sources, d.span.file)));
  if (d.hint) out.push(`  hint: ${visible(d.hint)}`);
  for (const note of d.notes) {
    const at = note.span ? ` (${visible(location(note.span, ''))})` : '';
    out.push(`  note: ${visible(note.message)}${at}`);
  }
  return out.join('\n');
}

export function renderDiagnostics(
  diagnostics: readonly Diagnostic[],
  sources: Sources,
  fallbackFile?: string,
): string {
  return diagnostics.map((d) => renderDiagnostic(d, sources, fallbackFile)).join('\n\n');
}
