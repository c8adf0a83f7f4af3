/**
 * A block of charts in a panel: drawn at the block's width, redrawn on a theme change, and for the
 * quality–speed charts a selector of the benchmark when there is more than one.
 */
import type { ChartSpec } from '../../../src/core/charts/types';
import { gridCellWidth, renderChart, type ChartOptions } from './renderChart';
import { watchTheme } from './themeColors';

function widthOf(element: HTMLElement): number {
  return element.clientWidth || document.body.clientWidth || 640;
}

/** All charts one after the other. */
export function chartsSection(specs: ChartSpec[], options: ChartOptions = {}): HTMLElement {
  const block = document.createElement('div');
  block.className = 'charts';
  const draw = () => {
    const width = block.isConnected ? gridCellWidth(widthOf(block), specs.length) : 640;
    block.replaceChildren(...specs.map((s) => renderChart(s, { ...options, width })));
  };
  draw();
  requestAnimationFrame(draw);
  watchTheme(draw);
  return block;
}

/** One chart at a time, with a <select> of their titles (one chart per benchmark). */
export function chartSelector(specs: ChartSpec[], label: string, options: ChartOptions = {}): HTMLElement {
  const block = document.createElement('div');
  block.className = 'charts chart-selector';
  const holder = document.createElement('div');
  let index = 0;
  const draw = () => {
    const spec = specs[index];
    holder.replaceChildren(spec ? renderChart(spec, { ...options, width: widthOf(block) - 16 }) : document.createTextNode(''));
  };
  if (specs.length > 1) {
    const select = document.createElement('select');
    select.setAttribute('aria-label', label);
    specs.forEach((s, i) => select.append(new Option(s.title, String(i))));
    select.addEventListener('change', () => {
      index = Number(select.value);
      draw();
    });
    const caption = document.createElement('label');
    caption.append(`${label}: `, select);
    block.append(caption);
  }
  block.append(holder);
  draw();
  requestAnimationFrame(draw);
  watchTheme(draw);
  return block;
}
