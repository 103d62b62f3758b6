/** A range of source text. Lines and columns are 1-based; offsets are 0-based, end exclusive. */
export interface Span {
  readonly file: string;
  readonly start: number;
  readonly end: number;
  readonly line: number;
  readonly column: number;
}

/** Computes line and column of a source offset. */
export function spanAt(file: string, source: string, start: number, end: number): Span {
  let line = 1;
  let lineStart = 0;
  const stop = Math.min(start, source.length);
  for (let i = 0; i < stop; i++) {
    if (source.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { file, start, end: Math.max(end, start), line, column: start - lineStart + 1 };
}
