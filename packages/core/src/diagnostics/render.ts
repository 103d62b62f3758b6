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

function excerpt(span: Span, source: string | undefined): string[] {
  if (source === undefined) return [];
  const lines = source.split('\n');
  let text = (lines[span.line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
  let column = span.column;
  let width = Math.max(1, Math.min(span.end - span.start, text.length - column + 1));
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
  const out = [`${location(d.span, fallbackFile)}: ${d.severity}: ${d.message}`];
  if (d.span) out.push(...excerpt(d.span, sourceOf(sources, d.span.file)));
  if (d.hint) out.push(`  hint: ${d.hint}`);
  for (const note of d.notes) {
    out.push(`  note: ${note.message}${note.span ? ` (${location(note.span, '')})` : ''}`);
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
