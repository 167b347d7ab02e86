/**
 * Where the quoted history of a plain-text reply is: each line is marked (e empty, m quoted with
 * ">", s quote header, f forward marker, t text), then the marks are read the way Mailgun's talon
 * reads them:
 * - a forward ("---- Forwarded message ----") before any quote header: nothing is history;
 * - text between two quoted blocks: an inline reply, the quotes are context and stay;
 * - a quote header followed by unmarked text: history from the header to the end (Outlook,
 *   "-----Original Message-----", headers without ">");
 * - otherwise the block from the header (or from two ">" lines) to the last ">" line; text after it
 *   ("Regards, Roman") is still the reply.
 * Without a quote header, fewer than three ">" lines are treated as text.
 */
import { inlineAttributionStart, isForwardLine, isQuoteLine, splitterLength } from './reply-patterns.ts';

export type QuotedHistory =
  | { kind: 'none' }
  | { kind: 'inline' }
  /** Lines [start, end) are the history. */
  | { kind: 'block'; start: number; end: number };

export type MarkedLines = { lines: string[]; marks: string };

/** Splits "reply text On <date>, X wrote:" into two lines, as a client would have written it. */
function separateInlineAttributions(lines: string[]): string[] {
  const result: string[] = [];
  for (const line of lines) {
    const start = inlineAttributionStart(line);
    if (start > 0) result.push(line.slice(0, start).trimEnd(), line.slice(start).replace(/^-+\s*/, ''));
    else result.push(line);
  }
  return result;
}

export function markLines(text: string): MarkedLines {
  const lines = separateInlineAttributions(text.replace(/\r\n?/g, '\n').split('\n'));
  const marks: string[] = [];
  for (let index = 0; index < lines.length; index += 1) {
    const line = lines[index]!;
    if (line.trim() === '') marks.push('e');
    else if (isQuoteLine(line, lines[index - 1])) marks.push('m');
    else if (isForwardLine(line)) marks.push('f');
    else {
      const length = splitterLength(lines, index);
      if (length > 0) {
        for (let offset = 0; offset < length; offset += 1) marks.push('s');
        index += length - 1;
      } else marks.push('t');
    }
  }
  return { lines, marks: joinWrappedQuoteLines(marks.join('')) };
}

const LINK_IN_PARENTHESES = /\(https?:\/\//;

/**
 * One or two unmarked lines squeezed between quoted lines, with no blank line around them, are a
 * long quoted line a client wrapped without repeating ">", not an answer written inline.
 */
export function joinWrappedQuoteLines(marks: string): string {
  return marks.replace(/(?<=m)t{1,2}(?=m)/g, (run) => 'm'.repeat(run.length));
}

export function findQuotedHistory({ lines, marks: original }: MarkedLines): QuotedHistory {
  let marks = original;
  if (!marks.includes('s') && !/(?:me*){3}/.test(marks)) marks = marks.replace(/m/g, 't');
  if (/^[te]*f/.test(marks)) return { kind: 'none' };
  for (const inline of marks.matchAll(/(?<=m)e*((?:t+e*)+)m/g)) {
    const first = inline.index;
    const isBrokenLink = LINK_IN_PARENTHESES.test(lines[first - 1] ?? '') || LINK_IN_PARENTHESES.test((lines[first] ?? '').trim().slice(0, 12));
    if (!isBrokenLink) return { kind: 'inline' };
  }
  const toEnd = /(?:se*)+(?:[tf]+e*)+/.exec(marks);
  if (toEnd) return { kind: 'block', start: toEnd.index, end: lines.length };
  const block = /((?:s|(?:me*){2,}).*me*)[te]*$/.exec(marks) ?? /((?:se*)+|(?:me*){2,})e*/.exec(marks);
  if (block) return { kind: 'block', start: block.index, end: block.index + block[1]!.length };
  return { kind: 'none' };
}
