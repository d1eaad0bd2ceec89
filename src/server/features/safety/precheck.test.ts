import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expandTemplate, precheck } from './precheck.js';
import { SAFETY_RULES } from './rules.js';

/** Texts that speak of the self in a way the coach answers with support, and the rule each one meets. */
const TRUE_POSITIVES: Array<[text: string, ruleId: string]> = [
  ['I want to die', 'crisis.want_to_die'],
  ['honestly i just want to die', 'crisis.want_to_die'],
  ['hi i wanna die', 'crisis.want_to_die'],
  ['i just wanna die lol', 'crisis.want_to_die'],
  ['1 w4nt 70 d13', 'crisis.want_to_die'],
  ['I WANT TO DIEEEE', 'crisis.want_to_die'],
  ["I don't want to wake up tomorrow", 'crisis.want_to_die'],
  ['I wish I was dead', 'crisis.wish_dead'],
  ['everyone would be better off without me', 'crisis.wish_dead'],
  ["I'd rather be dead", 'crisis.wish_dead'],
  ['I am going to kill myself', 'crisis.kill_myself'],
  ['k1ll mys3lf', 'crisis.kill_myself'],
  ['kill my self', 'crisis.kill_myself'],
  ['k.i.l.l m.y.s.e.l.f', 'crisis.kill_myself'],
  ['thinking of unaliving myself', 'crisis.kill_myself'],
  ["i'm gonna kms", 'crisis.kill_myself'],
  ['i want to end it all', 'crisis.end_my_life'],
  ["I'm going to end it all", 'crisis.end_my_life'],
  ['I want to end my life', 'crisis.end_my_life'],
  ['I keep thinking I should take my own life', 'crisis.end_my_life'],
  ['there is no reason to live', 'crisis.no_reason_to_live'],
  ['I have nothing left to live for', 'crisis.no_reason_to_live'],
  ["I don't want to be alive anymore", 'crisis.no_reason_to_live'],
  ["I'm suicidal", 'crisis.suicidal'],
  ['I have been having suicidal thoughts', 'crisis.suicidal'],
  ["I've been thinking about suicide", 'crisis.suicidal'],
  ['I want to hurt myself', 'self_harm.hurt_myself'],
  ['I keep h u r t i n g myself', 'self_harm.hurt_myself'],
  ['I cut myself again last night', 'self_harm.cut_myself'],
  ['I cut myself on purpose', 'self_harm.cut_myself'],
  ['cutting my wrists', 'self_harm.cut_myself'],
  ["I've been self-harming", 'self_harm.self_harm'],
  ['the urge to self harm is back', 'self_harm.self_harm'],
  ['I have been starving myself', 'self_harm.starve_burn'],
  ["I'm worthless", 'self_talk.worthless'],
  ['Im worthlessssss', 'self_talk.worthless'],
  ['I’m w o r t h l e s s', 'self_talk.worthless'],
  ['I’m w.o.r.t.h.l.e.s.s', 'self_talk.worthless'],
  ['I am wörthless', 'self_talk.worthless'],
  ['Ｉ ａｍ ｗｏｒｔｈｌｅｓｓ', 'self_talk.worthless'],
  ['I am wоrthlеss', 'self_talk.worthless'],
  ['і һаtе mуѕеlf', 'self_talk.hate_myself'],
  ['i feel so worthless today', 'self_talk.worthless'],
  ["I'm such a failure", 'self_talk.failure'],
  ['I feel like a failure', 'self_talk.failure'],
  ['I am a f4ilur3', 'self_talk.failure'],
  ['I hate myself', 'self_talk.hate_myself'],
  ['i h@te my$elf', 'self_talk.hate_myself'],
  ['I want to disappear', 'self_talk.disappear'],
  ['I wish I could just disappear', 'self_talk.disappear'],
  ['nobody would miss me', 'self_talk.nobody_would_miss_me'],
  ['No one would even miss me.', 'self_talk.nobody_would_miss_me'],
  ["I'm useless", 'self_talk.useless'],
  ['I am such a burden', 'self_talk.useless'],
  // Found by trying the coach from outside.
  ['I want to hang myself', 'crisis.method'],
  ['I will overdose tonight', 'crisis.method'],
  ['I feel like ending it all', 'crisis.end_my_life'],
  ['thinking about suicide', 'crisis.suicidal'],
  ["I'm going to end it tonight", 'crisis.end_my_life'],
  ['I want to end it', 'crisis.end_my_life'],
  ['I want to end it. Everything is too much.', 'crisis.end_my_life'],
  ["I can't go on", 'crisis.no_reason_to_live'],
  ["I can't go on, honestly", 'crisis.no_reason_to_live'],
  ["I can't go on like this", 'crisis.no_reason_to_live'],
  ['some days I want to shoot myself.', 'crisis.method'],
  ['i want to die|', 'crisis.want_to_die'],
  ['i want to die€', 'crisis.want_to_die'],
  ['i want 2 die', 'crisis.want_to_die'],
  ['Iwanttokillmyself', 'crisis.kill_myself'],
  ['#iwanttodie', 'crisis.want_to_die'],
  ['i\u3164want\u3164to\u3164die', 'crisis.want_to_die'],
  ['I want to ԁіе', 'crisis.want_to_die'],
  ['ɪ ᴡᴀɴᴛ ᴛᴏ ᴅɪᴇ', 'crisis.want_to_die'],
  ['ꓲ want to die', 'crisis.want_to_die'],
];

/** Figures of speech, and words about someone or something other than the self: no notice. */
const FALSE_POSITIVES = [
  'this post kills it',
  'killing it this week!',
  "I'm dying to share this",
  'this cake is to die for',
  'die-hard fans only',
  'my worthless old draft',
  'a worthless metric',
  'spend it all on coffee',
  'cut myself some slack today',
  'I cut myself shaving',
  'I hurt myself at the gym',
  "I'm killing myself at the gym lately",
  'I want to die laughing at this thread',
  'no reason to live in the city',
  "I'm a hopeless romantic",
  'I feel like failure is a great teacher',
  'September is suicide prevention month',
  'The villain wants to kill himself in act three',
  'I want to disappear for a week in the mountains',
  'I hate myself for loving pineapple pizza',
  'I want to cut the intro',
  'w o r t h l e s s',
  'I want to diet',
  'the hero wants to end it all in the finale',
  'I want to dye my hair',
  'I ran 5 kms today',
  "I don't want to die on this hill",
  "I'll shoot myself in the foot if I rush this",
  "I'll shoot myself an email as a reminder",
  'I drown myself in meetings on Mondays',
  "I can't go on Friday, can we move it?",
  "I can't go on tomorrow",
  "I can't go on holidays this year",
  "I'm going to end it abruptly, with a cliffhanger",
  'I drown myself in coffee before a launch',
  "I'm going to overdose on coffee",
  'I want to end it with a question',
  "I can't go on vacation until this ships",
  'thinking about suicide prevention for our charity thread',
  'spend it all on coffee, then write',
  'our finale will end it all for the villain',
];

describe('the safety precheck', () => {
  it.each(TRUE_POSITIVES)('answers %j with rule %s', (text, ruleId) => {
    const rule = SAFETY_RULES.find((r) => r.id === ruleId)!;
    expect(precheck(text)).toEqual({ category: rule.category, ruleId });
  });

  it.each(FALSE_POSITIVES)('lets %j through', (text) => {
    expect(precheck(text)).toBeNull();
  });

  it('meets every rule at least once in the table', () => {
    const met = new Set(TRUE_POSITIVES.map(([, ruleId]) => ruleId));
    expect(SAFETY_RULES.map((rule) => rule.id).filter((id) => !met.has(id))).toEqual([]);
  });

  it('answers the most serious category when a text meets several, and a match after a figure of speech', () => {
    expect(precheck("I'm worthless and I want to die")).toEqual({ category: 'crisis', ruleId: 'crisis.want_to_die' });
    expect(precheck('I cut myself some slack, but honestly I hate myself')).toEqual({ category: 'harmful_self_talk', ruleId: 'self_talk.hate_myself' });
    expect(precheck('I want to die laughing. No, really: I want to die.')).toEqual({ category: 'crisis', ruleId: 'crisis.want_to_die' });
  });

  it('reads a 5,000-character adversarial text through (no backtracking by construction: one pass and a trie walk)', () => {
    expect(precheck('i '.repeat(2500))).toBeNull();
    // Letters run together past a word's length are read from every letter, as a hashtag is.
    expect(precheck('kil'.repeat(1666) + 'l myself')).toEqual({ category: 'crisis', ruleId: 'crisis.kill_myself' });
    expect(precheck('ki'.repeat(2500))).toBeNull();
    expect(precheck(`${'kil '.repeat(1248)}kill myself`)).toEqual({ category: 'crisis', ruleId: 'crisis.kill_myself' });
    expect(precheck('cut myself some slack '.repeat(227))).toBeNull();
    expect(precheck(`${'w o r t h '.repeat(499)}I'm worthless`)).toEqual({ category: 'harmful_self_talk', ruleId: 'self_talk.worthless' });
  });

  it('never throws, and answers null or a known rule, for any string', () => {
    const ids = new Set(SAFETY_RULES.map((rule) => rule.id));
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 5000 }), (text) => {
        const found = precheck(text);
        return found === null || ids.has(found.ruleId);
      }),
    );
  });

  it('still meets the rule through spelling noise', () => {
    const noisy = (text: string) =>
      fc
        .array(fc.tuple(fc.constantFrom('case', 'repeat', 'leet', 'accent', 'spaced', 'dotted', 'apostrophe'), fc.nat()), { maxLength: 8 })
        .map((edits) => edits.reduce((current, [edit, seed]) => addNoise(current, edit, seed), text));
    fc.assert(
      fc.property(
        fc.constantFrom(...TRUE_POSITIVES).chain(([text, ruleId]) => noisy(text).map((variant) => ({ variant, ruleId }))),
        ({ variant, ruleId }) => {
          expect(precheck(variant)?.ruleId, variant).toBe(ruleId);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('finds no crisis in everyday writing', () => {
    const words = ['thread', 'draft', 'post', 'I', 'my', 'to', 'share', 'this', 'week', 'writing', 'coffee', 'launch', 'team', 'today', 'it', 'all', 'end', 'of', 'the', 'live', 'stream', 'love', 'feel', 'great', 'new', 'ideas', 'and', 'so', 'much', 'a', 'no', 'myself', 'die-hard', 'kills', 'dying'];
    const benign = fc.array(fc.constantFrom(...words), { maxLength: 60 }).map((picked) => picked.join(' '));
    fc.assert(
      fc.property(benign, (text) => {
        const found = precheck(text);
        return found === null || (found.category !== 'crisis' && found.category !== 'self_harm');
      }),
      { numRuns: 2000 },
    );
  });

  it('spells each template into phrases, nested groups included', () => {
    expect(expandTemplate('i (want|wish (i|we) could) go')).toEqual(['i want go', 'i wish i could go', 'i wish we could go']);
    expect(expandTemplate('(so|) sad')).toEqual(['so sad', ' sad']);
    expect(() => expandTemplate('(open')).toThrow(/Unclosed/);
  });
});

const LEET: Record<string, string> = { o: '0', i: '1', l: '1', e: '3', a: '4', s: '5', t: '7' };

/** One kind of spelling noise, applied to the letter or word the seed points at. */
function addNoise(text: string, edit: string, seed: number): string {
  const at = seed % text.length;
  const c = text[at]!;
  const words = text.split(' ');
  const w = seed % words.length;
  switch (edit) {
    case 'case':
      return text.slice(0, at) + (c === c.toUpperCase() ? c.toLowerCase() : c.toUpperCase()) + text.slice(at + 1);
    case 'repeat':
      return /\p{L}/u.test(c) ? text.slice(0, at) + c.repeat(2 + (seed % 4)) + text.slice(at) : text;
    case 'leet':
      return LEET[c.toLowerCase()] === undefined ? text : text.slice(0, at) + LEET[c.toLowerCase()] + text.slice(at + 1);
    case 'accent':
      return /[a-z]/i.test(c) ? `${text.slice(0, at + 1)}\u0301${text.slice(at + 1)}` : text;
    case 'spaced':
      return words.map((word, i) => (i === w ? [...word].join(' ') : word)).join(' ');
    case 'dotted':
      return words.map((word, i) => (i === w ? [...word].join('.') : word)).join(' ');
    default:
      return text.replace(/'/g, '’');
  }
}
