/** `kiln check MODEL.kiln`: parse and check; exit 1 with every located error. */
import { formatShape, visible } from '@kiln/core';
import type { Command } from '../command.js';
import { helpFlag, jsonFlag } from '../command.js';
import { exitCode, UsageError } from '../io.js';
import { loadModel } from '../model.js';

export const check: Command = {
  name: 'check',
  usage: 'kiln check MODEL.kiln [--json]',
  summary: 'parse and check a model; report every error with its location',
  flags: { json: jsonFlag, help: helpFlag },
  run({ positional, flags }, io) {
    if (positional.length !== 1) throw new UsageError('check takes exactly one model file');
    const path = positional[0]!;
    // A model with errors throws ModelError; the dispatcher prints it (as JSON under --json).
    const model = loadModel(io, path);
    const outputs = model.graph.outputs.map((o) => `${o} ${formatShape(model.shapes.get(o)!)}`);
    if (flags['json']) {
      io.stdout(
        JSON.stringify({
          ok: true,
          model: model.graph.name,
          nodes: model.graph.nodes.length,
          diagnostics: [],
        }) + '\n',
      );
    } else {
      io.stdout(
        `${path}: ok — model \`${visible(model.graph.name)}\`, ${model.graph.nodes.length} nodes, output ${visible(outputs.join(', '))}\n`,
      );
    }
    return exitCode.ok;
  },
};
