import type { PersonalShareCard, PreviewDraft, ShareCard } from '../../../contract/analytics.js';
import { shareCopy } from '../analytics/copy.js';
import { openingWords } from '../drafts/content.js';
import { CARD_HEIGHT, CARD_WIDTH } from './card.js';
import { html, page, type SafeHtml } from './html.js';
import { personalSummary } from './personal-card.js';

function thread(draft: PreviewDraft): SafeHtml {
  return html`<ol>
${draft.segments.map((s) => html`<li><p class="author">${s.authorDisplay}</p><p class="post">${s.content}</p></li>\n`)}</ol>`;
}

/** What a link preview says of a thread: its opening words, else the card's subtitle. */
function description(draft: PreviewDraft, card: ShareCard): string {
  const first = draft.segments[0]?.content;
  return first ? openingWords(first, false) : card.subtitle;
}

/** The public page of a published thread, with the Open Graph and Twitter card tags that show its share card. */
export function publicPageHtml(draft: PreviewDraft, card: ShareCard, url: string, signUpUrl: string): string {
  const summary = description(draft, card);
  const head = html`<meta name="description" content="${summary}">
<link rel="canonical" href="${url}">
<meta property="og:type" content="article">
<meta property="og:site_name" content="${shareCopy.brand}">
<meta property="og:title" content="${draft.title}">
<meta property="og:description" content="${summary}">
<meta property="og:url" content="${url}">
<meta property="og:image" content="${card.imageUrl}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="${CARD_WIDTH}">
<meta property="og:image:height" content="${CARD_HEIGHT}">
<meta property="og:image:alt" content="${draft.title}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${draft.title}">
<meta name="twitter:description" content="${summary}">
<meta name="twitter:image" content="${card.imageUrl}">
<meta name="twitter:image:alt" content="${draft.title}">`;
  const body = html`<p class="top">${card.topLine}</p>
<h1>${draft.title}</h1>
<p class="by">${shareCopy.pageWrittenBy} ${draft.contributors.join(', ')}</p>
${thread(draft)}
<p class="cta"><a href="${signUpUrl}">${shareCopy.pageSignUp}</a></p>`;
  return page({ title: `${draft.title} · ${shareCopy.brand}`, head, body });
}

/** A draft as its secret preview link shows it: read-only, kept out of search engines. */
export function previewPageHtml(draft: PreviewDraft, appUrl: string): string {
  const head = html`<meta name="robots" content="noindex, nofollow">
<meta name="referrer" content="no-referrer">`;
  const body = html`<p class="notice">${shareCopy.previewNotice}</p>
<h1>${draft.title}</h1>
<p class="by">${shareCopy.pageWrittenBy} ${draft.contributors.join(', ')}</p>
${thread(draft)}
<p class="cta"><a href="${appUrl}">${shareCopy.pageOpenApp}</a></p>`;
  return page({ title: `${draft.title} · ${shareCopy.brand}`, head, body });
}

/** The answer to a page that is not there (or not public): the same for a missing draft and a private one. */
export function notFoundPageHtml(appUrl: string, options: { noindex: boolean }): string {
  const head = options.noindex ? html`<meta name="robots" content="noindex, nofollow">` : undefined;
  const body = html`<h1>${shareCopy.notFoundTitle}</h1>
<p class="by">${shareCopy.notFoundBody}</p>
<p class="cta"><a href="${appUrl}">${shareCopy.pageOpenApp}</a></p>`;
  return page({ title: `${shareCopy.notFoundTitle} · ${shareCopy.brand}`, head, body });
}

/**
 * The web app's index.html as the profile page of `card`'s user: its title and the Open Graph and Twitter card
 * tags that show the personal card, in its head. Replacements are functions, so no `$` in a name is a pattern.
 */
export function profilePageHtml(index: string, card: PersonalShareCard): string {
  const title = `${card.displayName} ${shareCopy.personalOnBrand}`;
  const summary = personalSummary(card);
  const url = card.cta.url;
  const head = html`<title>${title}</title>
<link rel="canonical" href="${url}">
<meta property="og:type" content="profile">
<meta property="og:site_name" content="${shareCopy.brand}">
<meta property="og:title" content="${title}">
<meta property="og:description" content="${summary}">
<meta property="og:url" content="${url}">
<meta property="og:image" content="${card.imageUrl}">
<meta property="og:image:type" content="image/png">
<meta property="og:image:width" content="${CARD_WIDTH}">
<meta property="og:image:height" content="${CARD_HEIGHT}">
<meta property="og:image:alt" content="${title}">
<meta name="twitter:card" content="summary_large_image">
<meta name="twitter:title" content="${title}">
<meta name="twitter:description" content="${summary}">
<meta name="twitter:image" content="${card.imageUrl}">
<meta name="twitter:image:alt" content="${title}">
`;
  return index.replace(/<title>[\s\S]*?<\/title>\s*/i, () => '').replace(/<\/head>/i, (end) => head.value + end);
}
