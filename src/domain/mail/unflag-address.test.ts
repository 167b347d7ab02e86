import { describe, expect, it } from 'vitest';
import { addressSubjectId } from './unflag-address.ts';

describe('addressSubjectId (the audit subject of a mail address)', () => {
  it('is a version-5 shaped UUID, the same for any letter case, different per address', () => {
    const id = addressSubjectId('Gone@Bounce.test');
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(addressSubjectId('gone@bounce.test')).toBe(id);
    expect(addressSubjectId('other@bounce.test')).not.toBe(id);
  });
});
