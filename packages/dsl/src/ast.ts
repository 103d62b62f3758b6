/** The Kiln syntax tree, as the compiler reads it. Every node knows where it was written. */
import type { Span } from '@kiln/core';

export interface Name {
  readonly text: string;
  readonly span: Span;
  /** Written in backticks: always a literal, never a keyword or a block parameter. */
  readonly quoted: boolean;
}

export type BinaryOperator = '+' | '-' | '*' | '/';

/** Values and integer arithmetic. Operator chains stay flat (see the parser). */
export type Expr =
  | { readonly kind: 'number'; readonly value: number; readonly span: Span }
  | { readonly kind: 'bool'; readonly value: boolean; readonly span: Span }
  | { readonly kind: 'name'; readonly name: Name; readonly span: Span }
  | { readonly kind: 'list'; readonly items: readonly Expr[]; readonly span: Span }
  | { readonly kind: 'negate'; readonly operand: Expr; readonly span: Span }
  | {
      readonly kind: 'chain';
      readonly first: Expr;
      readonly rest: readonly { readonly op: BinaryOperator; readonly operand: Expr }[];
      readonly span: Span;
    };

/** `key=value`, or a positional value when `key` is absent. */
export interface Arg {
  readonly key?: Name;
  readonly value: Expr;
  readonly span: Span;
}

/** `[name =] [freeze] op [(inputs)] args...`: an op or a block call. */
export interface CallStmt {
  readonly kind: 'call';
  readonly name?: Name;
  readonly frozen: boolean;
  readonly callee: Name;
  /** Absent: the statement reads the previous statement's output. */
  readonly inputs?: readonly Name[];
  readonly args: readonly Arg[];
  readonly span: Span;
}

export interface RepeatStmt {
  readonly kind: 'repeat';
  readonly name?: Name;
  readonly frozen: boolean;
  readonly count: Expr;
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export interface FreezeGroup {
  readonly kind: 'freeze';
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export interface InputDecl {
  readonly kind: 'input';
  readonly name: Name;
  readonly dtype: Name;
  readonly dims: readonly Expr[];
  readonly span: Span;
}

export interface OutputDecl {
  readonly kind: 'output';
  readonly names: readonly Name[];
  readonly span: Span;
}

export interface TrainEntryAst {
  readonly key: Name;
  readonly args: readonly Arg[];
  readonly span: Span;
}

export interface TrainSection {
  readonly kind: 'train';
  readonly entries: readonly TrainEntryAst[];
  readonly span: Span;
}

export type Stmt = CallStmt | RepeatStmt | FreezeGroup | InputDecl | OutputDecl | TrainSection;

export interface Param {
  readonly name: Name;
  readonly default?: Expr;
  readonly span: Span;
}

export interface BlockDef {
  readonly kind: 'block';
  readonly name: Name;
  readonly params: readonly Param[];
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export interface ModelDef {
  readonly kind: 'model';
  readonly name: Name;
  readonly body: readonly Stmt[];
  readonly span: Span;
}

export interface Program {
  readonly blocks: readonly BlockDef[];
  readonly models: readonly ModelDef[];
}
