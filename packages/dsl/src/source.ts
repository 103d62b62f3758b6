/**
 * Offsets to spans. Core's `spanAt` scans from the start of the file on every call; a file with
 * thousands of diagnostics (or a megabyte of noise) needs line starts indexed once.
 */
import type { Span } from '@kiln/core';
import { endsLine } from '@kiln/core';

export class SourceText {
  private readonly lineStarts: number[] = [0];

  constructor(
    readonly file: string,
    readonly text: string,
  ) {
    for (let i = 0; i < text.length; i++) {
      if (endsLine(text, i)) this.lineStarts.push(i + 1);
    }
  }

  /** A span of `[start, end)`, clamped into the text (recovered tokens carry no offsets). */
  span(start: number, end: number): Span {
    const n = this.text.length;
    const s = Number.isFinite(start) ? Math.min(Math.max(0, start), n) : n;
    const e = Number.isFinite(end) ? Math.min(Math.max(s, end), n) : s;
    let lo = 0;
    let hi = this.lineStarts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.lineStarts[mid]! <= s) lo = mid;
      else hi = mid - 1;
    }
    return {
      file: this.file,
      start: s,
      end: e,
      line: lo + 1,
      column: s - this.lineStarts[lo]! + 1,
    };
  }

  /** The span from the start of `a` to the end of `b`. */
  join(a: Span, b: Span): Span {
    return this.span(a.start, Math.max(a.end, b.end));
  }
}
