import { describe, expect, it } from 'vitest';
import { mailLanguage } from './mail-catalogue.ts';
import { renderMailTemplate, TemplateName } from './mail-templates.ts';

const ticket = { number: 1042, subject: 'Tiles <blank> & "slow"', url: 'https://support.example.test/cases/x' };
const data: Record<string, unknown> = {
  body: 'Line one\n<script>alert(1)</script>',
  agentName: 'Alice',
  name: 'Nina',
  clockKind: 'resolution',
  threshold: 90,
  dueAt: '2026-11-23T10:00:00Z',
  timeZone: 'Europe/Paris',
  organizationName: 'Globex',
  priority: 'P1',
  description: 'All down',
  environment: { version: 3, components: [{ product: 'ArcGIS Enterprise', version: '11.3', database: 'PostgreSQL', databaseVersion: '16.4', specialConfiguration: 'Behind <F5>' }], notes: 'Two data centres' },
  fromLine: 'L1',
  toLine: 'L2',
  reason: 'Needs a developer',
  url: 'https://support.example.test/auth/magic?token=abc',
  expiresInMinutes: 15,
};

describe('mail templates', () => {
  for (const name of TemplateName.options) {
    for (const locale of ['en', 'fr']) {
      it(`${name} renders a subject, a text and an escaped HTML part in ${locale}`, () => {
        const mail = renderMailTemplate(name, locale, data, name === 'magic-link' ? null : ticket);
        expect(mail.language).toBe(locale);
        expect(mail.subject.length).toBeGreaterThan(5);
        expect(mail.subject).not.toMatch(/[\r\n]|\{\w+\}/);
        expect(mail.text).not.toMatch(/\{\w+\}/);
        expect(mail.html).toContain(`<html lang="${locale}">`);
        expect(mail.html).not.toContain('<script>');
        expect(mail.html).not.toContain('<blank>');
        if (name !== 'magic-link') expect(mail.subject).toContain('[#1042]');
      });
    }
  }

  it('keeps the reply subject stable (no Re: accumulation) and the reply text intact', () => {
    const mail = renderMailTemplate('reply', 'en', data, ticket);
    expect(mail.subject).toBe('[#1042] Tiles <blank> & "slow"');
    expect(mail.text).toContain('Line one\n<script>alert(1)</script>');
    expect(mail.html).toContain('Line one<br>\n&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('writes French to French speakers and English to everyone else', () => {
    expect(renderMailTemplate('acknowledgement', 'fr-CA', data, ticket).text).toContain('Nous avons bien reçu votre demande');
    expect(renderMailTemplate('acknowledgement', 'de', data, ticket).text).toContain('We have received your request');
    expect(mailLanguage('es')).toBe('en');
  });

  it('lists the environment of a followed organisation in a TAM notice', () => {
    const mail = renderMailTemplate('tam-notice', 'en', data, ticket);
    expect(mail.subject).toBe('[#1042] New case for Globex: Tiles <blank> & "slow"');
    expect(mail.text).toContain('Environment (version 3):');
    expect(mail.text).toContain('ArcGIS Enterprise 11.3 · PostgreSQL 16.4 · Behind <F5>\nTwo data centres');
    expect(mail.html).toContain('Behind &lt;F5&gt;');
  });

  it('links only http(s) URLs', () => {
    const mail = renderMailTemplate('magic-link', 'en', { ...data, url: 'javascript:alert(1)' }, null);
    expect(mail.html).not.toContain('href="javascript:');
    expect(renderMailTemplate('magic-link', 'en', data, null).html).toContain('href="https://support.example.test/auth/magic?token=abc"');
  });
});
