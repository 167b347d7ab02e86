import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { REPO_ROOT } from '../../cli/cli-harness.ts';

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): string[] => Object.entries(tree).flatMap(([key, value]) => (typeof value === 'string' ? [`${prefix}${key}`] : flatten(value, `${prefix}${key}.`)));
const KEYS = flatten(JSON.parse(readFileSync(`${REPO_ROOT}/web/src/i18n/en.json`, 'utf8')) as Tree);
const NAMESPACES = [...new Set(KEYS.map((key) => key.split('.')[0]!))];
const RAW_KEY = new RegExp(`\\b(${NAMESPACES.join('|')})\\.[A-Za-z][\\w-]*(\\.[\\w-]+)*`, 'g');

/** No translation key shows as text (an untranslated string would). */
export async function expectNoRawKeys(page: Page, screen: string): Promise<void> {
  const text = await page.locator('body').innerText();
  const raw = (text.match(RAW_KEY) ?? []).filter((match) => KEYS.some((key) => match === key || key.startsWith(`${match}.`)));
  expect(raw, `raw i18n keys on ${screen}`).toEqual([]);
}
