import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rawJsonMembers } from './json-members.ts';

describe('rawJsonMembers', () => {
  it('finds every top-level member of JSON.stringify output with its raw value (property)', () => {
    fc.assert(
      fc.property(fc.dictionary(fc.string(), fc.jsonValue()), (object) => {
        const text = JSON.stringify(object);
        const { members, duplicates } = rawJsonMembers(text);
        expect(duplicates).toEqual([]);
        expect([...members.keys()].sort()).toEqual(Object.keys(object).sort());
        for (const [name, member] of members) {
          expect(JSON.parse(member.rawValue)).toEqual(JSON.parse(JSON.stringify(object[name])));
        }
      }),
    );
  });

  it('keeps escapes as written and reports duplicates', () => {
    const { members, duplicates } = rawJsonMembers(
      ' { "a\\u0062" : "x\\"y" , "n":[1,{"}":"]"}], "a":1,"a":2 } ',
    );
    expect(members.get('ab')).toEqual({ rawName: 'a\\u0062', rawValue: '"x\\"y"' });
    expect(members.get('n')?.rawValue).toBe('[1,{"}":"]"}]');
    expect(duplicates).toEqual(['a']);
  });
});
