// The fully convolutional VGG-16: after `fc-to-conv` (spatial mode) one pass over a 384x384
// image gives a 6x6 map of class scores; the same scores one at a time take 36 passes over
// 224x224 crops at (32i, 32j) through the original model. Each side is run once (a crop pass is
// a whole VGG-16 forward, ~15.5 GMAC), and cells of the map are compared with the crops.
//
// A cell cannot equal its crop exactly: VGG-16's convolutions pad by 1, so a crop sees zeros past
// its borders where the big image has real pixels (and, deeper, real activations). The exact
// check is therefore the rewritten model on crop (0, 0) at 224x224 against the original model;
// the cells are compared to show how far the border effects reach, and by their top class.
import { runPasses, withInputShapes } from '@kiln/core';
import { relativeDiff, seededUniform } from '../data.mjs';
import { fmtDiff, fmtMs, fmtRatio } from '../format.mjs';
import { exampleModel, kilnSession, runFirst } from '../kiln.mjs';
import { timeOnce } from '../measure.mjs';

const BIG = 384;
const CROP = 224;
const STEP = 32;
const GRID = (BIG - CROP) / STEP + 1;
const CLASSES = 1000;
const GOAL = 5;
/** Cells compared with their crop; every crop is run anyway, so all of them. */
const ALL_CELLS = Array.from({ length: GRID * GRID }, (_, c) => [Math.floor(c / GRID), c % GRID]);

/** The 224x224 window of a [1, 3, 384, 384] image at (top, left), as a Kiln tensor. */
function crop(image, top, left) {
  const data = new Float32Array(3 * CROP * CROP);
  for (let c = 0; c < 3; c++)
    for (let y = 0; y < CROP; y++) {
      const from = (c * BIG + top + y) * BIG + left;
      data.set(image.subarray(from, from + CROP), (c * CROP + y) * CROP);
    }
  return { dtype: 'f32', shape: [1, 3, CROP, CROP], data };
}

/** The class scores of cell (i, j) of a [1, 1000, 6, 6] map. */
function cell(map, i, j) {
  const out = new Float32Array(CLASSES);
  for (let k = 0; k < CLASSES; k++) out[k] = map[(k * GRID + i) * GRID + j];
  return out;
}

function argmax(v) {
  let best = 0;
  for (let k = 1; k < v.length; k++) if (v[k] > v[best]) best = k;
  return best;
}

/** Times both sides; `cells` limits the crops (for trying the suite out), all 36 by default. */
export async function fcnCompare(ctx, cells = ALL_CELLS) {
  const vgg = exampleModel(ctx.root, 'vgg16');
  const rewritten = runPasses(vgg.graph, ['fc-to-conv'], vgg.weights, { spatial: true });
  const fcnGraph = withInputShapes(rewritten.graph, { image: [1, 3, BIG, BIG] });
  const image = seededUniform(3 * BIG * BIG, 'input.image.384');
  const big = { image: { dtype: 'f32', shape: [1, 3, BIG, BIG], data: image } };
  const crops = cells.map(([i, j]) => ({ image: crop(image, STEP * i, STEP * j) }));

  ctx.log(`fcn: one ${BIG}x${BIG} pass`);
  const fcnSession = await kilnSession(fcnGraph, rewritten.weights);
  const one = await timeOnce(() => runFirst(fcnSession, fcnGraph, big));
  const map = one.value;
  if (map.shape.join() !== [1, CLASSES, GRID, GRID].join()) {
    throw new Error(`fcn: expected a [1, ${CLASSES}, ${GRID}, ${GRID}] map, got [${map.shape}]`);
  }
  ctx.log(`fcn: ${crops.length} crops of ${CROP}x${CROP}`);
  const cropSession = await kilnSession(vgg.graph, vgg.weights);
  const many = await timeOnce(async () => {
    const outs = [];
    for (const input of crops) outs.push((await runFirst(cropSession, vgg.graph, input)).data);
    return outs;
  });
  const cellDiffs = cells.map(([i, j], c) => relativeDiff(cell(map.data, i, j), many.value[c]));
  const sameTop = cells.filter(
    ([i, j], c) => argmax(cell(map.data, i, j)) === argmax(many.value[c]),
  ).length;
  ctx.log('fcn: rewritten model at 224x224 on crop (0, 0), the exact check');
  const exactSession = await kilnSession(rewritten.graph, rewritten.weights);
  const exact = await runFirst(exactSession, rewritten.graph, crops[0]);
  const exactDiff = relativeDiff(exact.data, many.value[0]);
  return {
    oneMs: one.ms,
    cropsMs: many.ms,
    crops: crops.length,
    cellDiff: { min: Math.min(...cellDiffs), max: Math.max(...cellDiffs) },
    sameTop,
    exactDiff,
  };
}

export const id = 'fcn';

export async function run(ctx) {
  if (!ctx.selected(id, 'vgg16-384')) return undefined;
  const r = await fcnCompare(ctx);
  const ratio = r.cropsMs / r.oneMs;
  return {
    id,
    title: 'Fully convolutional VGG-16: one 384×384 pass vs 36 crops',
    note:
      "VGG-16 with seeded weights, rewritten by `runPasses(graph, ['fc-to-conv'], weights, " +
      '{ spatial: true })` (fc6 becomes a 7×7 convolution, fc7 and fc8 1×1 ones) and rebound ' +
      `to a [1, 3, ${BIG}, ${BIG}] input by \`withInputShapes\`: one Kiln CPU run gives a ` +
      `[1, ${CLASSES}, ${GRID}, ${GRID}] map. The alternative runs the original model on the ` +
      `${GRID * GRID} crops of ${CROP}×${CROP} at (${STEP}i, ${STEP}j), one after another ` +
      '(crops are cut before timing). Each side is timed once, without repetition; compiling ' +
      'the sessions (weight packing) is not timed. Both sides ran on the Kiln CPU backend.',
    header: ['variant', 'time (one run)', 'passes', 'speed-up'],
    rows: [
      [`fully convolutional, one ${BIG}×${BIG} pass`, fmtMs(r.oneMs), '1', fmtRatio(ratio)],
      [`original, ${r.crops} crops of ${CROP}×${CROP}`, fmtMs(r.cropsMs), String(r.crops), '1.00×'],
    ],
    goals: [
      {
        goal: `one ${BIG}×${BIG} pass ≥ ${GOAL}× faster than ${GRID * GRID} crops`,
        result: fmtRatio(ratio),
        met: ratio >= GOAL,
      },
    ],
    notes: [
      `exact check: the rewritten model at 224×224 on crop (0, 0) against the original model: ` +
        `relative difference ${fmtDiff(r.exactDiff)}` +
        (r.exactDiff <= 1e-4 ? ' (same scores)' : ' MISMATCH'),
      `cell (i, j) of the map against crop (i, j), all ${r.crops} cells: relative difference ` +
        `${fmtDiff(r.cellDiff.min)} to ${fmtDiff(r.cellDiff.max)}, same top class in ` +
        `${r.sameTop} of ${r.crops}. Not equal by design: VGG-16 pads every 3×3 convolution, ` +
        'so a crop sees zeros past its borders where the large image has pixels; the map ' +
        'matches what OverFeat-style dense evaluation computes, not the crops exactly.',
    ],
  };
}
