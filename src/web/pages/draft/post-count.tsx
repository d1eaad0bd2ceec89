import { useMemo } from 'react';
import type { Platform } from '../../../contract/constants.js';
import { measurePost, PLATFORM_NAMES, postLengthProblem } from '../../../contract/platform-text.js';

type PostCountProps = {
  platform: Platform;
  text: string;
  id?: string;
  /** "12 / 280 characters on X" instead of "12 / 280". */
  long?: boolean;
};

/** A post's length as its platform counts it; over the limit it turns red and says by how much. */
export function PostCount({ platform, text, id, long }: PostCountProps) {
  const { length, limit, over } = useMemo(() => measurePost(platform, text), [platform, text]);
  const problem = over ? postLengthProblem(platform, text) : null;
  return (
    <span id={id} className={over ? 'post-count over' : 'post-count'} title={problem ?? undefined} data-testid="post-count">
      {length} / {limit}
      {long ? ` characters on ${PLATFORM_NAMES[platform]}` : ''}
      {over && <span className="visually-hidden"> (too long for {PLATFORM_NAMES[platform]})</span>}
    </span>
  );
}
