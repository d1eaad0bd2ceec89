/** Markup that is already safe: escaped text, or a template's own tags. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text for an element or a quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

type Value = string | number | SafeHtml | null | undefined | readonly Value[];

function render(value: Value): string {
  if (value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/** A template whose every interpolated value is escaped, unless it is SafeHtml (another `html` template). */
export function html(strings: TemplateStringsArray, ...values: Value[]): SafeHtml {
  return new SafeHtml(strings.reduce((out, s, i) => out + s + (i < values.length ? render(values[i]!) : ''), ''));
}

/**
 * The stylesheet of the server-rendered pages, inline: the CSP allows inline styles (and no inline scripts;
 * these pages have none). Readable on a phone: one column, system fonts, comfortable line length.
 */
const STYLE = new SafeHtml(`
:root { color-scheme: light dark; --fg: #0f172a; --muted: #475569; --bg: #f8fafc; --card: #ffffff; --line: #e2e8f0; --accent: #4f46e5; }
@media (prefers-color-scheme: dark) { :root { --fg: #e2e8f0; --muted: #94a3b8; --bg: #0f172a; --card: #1e293b; --line: #334155; --accent: #a5b4fc; } }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--fg); font: 17px/1.55 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; }
main { max-width: 40rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
.top { margin: 0; color: var(--accent); font-weight: 600; font-size: .9rem; }
h1 { margin: .25rem 0 .5rem; font-size: 1.7rem; line-height: 1.25; overflow-wrap: anywhere; }
.by, .notice { color: var(--muted); margin: 0 0 1.25rem; }
.notice { border-left: 3px solid var(--accent); padding: .25rem .75rem; }
ol { list-style: none; margin: 0; padding: 0; }
li { background: var(--card); border: 1px solid var(--line); border-radius: .75rem; padding: .85rem 1rem; margin: 0 0 .75rem; }
.author { margin: 0 0 .25rem; font-weight: 600; font-size: .9rem; color: var(--muted); }
.post { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.cta a { display: inline-block; margin-top: 1rem; padding: .65rem 1.1rem; border-radius: .5rem; background: var(--accent); color: var(--bg); font-weight: 600; text-decoration: none; }
`);

/** A whole page: `lang`, charset, viewport, title, the given head tags and the stylesheet. */
export function page(input: { title: string; head?: SafeHtml; body: SafeHtml }): string {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${input.title}</title>
${input.head}
<style>${STYLE}</style>
</head>
<body>
<main>
${input.body}
</main>
</body>
</html>
`.value;
}
