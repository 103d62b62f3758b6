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

function excerpt(span: Span, source: string | undefined): string[] {
  if (source === undefined) return [];
  const lines = source.split('\n');
  const text = (lines[span.line - 1] ?? '').replace(/\r$/, '').replace(/\t/g, ' ');
  const gutter = String(span.line);
  const pad = ' '.repeat(gutter.length);
  const width = Math.max(1, Math.min(span.end - span.start, text.length - span.column + 1));
  const caret = ' '.repeat(Math.max(0, span.column - 1)) + '^'.repeat(width);
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
