/**
 * CST to AST. After error recovery a CST node may lack children; such a node becomes `undefined`
 * here and is dropped (its syntax error is already reported), so the builder never throws.
 */
import type { Span } from '@kiln/core';
import type { CstElement, CstNode, IToken } from 'chevrotain';
import type {
  Arg,
  BinaryOperator,
  BlockDef,
  Expr,
  ModelDef,
  Name,
  Param,
  Program,
  Stmt,
  TrainEntryAst,
} from './ast.js';
import { unquote } from './lexer.js';
import type { SourceText } from './source.js';

const isToken = (e: CstElement | undefined): e is IToken => e !== undefined && 'image' in e;
const isNode = (e: CstElement | undefined): e is CstNode => e !== undefined && 'children' in e;

function tokens(node: CstNode, key: string): IToken[] {
  return (node.children[key] ?? []).filter(isToken);
}
function token(node: CstNode, key: string): IToken | undefined {
  const t = tokens(node, key)[0];
  return t && !t.isInsertedInRecovery ? t : undefined;
}
function nodes(node: CstNode, key: string): CstNode[] {
  return (node.children[key] ?? []).filter(isNode);
}
function child(node: CstNode, key: string): CstNode | undefined {
  return nodes(node, key)[0];
}
function present<T>(items: (T | undefined)[]): T[] {
  return items.filter((x): x is T => x !== undefined);
}

export class AstBuilder {
  constructor(private readonly source: SourceText) {}

  private nodeSpan(node: CstNode): Span {
    const loc = node.location;
    return this.source.span(loc?.startOffset ?? NaN, (loc?.endOffset ?? NaN) + 1);
  }

  private tokenSpan(t: IToken): Span {
    return this.source.span(t.startOffset, (t.endOffset ?? NaN) + 1);
  }

  program(cst: CstNode): Program {
    return {
      blocks: present(nodes(cst, 'blockDef').map((n) => this.blockDef(n))),
      models: present(nodes(cst, 'modelDef').map((n) => this.modelDef(n))),
    };
  }

  private blockDef(node: CstNode): BlockDef | undefined {
    const name = token(node, 'name');
    const body = child(node, 'body');
    if (!name || !body || node.recoveredNode) return undefined;
    const params = present(nodes(node, 'param').map((p) => this.param(p)));
    return {
      kind: 'block',
      name: this.ident(name),
      params,
      body: this.body(body),
      span: this.nodeSpan(node),
    };
  }

  private param(node: CstNode): Param | undefined {
    const name = token(node, 'name');
    if (!name) return undefined;
    const def = child(node, 'default');
    const value = def ? this.expr(def) : undefined;
    return {
      name: this.ident(name),
      ...(value ? { default: value } : {}),
      span: this.nodeSpan(node),
    };
  }

  private modelDef(node: CstNode): ModelDef | undefined {
    const name = this.name(child(node, 'name'));
    const body = child(node, 'body');
    if (!name || !body || node.recoveredNode) return undefined;
    return { kind: 'model', name, body: this.body(body), span: this.nodeSpan(node) };
  }

  private body(node: CstNode): Stmt[] {
    return present(
      nodes(node, 'statementLine').map((line) => {
        const stmt = child(line, 'statement');
        return stmt ? this.statement(stmt) : undefined;
      }),
    );
  }

  private statement(node: CstNode): Stmt | undefined {
    if (node.recoveredNode) return undefined;
    const [kind, inner] = Object.entries(node.children)[0] ?? [];
    if (!kind || !isNode(inner?.[0])) return undefined;
    const n = inner[0];
    if (n.recoveredNode) return undefined;
    const span = this.nodeSpan(n);
    switch (kind) {
      case 'inputDecl': {
        const name = this.name(child(n, 'name'));
        const dtype = token(n, 'dtype');
        const dims = present(nodes(n, 'dims').map((d) => this.expr(d)));
        return name && dtype
          ? { kind: 'input', name, dtype: this.ident(dtype), dims, span }
          : undefined;
      }
      case 'outputDecl':
        return { kind: 'output', names: present(nodes(n, 'names').map((x) => this.name(x))), span };
      case 'trainSection':
        return {
          kind: 'train',
          entries: present(nodes(n, 'trainLine').map((l) => this.trainEntry(l))),
          span,
        };
      case 'freezeGroup': {
        const body = child(n, 'body');
        return body ? { kind: 'freeze', body: this.body(body), span } : undefined;
      }
      case 'layer':
        return this.layer(n, span);
      default:
        return undefined;
    }
  }

  private trainEntry(node: CstNode): TrainEntryAst | undefined {
    const key = token(node, 'key');
    if (!key) return undefined;
    const args = present(nodes(node, 'arg').map((a) => this.arg(a)));
    const last = args[args.length - 1];
    const keySpan = this.tokenSpan(key);
    return {
      key: this.ident(key),
      args,
      span: last ? this.source.join(keySpan, last.span) : keySpan,
    };
  }

  private layer(node: CstNode, span: Span): Stmt | undefined {
    const nameNode = child(node, 'name');
    const name = nameNode ? this.name(nameNode) : undefined;
    if (nameNode && !name) return undefined;
    const frozen = tokens(node, 'Freeze').length > 0;
    const repeat = child(node, 'repeat');
    const common = { ...(name ? { name } : {}), frozen };
    if (repeat) {
      const count = child(repeat, 'count');
      const body = child(repeat, 'body');
      const countExpr = count ? this.expr(count) : undefined;
      if (!countExpr || !body || repeat.recoveredNode) return undefined;
      return { kind: 'repeat', ...common, count: countExpr, body: this.body(body), span };
    }
    const call = child(node, 'call');
    const op = call ? token(call, 'op') : undefined;
    if (!call || !op || call.recoveredNode) return undefined;
    const hasParens = tokens(call, 'LParen').length > 0;
    const inputs = present(nodes(call, 'inputs').map((x) => this.name(x)));
    const args = present(nodes(call, 'arg').map((a) => this.arg(a)));
    // A call's span starts at its op: carets then point at `conv 64`, not at `x = freeze`.
    return {
      kind: 'call',
      ...common,
      callee: this.ident(op),
      ...(hasParens ? { inputs } : {}),
      args,
      span: this.nodeSpan(call),
    };
  }

  private arg(node: CstNode): Arg | undefined {
    const valueNode = child(node, 'value');
    const value = valueNode ? this.expr(valueNode) : undefined;
    if (!value) return undefined;
    const key = token(node, 'key');
    return { ...(key ? { key: this.ident(key) } : {}), value, span: this.nodeSpan(node) };
  }

  private ident(t: IToken): Name {
    return { text: t.image, span: this.tokenSpan(t), quoted: false };
  }

  private name(node: CstNode | undefined): Name | undefined {
    if (!node) return undefined;
    const plain = token(node, 'Identifier');
    if (plain) return this.ident(plain);
    const quoted = token(node, 'QuotedName');
    if (!quoted) return undefined;
    return { text: unquote(quoted.image), span: this.tokenSpan(quoted), quoted: true };
  }

  private expr(node: CstNode): Expr | undefined {
    return this.chain(node, (n) => this.chain(n, (u) => this.unary(u)));
  }

  /** `operand (operator operand)*`, shared by the additive and multiplicative levels. */
  private chain(node: CstNode, operand: (n: CstNode) => Expr | undefined): Expr | undefined {
    const operands = nodes(node, 'operands').map(operand);
    const operators = tokens(node, 'operators');
    if (operands.length === 0 || operands.some((o) => o === undefined)) return undefined;
    const [first, ...others] = operands as Expr[];
    if (others.length === 0) return first;
    if (operators.length !== others.length) return undefined;
    const rest = others.map((o, i) => ({ op: operators[i]!.image as BinaryOperator, operand: o }));
    return { kind: 'chain', first: first!, rest, span: this.nodeSpan(node) };
  }

  private unary(node: CstNode): Expr | undefined {
    const atomNode = child(node, 'atom');
    const atom = atomNode ? this.atom(atomNode) : undefined;
    if (!atom) return undefined;
    const minus = tokens(node, 'Minus').length;
    return minus % 2 === 1 ? { kind: 'negate', operand: atom, span: this.nodeSpan(node) } : atom;
  }

  private atom(node: CstNode): Expr | undefined {
    const span = this.nodeSpan(node);
    const num = token(node, 'NumberLiteral');
    if (num) return { kind: 'number', value: Number(num.image), span };
    if (token(node, 'True')) return { kind: 'bool', value: true, span };
    if (token(node, 'False')) return { kind: 'bool', value: false, span };
    const id = token(node, 'Identifier');
    if (id) return { kind: 'name', name: this.ident(id), span };
    const quoted = token(node, 'QuotedName');
    if (quoted) {
      return { kind: 'name', name: { text: unquote(quoted.image), span, quoted: true }, span };
    }
    const inner = child(node, 'inner');
    if (inner) return this.expr(inner);
    const list = child(node, 'list');
    if (!list || list.recoveredNode) return undefined;
    const items = nodes(list, 'items').map((i) => this.expr(i));
    if (items.some((i) => i === undefined)) return undefined;
    return { kind: 'list', items: items as Expr[], span };
  }
}
