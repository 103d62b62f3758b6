// Front-end speed: `compile` from @kiln/dsl (lex, parse, expand blocks, build the IR, check
// shapes), median over many runs of each example.
import { compileKiln, loadExample } from '../kiln.mjs';
import { fmtMs } from '../format.mjs';
import { timings } from '../measure.mjs';

const GOAL_MS = 20;
const FILES = ['vgg16', 'resnet18', 'googlenet'];

export const id = 'parse';

export async function run(ctx) {
  const chosen = FILES.filter((f) => ctx.selected(id, f));
  if (!chosen.length) return undefined;
  const rows = [];
  let vgg;
  for (const name of chosen) {
    ctx.log(`parse + check ${name}`);
    const { file, source } = loadExample(ctx.root, name);
    const nodes = compileKiln(source, file).graph.nodes.length;
    const plan = { ...ctx.plan.small, warmup: 20, minRuns: ctx.quick ? 20 : 200, maxRuns: 2000 };
    const t = await timings(() => compileKiln(source, file), plan);
    if (name === 'vgg16') vgg = t;
    const lines = source.split('\n').length;
    rows.push([file, String(lines), String(nodes), fmtMs(t.median), fmtMs(t.min), String(t.runs)]);
  }
  return {
    id,
    title: 'Parse + check',
    note:
      '`compile(source, file)` from `@kiln/dsl` on the example text: lexing, parsing, block ' +
      'expansion, IR construction and the shape checker, i.e. everything `kiln check` does ' +
      'short of reading the file and printing. Median over many runs after 20 warm-up runs ' +
      '(the first call also pays for V8 compiling the parser, which is not shown).',
    header: ['file', 'lines', 'IR nodes', 'median', 'fastest', 'runs'],
    rows,
    goals: vgg
      ? [
          {
            goal: `parse + check examples/vgg16.kiln < ${GOAL_MS} ms`,
            result: fmtMs(vgg.median),
            met: vgg.median < GOAL_MS,
          },
        ]
      : [],
    notes: [],
  };
}
