/**
 * The HTML body of a mail, made safe to show to an agent.
 *
 * Decisions (docs/decisions/0005-inbound-mail-parsing.md):
 * - Nothing executable survives: no script/style/iframe/object/form elements, no event-handler
 *   attributes, no javascript:/vbscript:/data: links. This is an allow-list (sanitize-html), so
 *   anything not named here is dropped.
 * - Remote images are blocked: `src` is moved to `data-blocked-src` (the UI may offer "load
 *   images"), because a remote image tells the sender when and where an agent read the mail.
 *   Images from the message itself stay: `cid:` (rewritten later to the served attachment) and
 *   `data:image/*`.
 * - Inline style is kept only for a few presentational properties, never with url(…).
 * - Links open in a new tab without a referrer.
 */
import sanitizeHtml from 'sanitize-html';

const SAFE_VALUE = /^(?!.*(?:url\s*\(|expression\s*\(|javascript:|@import))[-#%.,()\w\s"']{1,80}$/i;

const PRESENTATIONAL_STYLES = [
  'color',
  'background-color',
  'text-align',
  'text-decoration',
  'font-weight',
  'font-style',
  'font-size',
  'font-family',
  'line-height',
  'vertical-align',
  'white-space',
  'width',
  'max-width',
  'height',
  'padding',
  'margin',
  'border',
  'border-collapse',
  'border-left',
  'border-top',
];

const OPTIONS: sanitizeHtml.IOptions = {
  allowedTags: [
    ...sanitizeHtml.defaults.allowedTags.filter((tag) => tag !== 'style'),
    'img',
    'font',
    'center',
    'del',
    'ins',
    'u',
    's',
  ],
  disallowedTagsMode: 'discard',
  allowedAttributes: {
    '*': ['style', 'title', 'dir', 'lang', 'align', 'valign', 'width', 'height', 'class'],
    a: ['href', 'name', 'target', 'rel'],
    img: ['src', 'alt', 'data-blocked-src'],
    font: ['color', 'size', 'face'],
    td: ['colspan', 'rowspan', 'bgcolor'],
    th: ['colspan', 'rowspan', 'bgcolor'],
    table: ['border', 'cellpadding', 'cellspacing', 'bgcolor'],
    blockquote: ['type', 'cite'],
    ol: ['start', 'type'],
  },
  allowedSchemes: ['http', 'https', 'mailto', 'tel'],
  allowedSchemesByTag: { img: ['cid', 'data'] },
  allowedSchemesAppliedToAttributes: ['href', 'src', 'cite'],
  allowProtocolRelative: false,
  allowedStyles: { '*': Object.fromEntries(PRESENTATIONAL_STYLES.map((property) => [property, [SAFE_VALUE]])) },
  transformTags: {
    a: (tagName, attributes) => ({ tagName, attribs: { ...attributes, target: '_blank', rel: 'noopener noreferrer nofollow' } }),
    img: (tagName, attributes) => {
      const source = (attributes.src ?? '').trim();
      const isOwnImage = /^cid:/i.test(source) || /^data:image\/(?:png|gif|jpe?g|webp);base64,/i.test(source);
      if (isOwnImage) return { tagName, attribs: attributes };
      const { src: _src, ...rest } = attributes;
      return { tagName, attribs: source ? { ...rest, 'data-blocked-src': source } : rest };
    },
  },
};

export function sanitizeMessageHtml(html: string): string {
  return sanitizeHtml(html, OPTIONS);
}
