/**
 * Names in scope. A model body, a block instance and each `repeat` iteration are scopes; node
 * names get the scope's prefix (`layer1.0.`). Names resolve in statement order; a name that is
 * defined later in the same scope is known in advance, so the error can say so.
 */
import type { Span } from '@kiln/core';
import { activationNames } from '@kiln/core';
import type { Stmt } from '../ast.js';

export interface Binding {
  /** The IR tensor the name stands for (a statement's last node). */
  readonly tensor: string;
  readonly span: Span;
}

/** Names written in a body (freeze groups share their scope), with their spans. */
export function writtenNames(body: readonly Stmt[]): Map<string, Span> {
  const out = new Map<string, Span>();
  const visit = (stmts: readonly Stmt[]) => {
    for (const s of stmts) {
      if (s.kind === 'freeze') visit(s.body);
      else if ((s.kind === 'call' || s.kind === 'repeat') && s.name) {
        if (!out.has(s.name.text)) out.set(s.name.text, s.name.span);
        if (s.kind === 'call') {
          // `a = conv 3 relu` also writes the node `a_relu`.
          let derived = s.name.text;
          for (const arg of s.args) {
            if (
              !arg.key &&
              arg.value.kind === 'name' &&
              activationNames.includes(arg.value.name.text)
            ) {
              derived = `${derived}_${arg.value.name.text}`;
              if (!out.has(derived)) out.set(derived, s.name.span);
            }
          }
        }
      } else if (s.kind === 'input' && !out.has(s.name.text)) out.set(s.name.text, s.name.span);
    }
  };
  visit(body);
  return out;
}

export class Scope {
  private readonly names = new Map<string, Binding>();
  private readonly counters = new Map<string, number>();

  constructor(
    /** Prepended to the names of nodes made in this scope. */
    readonly prefix: string,
    readonly parent: Scope | undefined,
    /** Every name written in this scope's body, defined yet or not. */
    readonly written: ReadonlyMap<string, Span>,
  ) {}

  lookup(name: string): Binding | undefined {
    return this.names.get(name) ?? this.parent?.lookup(name);
  }

  /** The binding already made for `name` in this very scope, if any. */
  local(name: string): Binding | undefined {
    return this.names.get(name);
  }

  define(name: string, binding: Binding): void {
    this.names.set(name, binding);
  }

  /** Where `name` is written further down in this scope or an enclosing one. */
  writtenLater(name: string): Span | undefined {
    return this.names.has(name)
      ? undefined
      : (this.written.get(name) ?? this.parent?.writtenLater(name));
  }

  visible(): string[] {
    return [...this.names.keys(), ...(this.parent?.visible() ?? [])];
  }

  /**
   * `conv1`, `conv2`, ... counted per scope, skipping names written in the body and node names
   * already used, so an auto name never collides with a name the user wrote.
   */
  autoName(base: string, used: (fullName: string) => boolean): string {
    let k = this.counters.get(base) ?? 0;
    let name: string;
    do {
      k++;
      name = `${base}${k}`;
    } while (this.written.has(name) || this.names.has(name) || used(this.prefix + name));
    this.counters.set(base, k);
    return name;
  }
}
