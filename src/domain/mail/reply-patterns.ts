/**
 * How mail clients mark the start of quoted history and of a signature, in the languages of the
 * reply corpora (da, de, en, fi, fr, it, nl, no, pl, pt, ru, sv, es, vi) and a few more.
 * Every pattern works on one line or a short block (≤ 6 lines, ≤ 1,000 characters), so a
 * pathological message costs linear time.
 */

const MAX_HEADER_LENGTH = 1000;

/** "-----Original Message-----" and its translations. */
const ORIGINAL_MESSAGE =
  /^\s*-{2,}\s*(?:original message|reply message|ursprüngliche nachricht|antwort nachricht|oprindelig (?:meddelelse|besked)|opprinnelig melding|message d'origine|messaggio originale|mensagem original|mensaje original|alkuperäinen viesti|oorspronkelijk bericht|originalmeddelande|ursprungligt meddelande|исходное сообщение|wiadomość oryginalna|původní zpráva)\s*-*\s*$/i;

/** "---- John Smith wrote ----" (Android). */
const ANDROID_WROTE = /^\s*-{2,}.*\bwrote\s*-{2,}\s*$/i;

/** "---------- Forwarded message ----------", "Begin forwarded message:". */
const FORWARD =
  /^\s*(?:-{2,}\s*(?:forwarded message|weitergeleitete nachricht|message transféré|mensaje reenviado|messaggio inoltrato|doorgestuurd bericht|videresendt (?:meddelelse|melding)|vidarebefordrat meddelande|välitetty viesti|пересылаемое сообщение|mensagem encaminhada)\s*-{2,}|begin forwarded message:|début du message (?:réexpédié|transféré)\s?:|anfang der weitergeleiteten nachricht:)\s*$/i;

/** Words that end an "On <date>, <person> wrote:" line, in many languages. */
const WROTE =
  "wrote|sent|a écrit|écrit|schrieb|schreef|verzond|geschreven|het volgende geschreven|escreveu|escribió|scritto|ha scritto|napisał(?:\\(a\\))?|napisała|pisze|skrev|kirjoitti|đã viết|написал(?:\\(а\\))?|написала|пишет|写道|寫道|작성|のメッセージ|kirjutas";

/** Words an attribution line starts with ("On", "Le", "Am", …), which allow a longer block. */
const ATTRIBUTION_START = /^[\s>-]*(?:on|le|am|op|em|el|il|in data|w dniu|dnia|den|på|vào|pe|ma|ti|ke|to|la|su)\s/i;

const ENDS_WITH_WROTE = new RegExp(`(?:^|[\\s,>"')\\]])(?:${WROTE})(?:\\s+[^:\\n]{0,160})?\\s*:?\\s*-*$`, 'iu');
const DATE_OR_TIME = /\b(?:1[89]|20)\d\d\b|\b\d{1,2}[:.h]\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b/;
const EMAIL = /[^\s<>()"':]+@[^\s<>()"':]+\.[^\s<>()"':]+|mailto:/i;
const NUMERIC_DATE = /\b\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}\b/;

/** "On Tue, 11 Apr 2017 at 10:07, John <john@example.com> wrote:" and its relatives. */
function isAttribution(block: string, lineCount: number): boolean {
  if (lineCount > 3 && !ATTRIBUTION_START.test(block)) return false;
  if (!ENDS_WITH_WROTE.test(block)) return false;
  if (/https?:\/\/\S*$/i.test(block.replace(/[\s:>-]+$/, ''))) return false;
  return DATE_OR_TIME.test(block) || EMAIL.test(block);
}

/** "2017-11-24 16:32 GMT+01:00 Baptiste <b@example.com>:" — a date, an address, a final colon. */
function isDatedAddressLine(block: string): boolean {
  return /:\s*$/.test(block) && DATE_OR_TIME.test(block) && EMAIL.test(block) && !/^\s*[\p{L}*]+\s?:/u.test(block);
}

const FROM_LABELS = 'from|van|de|von|fra|från|da|od|от|lähettäjä|afsender|remetente|mittente|message du|from on behalf of';
const DATE_LABELS = 'date|sent|datum|envoyé|envoyé le|skickat|sendt|gesendet|verzonden|inviato|enviado|enviada|data|dato|päivämäärä|lähetetty|отправлено|дата|wysłano|sent at';
const HEADER_LABELS = [
  FROM_LABELS,
  DATE_LABELS,
  'to|an|aan|til|à|a|till|para|per|vastaanottaja|кому|do|empfänger',
  'cc|kopie|copie à|kopi|kopia|копия|cc\\.',
  'subject|betreff|objet|sujet|emne|ämne|onderwerp|oggetto|assunto|asunto|aihe|тема|temat|reply-to|répondre à',
].join('|');
const HEADER_LINE = new RegExp(`^\\s*[*]?(?:${HEADER_LABELS})\\s?[*]?\\s?:`, 'iu');
const FROM_OR_DATE_LINE = new RegExp(`^\\s*[*]?(?:${FROM_LABELS}|${DATE_LABELS})\\s?[*]?\\s?:`, 'iu');
/** "From: bob@example.com Date: Thu, 24 Mar 2016" — bold labels an HTML rendering put on one line. */
const HEADERS_ON_ONE_LINE = new RegExp(`^\\s*[*]?(?:${FROM_LABELS})\\s?[*]?\\s?:.{1,200}\\s[*]?(?:${DATE_LABELS}|subject|to)\\s?[*]?\\s?:\\s?\\S`, 'iu');
const SEPARATOR_LINE = /^\s*(?:_{5,}|-{5,}|={5,})\s*$/;

/**
 * An Outlook-style header block: two or more "Label: value" lines (From/Date/Sent/To/Subject in
 * many languages, optionally *bold*), a value may wrap onto one more line; an optional line of
 * underscores or dashes right above belongs to it. Returns the number of lines, or 0.
 */
function headerBlockLength(lines: readonly string[], start: number): number {
  let index = start;
  if (SEPARATOR_LINE.test(lines[index] ?? '')) {
    index += 1;
    while (index < start + 3 && (lines[index] ?? 'end').trim() === '') index += 1;
  }
  if (!FROM_OR_DATE_LINE.test(lines[index] ?? '')) return 0;
  if (HEADERS_ON_ONE_LINE.test(lines[index]!)) return index - start + 1;
  let headers = 0;
  let end = index;
  while (index < lines.length && index - start < 12) {
    if (HEADER_LINE.test(lines[index]!)) {
      headers += 1;
      index += 1;
      end = index;
    } else if (headers > 0 && index === end && lines[index]!.trim() !== '' && HEADER_LINE.test(lines[index + 1] ?? '')) {
      index += 1; // a value wrapped onto a second line
    } else break;
  }
  return headers >= 2 ? end - start : 0;
}

export type LineKind = 'empty' | 'quote' | 'splitter' | 'forward' | 'text';

/** How many lines starting at `start` form a quote header (0 when none starts there). */
export function splitterLength(lines: readonly string[], start: number): number {
  const first = lines[start]!;
  if (first.length > MAX_HEADER_LENGTH || first.trim() === '') return 0;
  if (ORIGINAL_MESSAGE.test(first) || ANDROID_WROTE.test(first)) return 1;
  const headerLines = headerBlockLength(lines, start);
  if (headerLines > 0) return headerLines;
  let block = '';
  const startsWithWord = ATTRIBUTION_START.test(first);
  const mayWrap = startsWithWord || DATE_OR_TIME.test(first) || EMAIL.test(first);
  for (let count = 1; count <= 6 && start + count <= lines.length; count += 1) {
    const line = lines[start + count - 1]!;
    if (count > 1) {
      // A wrapped header starts like one, and a later line that starts one is its own header.
      if (!mayWrap || ATTRIBUTION_START.test(line) || (line.trim() === '' && !startsWithWord)) break;
    }
    block = count === 1 ? first : `${block} ${line.trim()}`;
    if (block.length > MAX_HEADER_LENGTH) break;
    if (isAttribution(block, count) || (count <= 3 && isDatedAddressLine(block))) return count;
  }
  // "2011/4/7 Nathan <support@example.com>" right above quoted lines (no colon).
  if (NUMERIC_DATE.test(first) && EMAIL.test(first) && first.length < 200 && /^\s*>/.test(nextNonBlank(lines, start + 1) ?? '')) return 1;
  return 0;
}

function nextNonBlank(lines: readonly string[], from: number): string | undefined {
  for (let index = from; index < lines.length && index < from + 3; index += 1) if (lines[index]!.trim() !== '') return lines[index];
  return undefined;
}

export function isForwardLine(line: string): boolean {
  return line.length < 200 && FORWARD.test(line);
}

/** A quoted line: starts with ">", unless that ">" only closes a link wrapped from the line above. */
export function isQuoteLine(line: string, previous: string | undefined): boolean {
  if (!/^[ \t]*>/.test(line)) return false;
  if (previous !== undefined && previous.lastIndexOf('<') > previous.lastIndexOf('>') && !/^[ \t]*>/.test(previous)) return false;
  return true;
}

const MOBILE_SIGNATURE =
  /^\s*(?:sent from (?:my )?(?:iphone|ipad|android|blackberry|mail for windows|outlook|yahoo mail|aol|samsung|gmail|proton|mobile)|sent with |sent via |envoyé (?:de|depuis) mon |envoyé à partir de |envoyé depuis |gesendet von (?:meinem|outlook|mail|yahoo)|von meinem .{1,40} gesendet|verzonden (?:vanaf|met) |verstuurd vanaf |enviado (?:desde|do|de) (?:mi|meu|o|el) |inviato da |sendt fra |skickat från |lähetetty |отправлено (?:с|из) |wysłane z |get outlook for |télécharger outlook pour |scarica outlook per |obtener outlook para |outlook voor )/i;

/**
 * A line that starts a signature when a blank line precedes it (GitHub's rule, widened): "--",
 * "__", "-Name", "====", "Sent from my iPhone" and its translations.
 */
export function isSignatureStart(line: string): boolean {
  const text = line.trimEnd();
  if (text.length > 200) return false;
  if (/^\s*(?:--|__)/.test(text)) return true;
  if (/^\s*={2,}\s*$/.test(text)) return true;
  if (/^\s*-\p{L}[\p{L}.' -]{0,38}$/u.test(text)) return true;
  if (/^\s*sent from my\s/i.test(text)) return !/[,;!?]/.test(text) && text.trim().split(/\s+/).length <= 8;
  return MOBILE_SIGNATURE.test(text) && text.trim().split(/\s+/).length <= 10;
}

/** "reply text On <date>, X wrote:" on one line: the position where the attribution starts. */
export function inlineAttributionStart(line: string): number {
  if (line.length > MAX_HEADER_LENGTH) return -1;
  const match = /(?:^|\S)\s*(-*\s*\b(?:On|Le|Am|Op|Em|El|Il)\s.*)$/.exec(line);
  if (!match || match.index === 0) return -1;
  const start = line.length - match[1]!.length;
  if (line.slice(0, start).trim() === '') return -1;
  return isAttribution(match[1]!, 1) && /\b(?:19|20)\d\d\b/.test(match[1]!) ? start : -1;
}
