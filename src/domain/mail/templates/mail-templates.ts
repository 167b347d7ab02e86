import { z } from 'zod';
import { renderHtml, renderText, type MailBlock } from './mail-layout.ts';
import { mailLanguage, translatorFor, type Translate } from './mail-catalogue.ts';

export const TemplateName = z.enum(['reply', 'acknowledgement', 'sla-notice', 'panic-alert', 'tam-notice', 'escalation-notice', 'magic-link']);
export type TemplateName = z.infer<typeof TemplateName>;

/** What the template knows about the case the mail concerns (loaded by queueMail, not trusted from data). */
export type TemplateCase = { number: number; subject: string; url: string | null };

export type RenderedMail = { subject: string; text: string; html: string; language: string };

type TemplateContext = { t: Translate; data: Record<string, unknown>; ticket: TemplateCase | null };
type Template = (context: TemplateContext) => { subject: string; blocks: MailBlock[] };

function text(value: unknown, fallback = ''): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return fallback;
}

/** The case number and subject: from the case when there is one, else from the data. */
function caseOf(context: TemplateContext): { number: string; subject: string } {
  return {
    number: context.ticket ? String(context.ticket.number) : text(context.data.number, '?'),
    subject: context.ticket?.subject ?? text(context.data.subject),
  };
}

function greeting(t: Translate, name: unknown): MailBlock {
  const value = text(name).trim();
  return { type: 'paragraph', text: value ? t('common.greeting', { name: value }) : t('common.greetingAnonymous') };
}

function caseLink(context: TemplateContext): MailBlock[] {
  const url = context.ticket?.url ?? text(context.data.caseUrl);
  return url ? [{ type: 'link', label: context.t('common.viewCase'), url }] : [];
}

const templates: Record<TemplateName, Template> = {
  reply: (context) => {
    const { t, data } = context;
    const { number, subject } = caseOf(context);
    const agentName = text(data.agentName).trim();
    return {
      subject: t('common.caseSubject', { number, subject }),
      blocks: [
        { type: 'quote', text: text(data.body) },
        ...(agentName ? [{ type: 'paragraph' as const, text: t('common.signature', { name: agentName }) }] : []),
        ...caseLink(context),
        { type: 'footer', text: t('common.replyAbove', { number }) },
      ],
    };
  },
  acknowledgement: (context) => {
    const { t, data } = context;
    const { number, subject } = caseOf(context);
    return {
      subject: t('common.caseSubject', { number, subject }),
      blocks: [
        greeting(t, data.name),
        { type: 'paragraph', text: t('acknowledgement.body', { number, subject }) },
        { type: 'paragraph', text: t('acknowledgement.next') },
        ...caseLink(context),
        { type: 'footer', text: t('common.replyAbove', { number }) },
        { type: 'footer', text: t('common.automatic') },
      ],
    };
  },
  'sla-notice': (context) => {
    const { t, data } = context;
    const { number, subject } = caseOf(context);
    const isBreach = data.isBreach === true || text(data.kind) === 'sla.breach';
    const threshold = text(data.threshold, '');
    const clockKey = `sla.clock.${text(data.clockKind)}` as const;
    const clock = ['first-response', 'next-response', 'resolution'].includes(text(data.clockKind)) ? t(clockKey as Parameters<Translate>[0]) : text(data.clockKind);
    const dueAt = text(data.dueAt);
    return {
      subject: isBreach ? t('sla.subject.breach', { number, subject }) : t('sla.subject.warning', { number, subject, threshold }),
      blocks: [
        greeting(t, data.name),
        { type: 'paragraph', text: isBreach ? t('sla.body.breach', { number, clock }) : t('sla.body.warning', { number, clock, threshold }) },
        ...(dueAt ? [{ type: 'paragraph' as const, text: t('sla.due', { dueAt: formatTime(dueAt, data.timeZone) }) }] : []),
        ...(text(data.line) ? [{ type: 'quote' as const, text: text(data.line) }] : []),
        ...caseLink(context),
        { type: 'footer', text: t('common.automatic') },
      ],
    };
  },
  'panic-alert': (context) => {
    const { t, data } = context;
    const { number, subject } = caseOf(context);
    const organization = text(data.organizationName, '?');
    const description = text(data.description).trim();
    return {
      subject: t('panic.subject', { number, subject, organization }),
      blocks: [
        greeting(t, data.name),
        { type: 'paragraph', text: t('panic.body', { number, organization, priority: text(data.priority, 'P1') }) },
        ...(description ? [{ type: 'paragraph' as const, text: t('panic.description') }, { type: 'quote' as const, text: description }] : []),
        ...caseLink(context),
        { type: 'footer', text: t('common.automatic') },
      ],
    };
  },
  'tam-notice': (context) => {
    const { t, data } = context;
    const { number, subject } = caseOf(context);
    const organization = text(data.organizationName, '?');
    const environment = describeEnvironment(data.environment);
    return {
      subject: t('tam.subject', { number, subject, organization }),
      blocks: [
        greeting(t, data.name),
        { type: 'paragraph', text: t('tam.body', { number, subject, organization, priority: text(data.priority) }) },
        ...(environment ? [{ type: 'paragraph' as const, text: t('tam.environment', { version: environment.version }) }, { type: 'quote' as const, text: environment.text }] : []),
        ...caseLink(context),
        { type: 'footer', text: t('common.automatic') },
      ],
    };
  },
  'escalation-notice': (context) => {
    const { t, data } = context;
    const { number, subject } = caseOf(context);
    const reason = text(data.reason).trim();
    return {
      subject: t('escalation.subject', { number, subject, toLine: text(data.toLine) }),
      blocks: [
        greeting(t, data.name),
        { type: 'paragraph', text: t('escalation.body', { number, fromLine: text(data.fromLine, '—'), toLine: text(data.toLine) }) },
        ...(reason ? [{ type: 'paragraph' as const, text: t('escalation.reason') }, { type: 'quote' as const, text: reason }] : []),
        ...caseLink(context),
        { type: 'footer', text: t('common.automatic') },
      ],
    };
  },
  'magic-link': ({ t, data }) => ({
    subject: t('magicLink.subject'),
    blocks: [
      greeting(t, data.name),
      { type: 'paragraph', text: t('magicLink.body', { expiresInMinutes: text(data.expiresInMinutes, '15') }) },
      { type: 'link', label: t('magicLink.action'), url: text(data.url) },
      { type: 'footer', text: t('magicLink.ignore') },
    ],
  }),
};

function formatTime(iso: string, timeZone: unknown): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  const zone = text(timeZone) || 'UTC';
  try {
    return `${date.toLocaleString('sv-SE', { timeZone: zone, hour12: false }).slice(0, 16)} (${zone})`;
  } catch {
    return `${date.toISOString().slice(0, 16).replace('T', ' ')} (UTC)`;
  }
}

function describeEnvironment(environment: unknown): { version: string; text: string } | null {
  if (!environment || typeof environment !== 'object') return null;
  const record = environment as Record<string, unknown>;
  const components = Array.isArray(record.components) ? record.components : [];
  // One line per component: "ArcGIS Enterprise 11.3 · PostgreSQL 16.4 · RHEL 9.4 · Behind an F5…".
  const lines = components.map((component) => {
    if (!component || typeof component !== 'object') return text(component);
    const item = component as Record<string, unknown>;
    const pair = (name: unknown, version: unknown) => [text(name), text(version)].filter(Boolean).join(' ');
    return [pair(item.product, item.version), pair(item.database, item.databaseVersion), pair(item.os, item.osVersion), text(item.specialConfiguration), text(item.notes)].filter(Boolean).join(' · ');
  });
  if (text(record.notes)) lines.push(text(record.notes));
  return lines.length > 0 ? { version: text(record.version, '?'), text: lines.filter(Boolean).join('\n') } : null;
}

/** Renders a template in the recipient's language (English when we do not ship theirs): subject, text and HTML. */
export function renderMailTemplate(name: TemplateName, locale: string, data: Record<string, unknown>, ticket: TemplateCase | null): RenderedMail {
  const language = mailLanguage(locale);
  const { subject, blocks } = templates[name]({ t: translatorFor(language), data, ticket });
  return { subject: subject.replace(/[\r\n]+/g, ' ').trim(), text: renderText(blocks), html: renderHtml(blocks, language), language };
}
