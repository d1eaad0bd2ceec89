import { createContext, useContext } from 'react';

/** Which post the draft page's coach panel works on, and how a post's "Turn this post" picks itself. */
export type CoachTarget = { segmentId: string | null; choose(segmentId: string): void };

export const CoachTargetContext = createContext<CoachTarget>({ segmentId: null, choose: () => undefined });

export const useCoachTarget = () => useContext(CoachTargetContext);
