export type * from './mail.types.ts';
export { parseMessage } from './parse-message.ts';
export { classifyMessage, type ClassifyOptions } from './classify-message.ts';
export { readDeliveryReport } from './read-delivery-report.ts';
export { extractReply, type ExtractedReplyWithText } from './extract-reply.ts';
export { sanitizeMessageHtml } from './sanitize-message-html.ts';
export { renderHtmlAsText } from './render-html-as-text.ts';
export { describeMessage, summariseDescription, type MessageDescription } from './describe-message.ts';
export { acceptInboundMail, AcceptInboundMailInput, dedupeKey, splitForDedupe } from './accept-inbound-mail.ts';
