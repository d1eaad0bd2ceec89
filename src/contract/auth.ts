import { z } from 'zod';
import { pageOf } from './common.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './constants.js';

export const ROLES = ['user', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export { DISPLAY_NAME_MAX_LENGTH, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './constants.js';

export const UserSchema = z.object({
  id: z.uuid(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(ROLES),
  createdAt: z.iso.datetime(),
});
export type User = z.infer<typeof UserSchema>;

export const EmailSchema = z.string().trim().max(254).pipe(z.email({ message: 'Enter a valid email address.' }));

export const PasswordSchema = z
  .string()
  .min(PASSWORD_MIN_LENGTH, `Use at least ${PASSWORD_MIN_LENGTH} characters.`)
  .max(PASSWORD_MAX_LENGTH, `Use at most ${PASSWORD_MAX_LENGTH} characters.`);

export const DeviceSchema = z
  .object({
    name: z.string().trim().max(100).optional(),
    platform: z.string().trim().max(50).optional(),
  })
  .strict();

export const RegisterBodySchema = z
  .object({
    email: EmailSchema,
    password: PasswordSchema,
    displayName: z.string().max(1000).optional(),
    device: DeviceSchema.optional(),
  })
  .strict();
export type RegisterBody = z.infer<typeof RegisterBodySchema>;

export const LoginBodySchema = z
  .object({
    email: z.string().trim().min(1).max(254),
    password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
    device: DeviceSchema.optional(),
  })
  .strict();
export type LoginBody = z.infer<typeof LoginBodySchema>;

export const RefreshBodySchema = z.object({ refreshToken: z.string().min(1).max(200).optional() }).strict();

export const AuthResponseSchema = z.object({
  user: UserSchema,
  accessToken: z.string(),
  accessTokenExpiresAt: z.iso.datetime(),
  refreshToken: z.string(),
  sessionId: z.uuid(),
});
export type AuthResponse = z.infer<typeof AuthResponseSchema>;

export const SessionSchema = z.object({
  id: z.uuid(),
  current: z.boolean(),
  userAgent: z.string().nullable(),
  ip: z.string().nullable(),
  deviceName: z.string().nullable(),
  platform: z.string().nullable(),
  createdAt: z.iso.datetime(),
  lastUsedAt: z.iso.datetime(),
});
export type Session = z.infer<typeof SessionSchema>;
export const SessionPageSchema = pageOf(SessionSchema);
export type SessionPage = z.infer<typeof SessionPageSchema>;

export const ChangePasswordBodySchema = z
  .object({ currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH), newPassword: PasswordSchema })
  .strict();

export const ResetRequestBodySchema = z.object({ email: EmailSchema }).strict();

export const ResetConfirmBodySchema = z
  .object({ token: z.string().min(1).max(200), newPassword: PasswordSchema })
  .strict();

export const UpdateMeBodySchema = z
  .object({ displayName: z.string().max(1000).nullable() })
  .strict();
export type UpdateMeBody = z.infer<typeof UpdateMeBodySchema>;
