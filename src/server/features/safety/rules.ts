import type { SafetyCategory } from '../../../contract/coach.js';

/**
 * The precheck's rules, as data. Each rule is a list of phrase templates: words, and `(a|b|)` groups of
 * alternatives (an empty alternative makes the group optional). Templates are matched on the normaliser's
 * skeleton (normalize.ts), so spacing, case, accents, leetspeak, repeated letters and apostrophes do not
 * matter, and a phrase must start and end on word boundaries.
 *
 * What counts is a first-person, self-directed reading: "I'm worthless", never "my worthless old draft";
 * "I want to die", never "to die for" or "I'm dying to share this"; "kill myself", never "this post kills
 * it". Figures of speech that share words with a rule are listed in BENIGN_PHRASES: a rule's match inside
 * one of them does not count ("cut myself some slack", "hurt myself at the gym").
 *
 * Deliberately left out, because writers use them lightly every day and a notice would answer a joke:
 * "I'm so stupid", "I'm an idiot", "I'm not good enough", "I'm dying", "I'm a hopeless romantic".
 */
export interface SafetyRule {
  /** Stable id, written to safety_events (never the user's words). */
  readonly id: string;
  readonly category: SafetyCategory;
  readonly phrases: readonly string[];
  /**
   * Phrases that count only where a clause ends (at a full stop, comma, question or exclamation mark, a line
   * break, or the end of the text): "I can't go on." but not "I can't go on Friday".
   */
  readonly closing?: readonly string[];
}

/** "I am", said any of the ways a self-description starts. */
const I_AM = "(i'm|i am|i feel|i feel so|i'm feeling|i've always been|i've been|i'll always be|i will always be|i'll never be anything but|i'm just|i am just)";
/** Words that strengthen a self-description ("I'm so worthless", "I am completely useless"). */
const SO = '(so|such|really|totally|completely|utterly|truly|literally|just|absolutely|so fucking|)';
/** "a" and what strengthens it ("I'm such a failure", "I feel like a complete burden"). */
const SUCH_A = '(a|such a|a total|a complete|an absolute|an utter|a big|a huge|nothing but a|like a|like such a|like a total|like a complete)';
/** Wanting or meaning to ("I want to", "I'm gonna", "I wish I could"). */
const WANT_TO = "(just |really |honestly |kind of |kinda |)(want to|wanna|wanted to|wish i could|am going to|'m going to|'m gonna|am gonna|should just|think i should)";
const NOBODY = '(nobody|no one|noone|no-one|not one person|no body)';

export const SAFETY_RULES: readonly SafetyRule[] = [
  // Crisis: thoughts of suicide.
  { id: 'crisis.want_to_die', category: 'crisis', phrases: [`i ${WANT_TO} die`, 'i (want to|wanna) be dead', `i ${WANT_TO} not wake up`, "i (don't|do not) want to wake up (tomorrow|anymore|again)"] },
  {
    id: 'crisis.wish_dead',
    category: 'crisis',
    phrases: [
      'i wish i (was|were|could be) dead',
      "i('d| would) rather be dead",
      "i wish i (had|'d) never been born",
      "i wish i (didn't|did not) exist",
      'better off dead',
      "(everyone|everybody|the world|my family|they|people)('d| would| will|'ll| are| is|'re) (be |)better off without me",
    ],
  },
  { id: 'crisis.kill_myself', category: 'crisis', phrases: ['(kill|killing|unalive|unaliving) myself', "i (want to|wanna|will|am going to|'m going to|'m gonna) (kms|off myself)"] },
  {
    id: 'crisis.method',
    category: 'crisis',
    phrases: [
      '(hang|hanging|poison|poisoning|suffocate|suffocating) myself',
      '(shoot|shooting) myself (in the head|with a gun|dead)',
      '(drown|drowning) myself (in (a|the) (bath|bathtub|river|sea|lake|ocean))',
      `i ${WANT_TO} (overdose|jump off (a|the) (bridge|roof|building|cliff)|slit my (wrist|wrists|throat))`,
      "i (will|'ll|am going to|'m going to|'m gonna|plan to|am planning to|'m planning to) overdose",
      '(slit|slitting|slash|slashing) my (wrist|wrists|throat)',
      '(overdose|overdosing) (tonight|on purpose|on (my|the|all my|all the) (pills|meds|medication|tablets))',
    ],
    closing: ['(shoot|shooting|drown|drowning) myself'],
  },
  {
    id: 'crisis.end_my_life',
    category: 'crisis',
    phrases: [
      '(end|ending) my (own |)life',
      `i ${WANT_TO} end it all`,
      "(i'm|i am) (going to|gonna) end it (all|tonight|today|now|soon)",
      'end it all tonight',
      '(i |)(feel|feeling|felt) like (ending|end) (it all|it|everything|my life)',
      '(take|taking) my own life',
      `i ${WANT_TO} take my life`,
      'i (just |)want (it all|everything) to end',
    ],
    closing: [`i ${WANT_TO} end it`],
  },
  {
    id: 'crisis.no_reason_to_live',
    category: 'crisis',
    phrases: [
      '(no|no more|zero) reason (to|for me to) (live|go on|keep going|be alive|stay alive)',
      'nothing (left |)to live for',
      "(i |)(don't|do not|no longer) want to (be alive|live anymore|live any more|exist|exist anymore|be here anymore|go on living|keep living)",
      "(i |)(can't|cannot) go on (living|anymore|any more|like this|much longer)",
    ],
    closing: ["(i |)(can't|cannot) go on"],
  },
  {
    id: 'crisis.suicidal',
    category: 'crisis',
    phrases: [
      `${I_AM} ${SO} suicidal`,
      "(i have|i'm having|i am having|i keep having|i get|having|i've had|i've been having) suicidal (thoughts|feelings|urges)",
      "(i'm|i am|i've been|i keep|been|) (thinking|thought) (about|of) (suicide|killing myself|ending it)",
      `i ${WANT_TO} commit suicide`,
      'i (have|keep having) thoughts of suicide',
    ],
  },

  // Self-harm.
  { id: 'self_harm.hurt_myself', category: 'self_harm', phrases: ['(hurt|hurting|harm|harming|injure|injuring) myself'] },
  { id: 'self_harm.cut_myself', category: 'self_harm', phrases: ['(cut|cutting|cuts) myself', '(cut|cutting) (my|both) (wrist|wrists|arm|arms|thigh|thighs|leg|legs|skin)'] },
  {
    id: 'self_harm.self_harm',
    category: 'self_harm',
    phrases: ["(i|i've been|i have been|been|i want to|i wanna|i need to|urge to|urges to|i started to|i started|relapsed into|i relapsed into|my) (self harm|self harming)"],
  },
  { id: 'self_harm.starve_burn', category: 'self_harm', phrases: ['(starve|starving|burn|burning) myself', "i (keep|have been|'ve been|started) (starving|burning) myself"] },

  // Harmful self-talk.
  { id: 'self_talk.worthless', category: 'harmful_self_talk', phrases: [`${I_AM} ${SO} (worthless|a worthless person|a worthless human)`, `${I_AM} ${SUCH_A} worthless`] },
  { id: 'self_talk.failure', category: 'harmful_self_talk', phrases: [`${I_AM} ${SUCH_A} failure`, 'i fail at everything'] },
  {
    id: 'self_talk.hate_myself',
    category: 'harmful_self_talk',
    phrases: ["i (hate|despise|loathe|can't stand|cannot stand|really hate|fucking hate) myself", "(i'm|i am) (so |)(disgusted|ashamed) (with|of) myself"],
  },
  { id: 'self_talk.disappear', category: 'harmful_self_talk', phrases: [`i ${WANT_TO} (disappear|vanish)`, 'i wish i (could|would) (just |)(disappear|vanish)'] },
  {
    id: 'self_talk.nobody_would_miss_me',
    category: 'harmful_self_talk',
    phrases: [`${NOBODY} (would|will|'d|'ll) (even |)miss me`, `${NOBODY} (would|would even) care about me`, `${NOBODY} (cares|would care|would even care) (about me|if i (was|were) gone|if i (died|disappeared|vanished))`],
  },
  {
    id: 'self_talk.useless',
    category: 'harmful_self_talk',
    phrases: [`${I_AM} ${SO} (useless|pathetic|unlovable|a waste of space|a waste of air|a burden|a loser|a disappointment)`, `${I_AM} ${SUCH_A} (burden|loser|disappointment|waste of space)`],
  },
];

/** Figures of speech that share words with a rule: a rule's match inside one of these does not count. */
export const BENIGN_PHRASES: readonly string[] = [
  'cut myself (some slack|a break|a slice|a piece|off|out|short|loose|free|in on)',
  'cut myself (shaving|cooking|gardening|chopping|slicing|by accident|accidentally|on (a|the|some|paper))',
  'cut myself (a little|a lot of) slack',
  'hurt myself (at the gym|at work|while|playing|lifting|running|skiing|training|working out|climbing|on (a|the))',
  '(burn|burning) myself (on (a|the)|cooking|with (the|a))',
  '(kill|killing) myself (laughing|at the gym|at work|working|to (finish|get|meet|make)|over (a|this|the) (deadline|project|draft))',
  `i ${WANT_TO} die (laughing|of laughter|of embarrassment|of cringe|on this hill|happy|old|peacefully)`,
  `i ${WANT_TO} (disappear|vanish) (for (a|the)|on|to|into|from social|off)`,
  '(no|no more|zero) reason (to|for me to) live (in|here|there|near|with|on|at|by|close)',
  'i (hate|really hate) myself for (loving|liking|enjoying|laughing)',
  `(i ${WANT_TO}|i (will|'ll|am going to|'m going to|'m gonna|plan to)) overdose on (coffee|caffeine|sugar|chocolate|candy|cake|cookies|tea|netflix|memes|content|music|podcasts|books|pizza|cheese|cuteness)`,
  '(thinking|thought) (about|of) (suicide|ending it) (prevention|awareness|rates|statistics|research|hotlines|in (the|a|my) (novel|book|story|script|show|film|movie))',
];
