/** A range of source text. Lines and columns are 1-based; offsets are 0-based, end exclusive. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/**
 * Whether a line starts right after offset `i`: after a `\n`, or after a `\r` not followed by
 * `\n` (old Mac files end lines with `\r` alone; `\r\n` counts once).
 */
export function endsLine(source: string, i: number): boolean {
  const c = source.charCodeAt(i);
  return c === 10 || (c === 13 && source.charCodeAt(i + 1) !== 10);
}

/** Computes line and column of a source offset. */
export function spanAt(file: string, source: string, start: number, end: number): Span {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(start, source.length);
  for (let i = 0; i < stop; i++) {
    if (endsLine(source, i)) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, start, end: Math.max(end, start), line, column: start - lineStart + 1 };
}
