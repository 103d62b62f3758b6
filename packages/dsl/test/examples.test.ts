/**
 * The example architectures compile, match their published parameter and MAC counts, and read
 * back unchanged from printed text.
 */
import { modelStats } from '@kiln/core';
import { describe, expect, it } from 'vitest';
import { compile, printGraph } from '../src/index.js';
import { example, exampleNames, structure } from './helpers.js';

function stats(name: string) {
  const result = compile(example(name), `${name}.kiln`);
  expect(result.diagnostics).toEqual([]);
  return { ...modelStats(result.graph!, result.shapes!), result };
}

describe('examples', () => {
  it('lenet5: 61,706 parameters, 416,520 MACs', () => {
    // By hand: conv 1->6 k5: 6*25+6 = 156; conv 6->16 k5: 16*150+16 = 2,416; dense 400->120:
    // 48,120; 120->84: 10,164; 84->10: 850. MACs: 28*28*6*25 = 117,600; 10*10*16*150 =
    // 240,000; dense 48,000 + 10,080 + 840.
    const s = stats('lenet5');
    expect(s.totalParams).toBe(61_706);
    expect(s.totalMacs).toBe(416_520);
  });

  it('mlp-fashion: 247,766 parameters, 247,272 MACs, and its train section', () => {
    // By hand: 784*256+256 = 200,960; 256*128+128 = 32,896; 128*100+100 = 12,900;
    // 100*10+10 = 1,010. MACs are the weight counts: 200,704 + 32,768 + 12,800 + 1,000.
    const s = stats('mlp-fashion');
    expect(s.totalParams).toBe(247_766);
    expect(s.totalMacs).toBe(247_272);
    const training = s.result.graph!.training!;
    expect(training['loss']!.value).toBe('cross_entropy');
    expect(training['optimizer']).toMatchObject({ value: 'sgd', options: { momentum: 0.9 } });
    expect([
      training['lr']!.value,
      training['batch_size']!.value,
      training['epochs']!.value,
    ]).toEqual([0.01, 64, 10]);
  });

  it('alexnet: torchvision counts', () => {
    // MACs by hand: convs 70,276,800 + 223,948,800 + 112,140,288 + 149,520,384 + 99,680,256;
    // dense 37,748,736 + 16,777,216 + 4,096,000.
    const s = stats('alexnet');
    expect(s.totalParams).toBe(61_100_840);
    expect(s.totalMacs).toBe(714_188_480);
  });

  it('vgg16: torchvision counts', () => {
    const s = stats('vgg16');
    expect(s.totalParams).toBe(138_357_544);
    expect(s.denseParams).toBe(123_642_856);
    expect(s.totalMacs).toBe(15_470_264_320);
  });

  it('resnet18: torchvision counts and module names', () => {
    const s = stats('resnet18');
    expect(s.totalParams).toBe(11_689_512);
    expect(s.totalMacs).toBe(1_814_073_344);
    const names = s.result.graph!.nodes.map((n) => n.name);
    expect(names).toContain('layer2.0.downsample.0');
    expect(s.result.shapes!.get('layer4.1.bn2')).toEqual(['N', 512, 7, 7]);
  });

  it('googlenet: torchvision counts', () => {
    // Both figures from PyTorch 1.13: torchvision's GoogLeNet layers rebuilt with torch.nn
    // (torchvision itself is not installed), parameters summed, conv/linear MACs counted by
    // forward hooks on a 224x224 input. The parameter count matches torchvision's docs.
    const s = stats('googlenet');
    expect(s.totalParams).toBe(6_624_904);
    expect(s.totalMacs).toBe(1_498_376_192);
    expect(s.result.shapes!.get('inception5b.concat1')).toEqual(['N', 1024, 7, 7]);
  });

  it.each(exampleNames)('%s prints and reads back to the same graph', (name) => {
    const graph = compile(example(name)).graph!;
    const again = compile(printGraph(graph), 'printed.kiln');
    expect(again.diagnostics).toEqual([]);
    expect(structure(again.graph!)).toEqual(structure(graph));
  });
});
