/**
 * State shared by the whole lowering of one model: the nodes emitted so far, the diagnostics,
 * the stack of block calls being expanded, and the limits that keep hostile input from hanging
 * the compiler or exhausting memory.
 */
import type { Diagnostic, Node, Note, Span } from '@kiln/core';
import type { BlockDef } from '../ast.js';

/** Most nodes one model may expand to. */
export const MAX_NODES = 100_000;
/** Largest `repeat` count. */
export const MAX_REPEAT = 10_000;
/** Most statements lowered (repeat iterations included): empty repeated bodies emit no nodes. */
export const MAX_STEPS = 1_000_000;
/** Deepest chain of block calls inside block calls. */
export const MAX_CALL_DEPTH = 32;

/** Thrown when a limit is hit: expansion stops at once, and compile reports the diagnostic. */
export class LimitExceeded extends Error {
  constructor(readonly diagnostic: Diagnostic) {
    super(diagnostic.message);
    this.name = 'LimitExceeded';
  }
}

/** One block expansion in progress. */
export interface CallFrame {
  readonly block: string;
  /** The instance's full name (`layer1.0.basic1`). */
  readonly instance: string;
  readonly span: Span;
}

export class Lowering {
  readonly nodes: Node[] = [];
  readonly diagnostics: Diagnostic[] = [];
  /** The block calls being expanded, outermost first. */
  readonly calls: CallFrame[] = [];
  /**
   * Each node's span object (a copy per node) mapped to the calls it was expanded in, so the
   * checker's diagnostics, which carry only a span, can still point at the call site.
   */
  readonly callSites = new Map<Span, readonly CallFrame[]>();
  private readonly defined = new Map<string, Span>();
  private steps = 0;

  constructor(readonly blocks: ReadonlyMap<string, BlockDef>) {}

  /** Notes that locate the current block expansion, innermost call first. */
  callNotes(frames: readonly CallFrame[] = this.calls): Note[] {
    return [...frames].reverse().map((f) => ({
      message: `in \`${f.instance}\`, an instance of block \`${f.block}\` called here`,
      span: f.span,
    }));
  }

  report(d: Diagnostic): void {
    this.diagnostics.push(
      this.calls.length ? { ...d, notes: [...d.notes, ...this.callNotes()] } : d,
    );
  }

  isDefined(name: string): boolean {
    return this.defined.has(name);
  }

  /** Adds a node; reports a second node of one name (auto names avoid those already used). */
  addNode(node: Node & { readonly span: Span }): void {
    const span = { ...node.span };
    const first = this.defined.get(node.name);
    if (first) {
      this.report({
        code: 'dsl/duplicate-name',
        severity: 'error',
        message: `a second node is named \`${node.name}\``,
        span,
        notes: [{ message: 'the first is defined here', span: first }],
      });
    } else {
      this.defined.set(node.name, span);
    }
    if (this.nodes.length >= MAX_NODES) {
      throw new LimitExceeded(
        this.limit(`the model expands to more than ${MAX_NODES} nodes`, span),
      );
    }
    this.nodes.push({ ...node, span });
    if (this.calls.length) this.callSites.set(span, [...this.calls]);
  }

  /** Counts one statement or iteration against the step limit. */
  step(span: Span): void {
    if (++this.steps > MAX_STEPS) {
      throw new LimitExceeded(
        this.limit(`the model takes more than ${MAX_STEPS} statements to expand`, span),
      );
    }
  }

  private limit(message: string, span: Span): Diagnostic {
    return {
      code: 'dsl/too-large',
      severity: 'error',
      message,
      span,
      hint: 'lower a `repeat` count or the nesting of blocks',
      notes: this.callNotes(),
    };
  }
}
