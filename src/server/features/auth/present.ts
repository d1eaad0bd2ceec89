import type { Session } from '../../../contract/auth.js';
import type { LiveSession } from './repo.js';

export function presentSession(row: LiveSession, currentSessionId: string): Session {
  return {
    id: row.id,
    current: row.id === currentSessionId,
    userAgent: row.userAgent,
    ip: row.ip,
    deviceName: row.deviceName,
    platform: row.platform,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt.toISOString(),
  };
}
