/**
 * `kiln summary MODEL.kiln [--json]`: per-layer output shape, parameters and MACs, then totals
 * and the share of parameters held by dense layers (the figure that motivates `fc-to-conv`).
 */
import type { ModelStats, Shape } from '@kiln/core';
import { formatShape, modelStats, visible } from '@kiln/core';
import type { Command } from '../command.js';
import { helpFlag, jsonFlag } from '../command.js';
import { exitCode, UsageError } from '../io.js';
import { loadModel } from '../model.js';
import { grouped, humanCount, renderTable } from '../table.js';

const percent = (share: number) => `${(share * 100).toFixed(2)}%`;

export function summaryJson(model: string, stats: ModelStats): unknown {
  return {
    model,
    layers: stats.layers.map((l) => ({
      name: l.name,
      op: l.op,
      shape: l.shape,
      params: l.params,
      buffers: l.buffers,
      macs: l.macs ?? null,
      frozen: l.frozen,
    })),
    totals: {
      params: stats.totalParams,
      trainableParams: stats.trainableParams,
      buffers: stats.totalBuffers,
      macs: stats.totalMacs ?? null,
      denseParams: stats.denseParams,
      convParams: stats.convParams,
      denseShare: stats.denseShare,
    },
  };
}

export function summaryText(model: string, inputs: string[], stats: ModelStats): string {
  const rows = stats.layers.map((l) => [
    visible(l.name) + (l.frozen ? ' (frozen)' : ''),
    l.op,
    formatShape(l.shape as Shape),
    l.params ? grouped(l.params) : '-',
    l.macs === undefined ? '?' : l.macs ? grouped(l.macs) : '-',
  ]);
  const table = renderTable(['layer', 'op', 'output', 'params', 'MACs'], rows, [
    'left',
    'left',
    'left',
    'right',
    'right',
  ]);
  const macs =
    stats.totalMacs === undefined
      ? 'unknown (symbolic dimensions)'
      : `${grouped(stats.totalMacs)} (${humanCount(stats.totalMacs)}) per sample`;
  const lines = [
    `model ${visible(model)}, input ${visible(inputs.join(', '))}`,
    '',
    table,
    '',
    `parameters   ${grouped(stats.totalParams)} (${humanCount(stats.totalParams)})` +
      (stats.trainableParams !== stats.totalParams
        ? `, trainable ${grouped(stats.trainableParams)}`
        : ''),
    ...(stats.totalBuffers
      ? [
          `buffers      ${grouped(stats.totalBuffers)} (batchnorm running statistics, not parameters)`,
        ]
      : []),
    `MACs         ${macs}`,
    `dense share  ${percent(stats.denseShare)} of parameters in dense layers (${grouped(stats.denseParams)})`,
  ];
  return lines.join('\n') + '\n';
}

export const summary: Command = {
  name: 'summary',
  usage: 'kiln summary MODEL.kiln [--json]',
  summary: 'per-layer output shape, parameters and MACs; totals; dense-layer share',
  flags: { json: jsonFlag, help: helpFlag },
  run({ positional, flags }, io) {
    if (positional.length !== 1) throw new UsageError('summary takes exactly one model file');
    const model = loadModel(io, positional[0]!);
    const stats = modelStats(model.graph, model.shapes);
    if (flags['json']) {
      io.stdout(JSON.stringify(summaryJson(model.graph.name, stats), null, 2) + '\n');
    } else {
      const inputs = model.graph.nodes
        .filter((n) => n.op === 'input')
        .map((n) => `${n.name} ${formatShape(model.shapes.get(n.name)!)}`);
      io.stdout(summaryText(model.graph.name, inputs, stats));
    }
    return exitCode.ok;
  },
};
