/**
 * The concrete syntax of Kiln as a chevrotain CST parser. Error recovery is on: a broken
 * statement is skipped up to the next token that can follow it, and parsing goes on, so one run
 * reports every syntax error it can. `cst-to-ast.ts` turns the tree into the typed AST.
 */
import type { IToken } from 'chevrotain';
import { CstParser, EMPTY_ALT } from 'chevrotain';
import {
  Block,
  Colon,
  Comma,
  Equals,
  False,
  Freeze,
  Identifier,
  Input,
  LBrace,
  LBracket,
  LParen,
  Minus,
  Model,
  Newline,
  NumberLiteral,
  Output,
  Plus,
  QuotedName,
  RBrace,
  RBracket,
  RParen,
  Repeat,
  Semicolon,
  Slash,
  Star,
  Train,
  True,
  allTokens,
} from './lexer.js';
import { syntaxMessages } from './syntax-messages.js';

/** Thrown to stop parsing once enough errors are known (see `SAVE_ERROR` below). */
export class TooManyErrors extends Error {}

/** Syntax errors past this many stop the parse: recovery on noise costs time per error. */
export const MAX_PARSE_ERRORS = 100;

type Recorder = { SAVE_ERROR(e: unknown): unknown };

export class KilnParser extends CstParser {
  private saved = 0;

  constructor() {
    super(allTokens, {
      recoveryEnabled: true,
      nodeLocationTracking: 'onlyOffset',
      errorMessageProvider: syntaxMessages,
      maxLookahead: 3,
    });
    // Chevrotain's in-repetition recovery scans ahead for a token that may follow the whole
    // rule stack; at the top level only the end of input does, so on noise every error costs a
    // scan to the end. Rule-level recovery (resync to the end of the statement) suffices.
    (this as unknown as { attemptInRepetitionRecovery: () => void }).attemptInRepetitionRecovery =
      () => {};
    this.performSelfAnalysis();
  }

  /**
   * Chevrotain's (untyped) hook that records each recognition error. A megabyte of noise would
   * otherwise yield tens of thousands of errors, with recovery work for each.
   */
  SAVE_ERROR(e: unknown): unknown {
    if (++this.saved > MAX_PARSE_ERRORS) throw new TooManyErrors();
    return (CstParser.prototype as unknown as Recorder).SAVE_ERROR.call(this, e);
  }

  startParse(tokens: IToken[]): void {
    this.saved = 0;
    this.input = tokens;
  }

  /** A file: blocks and models, in any order. */
  program = this.RULE('program', () => {
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        { ALT: () => this.CONSUME(Semicolon) },
        { ALT: () => this.SUBRULE(this.blockDef) },
        { ALT: () => this.SUBRULE(this.modelDef) },
      ]);
    });
  });

  blockDef = this.RULE('blockDef', () => {
    this.CONSUME(Block);
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.param);
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.param);
      });
    });
    this.CONSUME(RParen);
    this.SUBRULE(this.body);
  });

  param = this.RULE('param', () => {
    this.CONSUME(Identifier, { LABEL: 'name' });
    this.OPTION(() => {
      this.CONSUME(Equals);
      this.SUBRULE(this.expr, { LABEL: 'default' });
    });
  });

  modelDef = this.RULE('modelDef', () => {
    this.CONSUME(Model);
    this.SUBRULE(this.name);
    this.SUBRULE(this.body);
  });

  /** `{ statements }`, each ended by a newline, `;`, or the closing brace. */
  body = this.RULE('body', () => {
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        { ALT: () => this.CONSUME(Semicolon) },
        { ALT: () => this.SUBRULE(this.statementLine) },
      ]);
    });
    this.CONSUME(RBrace);
  });

  statementLine = this.RULE('statementLine', () => {
    this.SUBRULE(this.statement);
    this.SUBRULE(this.terminator);
  });

  terminator = this.RULE('terminator', () => {
    this.OR([
      { ALT: () => this.CONSUME(Newline) },
      { ALT: () => this.CONSUME(Semicolon) },
      { GATE: () => this.LA(1).tokenType === RBrace, ALT: EMPTY_ALT() },
    ]);
  });

  statement = this.RULE('statement', () => {
    this.OR([
      { ALT: () => this.SUBRULE(this.inputDecl) },
      { ALT: () => this.SUBRULE(this.outputDecl) },
      { ALT: () => this.SUBRULE(this.trainSection) },
      { ALT: () => this.SUBRULE(this.freezeGroup) },
      { ALT: () => this.SUBRULE(this.layer) },
    ]);
  });

  inputDecl = this.RULE('inputDecl', () => {
    this.CONSUME(Input);
    this.SUBRULE(this.name);
    this.CONSUME(Colon);
    this.CONSUME(Identifier, { LABEL: 'dtype' });
    this.CONSUME(LBracket);
    this.SUBRULE(this.expr, { LABEL: 'dims' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.expr, { LABEL: 'dims' });
    });
    this.CONSUME(RBracket);
  });

  outputDecl = this.RULE('outputDecl', () => {
    this.CONSUME(Output);
    this.SUBRULE(this.name, { LABEL: 'names' });
    this.MANY(() => {
      this.CONSUME(Comma);
      this.SUBRULE2(this.name, { LABEL: 'names' });
    });
  });

  trainSection = this.RULE('trainSection', () => {
    this.CONSUME(Train);
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Newline) },
        { ALT: () => this.CONSUME(Semicolon) },
        { ALT: () => this.SUBRULE(this.trainLine) },
      ]);
    });
    this.CONSUME(RBrace);
  });

  trainLine = this.RULE('trainLine', () => {
    this.CONSUME(Identifier, { LABEL: 'key' });
    this.MANY(() => this.SUBRULE(this.arg));
    this.SUBRULE(this.terminator);
  });

  freezeGroup = this.RULE('freezeGroup', () => {
    this.CONSUME(Freeze);
    this.SUBRULE(this.body);
  });

  /** `[name =] [freeze] (repeat n { ... } | op [(inputs)] args...)` */
  layer = this.RULE('layer', () => {
    this.OPTION(() => {
      this.SUBRULE(this.name);
      this.CONSUME(Equals);
    });
    this.OPTION2(() => this.CONSUME(Freeze));
    this.OR([{ ALT: () => this.SUBRULE(this.repeat) }, { ALT: () => this.SUBRULE(this.call) }]);
  });

  repeat = this.RULE('repeat', () => {
    this.CONSUME(Repeat);
    this.SUBRULE(this.expr, { LABEL: 'count' });
    this.SUBRULE(this.body);
  });

  call = this.RULE('call', () => {
    this.CONSUME(Identifier, { LABEL: 'op' });
    this.OPTION(() => {
      this.CONSUME(LParen);
      this.OPTION2(() => {
        this.SUBRULE(this.name, { LABEL: 'inputs' });
        this.MANY(() => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.name, { LABEL: 'inputs' });
        });
      });
      this.CONSUME(RParen);
    });
    this.MANY2(() => this.SUBRULE(this.arg));
  });

  /** `key=value` or a positional value. */
  arg = this.RULE('arg', () => {
    this.OPTION(() => {
      this.CONSUME(Identifier, { LABEL: 'key' });
      this.CONSUME(Equals);
    });
    this.SUBRULE(this.expr, { LABEL: 'value' });
  });

  name = this.RULE('name', () => {
    this.OR([{ ALT: () => this.CONSUME(Identifier) }, { ALT: () => this.CONSUME(QuotedName) }]);
  });

  // Operator chains are flat lists, so `1+1+...+1` a million long needs no deep recursion.
  expr = this.RULE('expr', () => {
    this.SUBRULE(this.term, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Plus, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Minus, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.term, { LABEL: 'operands' });
    });
  });

  term = this.RULE('term', () => {
    this.SUBRULE(this.unary, { LABEL: 'operands' });
    this.MANY(() => {
      this.OR([
        { ALT: () => this.CONSUME(Star, { LABEL: 'operators' }) },
        { ALT: () => this.CONSUME(Slash, { LABEL: 'operators' }) },
      ]);
      this.SUBRULE2(this.unary, { LABEL: 'operands' });
    });
  });

  unary = this.RULE('unary', () => {
    this.MANY(() => this.CONSUME(Minus));
    this.SUBRULE(this.atom);
  });

  atom = this.RULE('atom', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(True) },
      { ALT: () => this.CONSUME(False) },
      { ALT: () => this.CONSUME(Identifier) },
      { ALT: () => this.CONSUME(QuotedName) },
      {
        ALT: () => {
          this.CONSUME(LParen);
          this.SUBRULE(this.expr, { LABEL: 'inner' });
          this.CONSUME(RParen);
        },
      },
      { ALT: () => this.SUBRULE(this.list) },
    ]);
  });

  list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr, { LABEL: 'items' });
      this.MANY(() => {
        this.CONSUME(Comma);
        this.SUBRULE2(this.expr, { LABEL: 'items' });
      });
    });
    this.CONSUME(RBracket);
  });
}
