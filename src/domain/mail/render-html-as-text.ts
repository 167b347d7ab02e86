/**
 * A plain-text rendering of an HTML body (html-to-text): what the case shows and what reply
 * extraction reads when a mail has no text/plain part. Blockquotes become "> " lines, so quoted
 * history in HTML mail is recognised the same way as in plain text; links keep their text only
 * (the address goes in brackets when it differs); images are dropped.
 */
import { convert } from 'html-to-text';

const OPTIONS = {
  wordwrap: false as const,
  selectors: [
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, ignoreHref: false } },
    { selector: 'img', format: 'skip' },
    { selector: 'h1', options: { uppercase: false } },
    { selector: 'h2', options: { uppercase: false } },
    { selector: 'h3', options: { uppercase: false } },
    { selector: 'table', format: 'block' },
    { selector: 'tr', format: 'block' },
    { selector: 'td', format: 'inline' },
    { selector: 'th', format: 'inline' },
  ],
};

export function renderHtmlAsText(html: string): string {
  return convert(html, OPTIONS).replace(/\r\n?/g, '\n').replace(/[ \t]+$/gm, '');
}
