/**
 * Chart colours from the theme. SVG presentation attributes do not resolve CSS variables, so the
 * VS Code variables (or the HTML report's stand-ins) are read once per render; a theme change
 * re-renders (see watchTheme).
 */
export interface ChartColors {
  foreground: string;
  a: string;
  b: string;
  better: string;
  worse: string;
  accent: string;
}

function cssVar(style: CSSStyleDeclaration, names: string[], fallback: string): string {
  for (const name of names) {
    const value = style.getPropertyValue(name).trim();
    if (value) return value;
  }
  return fallback;
}

export function chartColors(): ChartColors {
  const style = getComputedStyle(document.body);
  return {
    foreground: cssVar(style, ['--vscode-editor-foreground', '--vscode-foreground'], 'currentColor'),
    a: cssVar(style, ['--vscode-charts-blue'], '#1a85ff'),
    b: cssVar(style, ['--vscode-charts-orange'], '#d18616'),
    better: cssVar(style, ['--vscode-charts-green', '--vscode-testing-iconPassed'], '#388a34'),
    worse: cssVar(style, ['--vscode-charts-red', '--vscode-testing-iconFailed'], '#e51400'),
    accent: cssVar(style, ['--vscode-charts-purple', '--vscode-focusBorder'], '#652d90'),
  };
}

/** Calls `redraw` when VS Code switches theme (it changes the body's class and style). */
export function watchTheme(redraw: () => void): void {
  let last = document.body.className;
  new MutationObserver(() => {
    if (document.body.className === last) return;
    last = document.body.className;
    redraw();
  }).observe(document.body, { attributes: true, attributeFilter: ['class'] });
}
