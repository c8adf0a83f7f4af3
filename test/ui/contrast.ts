/**
 * Text contrast of a webview, from computed styles: for every visible element that holds text, its
 * colour composited over the backgrounds behind it (walking up to the page), and the WCAG contrast
 * ratio. Runs inside the webview frame (Playwright `frame.evaluate`), so it must be self-contained.
 * Custom elements (VS Code's own buttons and fields) draw their text inside a shadow root with VS
 * Code's button colours; they are left out, and say so in `skipped`.
 */
import type { Frame } from 'playwright-core';

export interface LowContrast {
  text: string;
  ratio: number;
  color: string;
  background: string;
  element: string;
}

export interface ContrastReport {
  checked: number;
  skipped: number;
  worst: number;
  failures: LowContrast[];
}

export async function checkContrast(frame: Frame, minimum = 4.5): Promise<ContrastReport> {
  return frame.evaluate((min: number) => {
    type Rgba = { r: number; g: number; b: number; a: number };
    const doc = (globalThis as any).document;
    const win = globalThis as any;
    const parse = (css: string): Rgba => {
      const m = /rgba?\(([^)]+)\)/.exec(css);
      if (!m) return { r: 0, g: 0, b: 0, a: 0 };
      const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
      return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 };
    };
    const over = (top: Rgba, bottom: Rgba): Rgba => ({
      r: top.r * top.a + bottom.r * (1 - top.a),
      g: top.g * top.a + bottom.g * (1 - top.a),
      b: top.b * top.a + bottom.b * (1 - top.a),
      a: 1,
    });
    const channel = (v: number) => {
      const c = v / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    };
    const luminance = (c: Rgba) => 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
    const ratio = (a: Rgba, b: Rgba) => {
      const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
      return (hi + 0.05) / (lo + 0.05);
    };
    const css = (c: Rgba) => `rgb(${Math.round(c.r)}, ${Math.round(c.g)}, ${Math.round(c.b)})`;
    /** The backdrop of an element: its own and its ancestors' backgrounds, composited from the page up. */
    const backdrop = (el: any): Rgba => {
      const layers: Rgba[] = [];
      for (let node = el; node && node.nodeType === 1; node = node.parentElement) layers.push(parse(win.getComputedStyle(node).backgroundColor));
      let colour: Rgba = { r: 255, g: 255, b: 255, a: 1 };
      const page = parse(win.getComputedStyle(doc.documentElement).backgroundColor);
      const body = parse(win.getComputedStyle(doc.body).backgroundColor);
      if (page.a > 0) colour = over(page, colour);
      if (body.a > 0) colour = over(body, colour);
      for (const layer of layers.reverse()) if (layer.a > 0) colour = over(layer, colour);
      return colour;
    };
    const failures: { text: string; ratio: number; color: string; background: string; element: string }[] = [];
    let checked = 0;
    let skipped = 0;
    let worst = Infinity;
    for (const el of doc.querySelectorAll('body *')) {
      const ownText = [...el.childNodes].filter((n: any) => n.nodeType === 3).map((n: any) => n.textContent).join('').trim();
      if (!ownText) continue;
      if (el.tagName.includes('-')) {
        skipped++;
        continue;
      }
      const style = win.getComputedStyle(el);
      const rect = el.getBoundingClientRect();
      if (style.visibility === 'hidden' || style.display === 'none' || rect.width === 0 || rect.height === 0) continue;
      if (el.closest('option, script, style')) continue;
      const bg = backdrop(el);
      let fg = parse(style.color);
      const opacity = Number(style.opacity);
      fg = over({ ...fg, a: fg.a * (Number.isFinite(opacity) ? opacity : 1) }, bg);
      const r = ratio(fg, bg);
      checked++;
      worst = Math.min(worst, r);
      if (r < min) {
        const cls = typeof el.className === 'string' && el.className ? `.${el.className.trim().split(/\s+/).join('.')}` : '';
        failures.push({ text: ownText.slice(0, 60), ratio: Math.round(r * 100) / 100, color: css(fg), background: css(bg), element: `${el.tagName.toLowerCase()}${cls}` });
      }
    }
    return { checked, skipped, worst: Math.round(worst * 100) / 100, failures };
  }, minimum);
}

/** No element of `frame` overlaps another in the same row of boxes: header cells, and the table vs the detail pane. */
export async function overlappingBoxes(frame: Frame, selectors: string[]): Promise<string[]> {
  return frame.evaluate((sels: string[]) => {
    const doc = (globalThis as any).document;
    const problems: string[] = [];
    const boxes = sels.flatMap((sel) => [...doc.querySelectorAll(sel)].map((el: any, i: number) => ({ name: `${sel}[${i}] "${(el.textContent ?? '').trim().slice(0, 20)}"`, r: el.getBoundingClientRect() })));
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i].r;
        const b = boxes[j].r;
        if (a.width === 0 || b.width === 0) continue;
        const overlapX = Math.min(a.right, b.right) - Math.max(a.left, b.left);
        const overlapY = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
        if (overlapX > 1 && overlapY > 1) problems.push(`${boxes[i].name} overlaps ${boxes[j].name}`);
      }
    }
    return problems;
  }, selectors);
}
