/**
 * A mail body as a list of blocks, rendered twice: as plain text and as HTML. Every value is
 * inserted as text; the HTML renderer escapes it, so customer- or agent-written content (a reply,
 * a case subject, a name) can never become markup.
 */
export type MailBlock =
  | { type: 'paragraph'; text: string }
  /** Text someone wrote (a reply, a description): line breaks kept, shown as a quoted block in HTML. */
  | { type: 'quote'; text: string }
  | { type: 'link'; label: string; url: string }
  /** Small print under a rule (how to reply, "automatic message"). */
  | { type: 'footer'; text: string };

export type RenderedBody = { text: string; html: string };

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (character) => HTML_ENTITIES[character]!);
}

function htmlLines(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => escapeHtml(line))
    .join('<br>\n');
}

/** Only http(s) links become anchors: a `javascript:` URL in data is shown as text, never made clickable. */
function isSafeUrl(url: string): boolean {
  return /^https?:\/\//i.test(url);
}

export function renderText(blocks: MailBlock[]): string {
  const parts: string[] = [];
  let ruled = false;
  for (const block of blocks) {
    if (block.type === 'footer' && !ruled) {
      parts.push('--');
      ruled = true;
    }
    if (block.type === 'link') parts.push(`${block.label}: ${block.url}`);
    else parts.push(block.text.replace(/\r\n/g, '\n').trimEnd());
  }
  return `${parts.join('\n\n')}\n`;
}

export function renderHtml(blocks: MailBlock[], language: string): string {
  const body = blocks
    .map((block) => {
      switch (block.type) {
        case 'paragraph':
          return `<p style="margin:0 0 16px">${htmlLines(block.text)}</p>`;
        case 'quote':
          return `<div style="margin:0 0 16px;padding:0 0 0 12px;border-left:3px solid #d0d7de;white-space:normal">${htmlLines(block.text)}</div>`;
        case 'link':
          return isSafeUrl(block.url)
            ? `<p style="margin:0 0 16px"><a href="${escapeHtml(block.url)}" style="color:#0b5cad">${escapeHtml(block.label)}</a></p>`
            : `<p style="margin:0 0 16px">${escapeHtml(block.label)}: ${escapeHtml(block.url)}</p>`;
        case 'footer':
          return `<p style="margin:0 0 8px;color:#57606a;font-size:12px">${htmlLines(block.text)}</p>`;
      }
    })
    .join('\n');
  const firstFooter = body.indexOf('<p style="margin:0 0 8px;color:#57606a');
  const withRule = firstFooter === -1 ? body : `${body.slice(0, firstFooter)}<hr style="border:0;border-top:1px solid #d0d7de;margin:24px 0 12px">\n${body.slice(firstFooter)}`;
  return [
    '<!doctype html>',
    `<html lang="${escapeHtml(language)}">`,
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width"></head>',
    '<body style="margin:0;padding:24px;font-family:-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5;color:#1f2328">',
    withRule,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
