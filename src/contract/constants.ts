/** Limits shared by the API schemas and the web forms (kept free of zod so the web bundle stays small). */
export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
export const DISPLAY_NAME_MAX_LENGTH = 50;

/** Platforms a thread is written for, and each one's post limit in grapheme clusters. */
export const PLATFORM_LIMITS = { x: 280, threads: 500, bluesky: 300, linkedin: 3000, instagram: 2200 } as const;
export type Platform = keyof typeof PLATFORM_LIMITS;
export const PLATFORMS = Object.keys(PLATFORM_LIMITS) as Platform[];
export const DRAFT_TITLE_MAX_LENGTH = 200;
export const COMMENT_MAX_LENGTH = 2000;
export const INVITE_DEFAULT_HOURS = 7 * 24;
export const INVITE_MIN_HOURS = 1;
export const INVITE_MAX_HOURS = 30 * 24;
