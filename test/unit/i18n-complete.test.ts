import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';

/**
 * Every language the web app ships is complete: exactly the keys of the English bundle, the same
 * {{placeholders}} per key, the same plural forms, and nothing left empty. A missing key would
 * silently show English (or a raw key) to a French or Spanish speaker.
 */
const WEB = resolve(dirname(fileURLToPath(import.meta.url)), '../../web/src');
const BUNDLE_DIR = join(WEB, 'i18n');

type Tree = { [key: string]: string | Tree };
const load = (language: string): Tree => JSON.parse(readFileSync(join(BUNDLE_DIR, `${language}.json`), 'utf8')) as Tree;
const flatten = (tree: Tree, prefix = ''): Array<[string, string]> =>
  Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [[`${prefix}${key}`, value] as [string, string]] : flatten(value, `${prefix}${key}.`)));
const placeholders = (text: string): string[] => [...new Set([...text.matchAll(/\{\{\s*([\w.-]+)\s*(?:,[^}]*)?\}\}/g)].map((match) => match[1]!))].sort();

const en = new Map(flatten(load('en')));
const TRANSLATIONS = readdirSync(BUNDLE_DIR)
  .filter((file) => file.endsWith('.json') && file !== 'en.json')
  .map((file) => file.replace(/\.json$/, ''))
  .sort();

describe('web translations', () => {
  it('ships French and Spanish', () => {
    expect(TRANSLATIONS).toEqual(['es', 'fr']);
  });

  for (const language of TRANSLATIONS) {
    const bundle = new Map(flatten(load(language)));

    it(`${language}.json has exactly the keys of en.json`, () => {
      expect([...en.keys()].filter((key) => !bundle.has(key)), `missing in ${language}.json`).toEqual([]);
      expect([...bundle.keys()].filter((key) => !en.has(key)), `unknown in ${language}.json`).toEqual([]);
    });

    it(`${language}.json uses the same {{placeholders}} as en.json for every key, and leaves nothing empty`, () => {
      // A plural form may spell its number out ("1 press left") or use {{count}} (French "one" also covers 0), so {{count}} is free there.
      const expected = (key: string, text: string) => placeholders(text).filter((name) => !(name === 'count' && /_(zero|one|two|few|many|other)$/.test(key))).join();
      const mismatched = [...en]
        .filter(([key, english]) => bundle.has(key) && expected(key, bundle.get(key)!) !== expected(key, english))
        .map(([key]) => `${key}: ${placeholders(en.get(key)!).join()} ≠ ${placeholders(bundle.get(key)!).join()}`);
      expect(mismatched).toEqual([]);
      expect([...bundle].filter(([, text]) => text.trim() === '').map(([key]) => key)).toEqual([]);
    });

    it(`${language}: plural keys (_one/_other) render in ${language}, never falling back to English`, async () => {
      const pluralBases = [...new Set([...en.keys()].filter((key) => /_(one|other)$/.test(key)).map((key) => key.replace(/_(one|other)$/, '')))];
      expect(pluralBases.length).toBeGreaterThan(0);
      const instance = i18next.createInstance();
      await instance.init({ resources: { en: { translation: load('en') }, [language]: { translation: load(language) } }, lng: language, fallbackLng: 'en', interpolation: { escapeValue: false } });
      for (const base of pluralBases) {
        for (const count of [0, 1, 2, 7]) {
          const text = instance.t(base, { count });
          expect(text, `${base} (${count})`).toContain(String(count));
          expect(text, `${base} (${count}) in ${language}`).not.toBe(instance.t(base, { count, lng: 'en' }));
          expect(text).not.toBe(base);
        }
      }
    });
  }

  it('offers every shipped language in the app and in the profile language picker', () => {
    const setup = readFileSync(join(WEB, 'app/i18n.ts'), 'utf8');
    const offered = /LANGUAGES\s*=\s*\[([^\]]*)\]/.exec(setup)?.[1]?.match(/'(\w+)'/g)?.map((quoted) => quoted.slice(1, -1)) ?? [];
    const picker = readFileSync(join(WEB, 'features/identity/ProfilePage.tsx'), 'utf8');
    for (const language of ['en', ...TRANSLATIONS]) {
      expect(offered, 'LANGUAGES in web/src/app/i18n.ts').toContain(language);
      if (language !== 'en') expect(setup, `a loader for ${language}`).toContain(`import('../i18n/${language}.json')`);
      expect(picker, 'profile language picker').toContain(`<option value="${language}">`);
    }
  });
});
