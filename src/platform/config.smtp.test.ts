import { describe, expect, it } from 'vitest';
import { loadConfig } from './config.ts';

describe('SMTP listener settings', () => {
  it('are off by default, with a 25 MiB size limit', () => {
    const config = loadConfig({});
    expect(config.smtpListen).toBeUndefined();
    expect(config.smtpMaxBytes).toBe(25 * 1024 * 1024);
    expect(config.smtpTlsCert).toBeUndefined();
  });

  it('read host:port, IPv6 in brackets too', () => {
    expect(loadConfig({ CASEBOOK_SMTP_LISTEN: '127.0.0.1:2525' }).smtpListen).toEqual({ host: '127.0.0.1', port: 2525 });
    expect(loadConfig({ CASEBOOK_SMTP_LISTEN: '[::1]:25' }).smtpListen).toEqual({ host: '::1', port: 25 });
    expect(loadConfig({ CASEBOOK_SMTP_LISTEN: '0.0.0.0:0' }).smtpListen).toEqual({ host: '0.0.0.0', port: 0 });
  });

  it.each(['2525', 'localhost', 'localhost:', 'localhost:99999', 'a b:25'])('refuse CASEBOOK_SMTP_LISTEN=%s', (value) => {
    expect(() => loadConfig({ CASEBOOK_SMTP_LISTEN: value })).toThrow(/CASEBOOK_SMTP_LISTEN/);
  });

  it('need the certificate and the key together', () => {
    expect(() => loadConfig({ CASEBOOK_SMTP_TLS_CERT: 'cert.pem' })).toThrow(/CASEBOOK_SMTP_TLS_KEY/);
    const config = loadConfig({ CASEBOOK_SMTP_TLS_CERT: 'cert.pem', CASEBOOK_SMTP_TLS_KEY: '/etc/casebook/key.pem', CASEBOOK_SMTP_MAX_BYTES: '1048576' });
    expect(config.smtpTlsCert).toMatch(/^\/.*cert\.pem$/);
    expect(config.smtpTlsKey).toBe('/etc/casebook/key.pem');
    expect(config.smtpMaxBytes).toBe(1048576);
  });
});
