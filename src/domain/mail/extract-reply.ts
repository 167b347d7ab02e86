/**
 * The new part of a reply, with the quoted history and the signature folded away but kept.
 *
 * Two readings of the same line marks (find-quoted-history.ts):
 * - `fragments` follow GitHub's email_reply_parser model: consecutive lines that are all quoted or
 *   all not, read from the bottom up; a block that starts with a signature line after a blank line
 *   is a signature; quoted, signature and blank fragments at the end are hidden. Quote headers
 *   ("On … wrote:", "From:/Sent:" blocks) join the quoted fragment below them, and unmarked history
 *   after a quote header (Outlook) counts as quoted.
 * - `newText` is the text without the quoted history and without the signature; an inline reply
 *   keeps the quotes it answers, as GitHub's visible text does.
 * `replyText` is `newText` with its signature: the message minus the quoted history.
 */
import type { ExtractedReply, ReplyFragment } from './mail.types.ts';
import { findQuotedHistory, markLines } from './find-quoted-history.ts';
import { isSignatureStart } from './reply-patterns.ts';

type Draft = { start: number; end: number; isQuoted: boolean; isSignature: boolean; isHidden: boolean };

export type ExtractedReplyWithText = ExtractedReply & { replyText: string };

/** GitHub's bottom-up fragment scan over per-line flags. */
function scanFragments(lines: readonly string[], isQuoted: (index: number) => boolean, isHeader: (index: number) => boolean): Draft[] {
  const fragments: Draft[] = [];
  const state: { current: Draft | null } = { current: null };
  const finish = () => {
    if (state.current) fragments.push(state.current);
    state.current = null;
  };
  for (let index = lines.length - 1; index >= 0; index -= 1) {
    const isEmpty = lines[index]!.trim() === '';
    const quoted = isQuoted(index);
    if (state.current !== null && isEmpty && !state.current.isQuoted && isSignatureStart(lines[state.current.start]!)) {
      state.current.isSignature = true;
      finish();
    }
    const open = state.current;
    if (open !== null && (open.isQuoted === quoted || (open.isQuoted && (isHeader(index) || isEmpty)))) open.start = index;
    else {
      finish();
      state.current = { start: index, end: index + 1, isQuoted: quoted, isSignature: false, isHidden: false };
    }
  }
  finish();
  return fragments.reverse();
}

function joinLines(lines: readonly string[]): string {
  return lines.join('\n').replace(/^(?:[ \t]*\n)+/, '').trimEnd();
}

export function extractReply(text: string): ExtractedReplyWithText {
  const marked = markLines(text);
  const { lines, marks } = marked;
  const history = findQuotedHistory(marked);
  const inHistory = (index: number) => history.kind === 'block' && index >= history.start && index < history.end;
  const drafts = scanFragments(
    lines,
    (index) => marks[index] === 'm' || (inHistory(index) && marks[index] !== 'e'),
    (index) => marks[index] === 's',
  );

  let foundVisible = false;
  for (const draft of [...drafts].reverse()) {
    const isBlank = lines.slice(draft.start, draft.end).every((line) => line.trim() === '');
    const isFolded = draft.isQuoted && history.kind === 'block' && (inHistory(draft.start) || inHistory(draft.end - 1));
    if (!foundVisible && (draft.isQuoted || draft.isSignature || isBlank)) draft.isHidden = true;
    else if (!foundVisible) foundVisible = true;
    if (isFolded) draft.isHidden = true;
  }

  const fragmentOf: Draft[] = [];
  for (const draft of drafts) for (let index = draft.start; index < draft.end; index += 1) fragmentOf[index] = draft;
  const isSignatureLine = (index: number) => fragmentOf[index]!.isSignature && !inHistory(index);
  const isFoldedLine = (index: number) => (history.kind === 'block' ? inHistory(index) : fragmentOf[index]!.isHidden && !fragmentOf[index]!.isSignature);

  const reply: string[] = [];
  const visible: string[] = [];
  const signature: string[] = [];
  const quoted: string[] = [];
  lines.forEach((line, index) => {
    if (isFoldedLine(index)) quoted.push(line.trimEnd());
    else {
      reply.push(line);
      if (isSignatureLine(index)) signature.push(line.trimEnd());
      else visible.push(line.trimEnd());
    }
  });

  const fragments: ReplyFragment[] = drafts.map((draft) => ({
    content: lines
      .slice(draft.start, draft.end)
      .map((line) => (isSignatureStart(line) ? line : line.trimEnd()))
      .join('\n'),
    isQuoted: draft.isQuoted,
    isSignature: draft.isSignature,
    isHidden: draft.isHidden,
  }));
  return {
    newText: joinLines(visible),
    quotedText: joinLines(quoted),
    signature: joinLines(signature),
    replyText: joinLines(reply),
    fragments,
  };
}
