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
    for (const locale of ['en', 'fr', 'es']) {
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
    expect(mailLanguage('pt-BR')).toBe('en');
  });

  it('writes Spanish to Spanish speakers (es, es-MX, es_AR) in every template, with no English left', () => {
    expect(mailLanguage('es')).toBe('es');
    expect(mailLanguage('es-MX')).toBe('es');
    expect(mailLanguage('es_AR')).toBe('es');
    expect(renderMailTemplate('acknowledgement', 'es-MX', data, ticket).text).toContain('Recibimos su solicitud y abrimos el caso #1042');
    // English sentences of every template that must never reach a Spanish reader.
    const english = /\b(Hello|Reply to this email|View the case|automatic message|replied to your case|We have received|SLA warning|SLA breached|target of case|Due:|pressed the panic button|What the customer wrote|New case for|an organisation you follow|Environment \(version|Escalated to|was escalated|Reason:|sign-in link|Sign in|did not ask)\b/;
    const expected: Record<TemplateName, string[]> = {
      reply: ['— Alice', 'Ver el caso', 'Responda a este correo para agregar información al caso #1042'],
      acknowledgement: ['Hola, Nina:', 'Un agente le responderá por correo', 'Este es un mensaje automático de Casebook.'],
      'sla-notice': ['Se ha consumido el 90 % del objetivo de resolución del caso #1042.', 'Vencimiento: 2026-11-23 11:00 (Europe/Paris)'],
      'panic-alert': ['Globex pulsó el botón de pánico en el caso #1042 (P1).', 'Lo que escribió el cliente:'],
      'tam-notice': ['una organización que usted sigue', 'Entorno (versión 3):'],
      'escalation-notice': ['El caso #1042 se escaló de L1 a L2.', 'Motivo:'],
      'magic-link': ['Use el enlace de abajo para iniciar sesión en Casebook. Caduca en 15 minutos', 'Iniciar sesión: https://support.example.test/auth/magic?token=abc'],
    };
    for (const name of TemplateName.options) {
      const mail = renderMailTemplate(name, 'es', data, name === 'magic-link' ? null : ticket);
      expect(mail.language).toBe('es');
      expect(`${mail.subject}\n${mail.text}`, name).not.toMatch(english);
      expect(mail.html, name).not.toMatch(english);
      for (const phrase of expected[name]) expect(mail.text, name).toContain(phrase);
    }
    expect(renderMailTemplate('sla-notice', 'es', { ...data, isBreach: true }, ticket).subject).toBe('[#1042] SLA incumplido: Tiles <blank> & "slow"');
    expect(renderMailTemplate('magic-link', 'es', data, null).subject).toBe('Su enlace de acceso a Casebook');
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
