/**
 * Well-known marks of machine-written mail that are not in a standard header: sender names and
 * subjects of bounces and of vacation replies, in the languages Casebook's customers write in.
 * Each pattern is anchored so that a person's subject such as "Question about out of office hours"
 * does not match.
 */

/** Local parts of the addresses mailers send bounces from. */
export const BOUNCE_SENDER_LOCAL_PART = /^(?:mailer-daemon|mail-daemon|maildaemon|post_?master|mailerdaemon|bounces?|double-bounce|mdaemon|mail\.delivery\.subsystem)$/i;

/** Display names mailers use for bounces. */
export const BOUNCE_SENDER_NAME = /\b(?:mail delivery (?:subsystem|system|service)|mailer[- ]daemon|postmaster|delivery status notification|mail administrator|internet mail delivery|microsoft outlook|mail system)\b/i;

/** Bounce subjects (English and the localised ones big providers send). */
export const BOUNCE_SUBJECT = new RegExp(
  [
    String.raw`^(?:\[[^\]]*\]\s*)?(?:fwd?:\s*)?(?:` +
      [
        String.raw`undeliver(?:ed|able)(?: mail| message)?\b`,
        String.raw`returned mail\b`,
        String.raw`return(?:ed)? to sender`,
        String.raw`mail delivery (?:failed|failure|system)`,
        String.raw`delivery (?:status notification|failure|failed|report|notification|has failed|problem)`,
        String.raw`failure notice`,
        String.raw`non[- ]?deliver(?:y|able)`,
        String.raw`message (?:could not be delivered|not delivered|delivery failed|undeliverable)`,
        String.raw`could not send message`,
        String.raw`warning: (?:could not send|message .* delayed|delay)`,
        String.raw`delayed mail`,
        String.raw`mail could not be delivered`,
        String.raw`email bounce notification`,
        String.raw`bounce(?:d)? (?:mail|message|notification)`,
        String.raw`delivery notification`,
        String.raw`unzustellbar`,
        String.raw`nicht zustellbar`,
        String.raw`non remis`,
        String.raw`échec de (?:la )?(?:remise|distribution)`,
        String.raw`no se puede entregar`,
        String.raw`não (?:foi possível )?entreg`,
        String.raw`onbestelbaar`,
        String.raw`kan ikke leveres`,
        String.raw`olevererbart`,
        String.raw`niedostarczalna`,
        String.raw`недоставлен`,
        String.raw`returned mail: `,
        String.raw`mail system error`,
        String.raw`notice of delivery failure`,
        String.raw`delivery status`,
        String.raw`メールエラー`,
        String.raw`配信エラー`,
        String.raw`送信エラー`,
        String.raw`配送エラー`,
        String.raw`loop alert`,
        String.raw`there was an error sending your (?:mail|message)`,
      ].join('|') +
      ')',
  ].join(''),
  'i',
);

/** Vacation and automatic-answer subjects: "Automatic reply: …", "Out of Office: …", and so on. */
export const AUTO_REPLY_SUBJECT = new RegExp(
  String.raw`^(?:\[[^\]]*\]\s*)?(?:` +
    [
      String.raw`auto(?:matic|mated)?[- ]?(?:reply|response|responder|answer)\b`,
      String.raw`out of (?:the )?office\b`,
      String.raw`ooo\b`,
      String.raw`(?:on )?vacation(?: reply| message| notice)?\s*[:(-]`,
      String.raw`away from (?:the|my) office`,
      String.raw`abwesenheitsnotiz`,
      String.raw`automatische antwort`,
      String.raw`abwesend`,
      String.raw`réponse automatique`,
      String.raw`absence du bureau`,
      String.raw`absent(?:e)? du bureau`,
      String.raw`respuesta automática`,
      String.raw`fuera de la oficina`,
      String.raw`risposta automatica`,
      String.raw`fuori (?:sede|ufficio)`,
      String.raw`automatisch antwoord`,
      String.raw`afwezig`,
      String.raw`resposta automática`,
      String.raw`fora do escritório`,
      String.raw`automatisk svar`,
      String.raw`autosvar`,
      String.raw`frånvaro`,
      String.raw`fravær`,
      String.raw`automaattinen vastaus`,
      String.raw`poissa toimistolta`,
      String.raw`odpowiedź automatyczna`,
      String.raw`автоматический ответ`,
      String.raw`автоответ`,
      String.raw`自動応答`,
      String.raw`自動返信`,
      String.raw`不在`,
      String.raw`自动回复`,
      String.raw`自動回覆`,
    ].join('|') +
    ')',
  'i',
);

/** A subject that ends in "(Out of office)", "(Abwesenheit)", as some clients append. */
export const AUTO_REPLY_SUBJECT_SUFFIX = /\((?:out of (?:the )?office|auto(?:matic)?[- ]?reply|abwesenheit|absence|vacation)\)\s*$/i;

/** Wording of a delivery failure, for machine mail that carries no other mark (null sender only). */
export const DELIVERY_FAILURE_TEXT = /could not be delivered|undeliver|delivery (?:has )?failed|failed to deliver|mailbox (?:is )?(?:full|unavailable)|user unknown|unknown user|no such (?:user|mailbox)|recipient (?:address )?rejected|returned to sender|not (?:a )?member|送信できませんでした|届きませんでした/i;

/** Local parts and headers of mailing-list managers answering on their own (fml, Mailman, …). */
export const LIST_MANAGER_SENDER = /(?:-admin|-owner|-request|-bounces?)$|^owner-/i;
