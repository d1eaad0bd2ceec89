import { PLATFORM_LIMITS, PLATFORMS, type Platform } from '../../contract/constants.js';
import { PLATFORM_NAMES } from '../../contract/platform-text.js';

/** The platform a thread is written for, each option with its post limit. */
export function PlatformField({ id, value, onChange }: { id: string; value: Platform; onChange(platform: Platform): void }) {
  return (
    <div className="field">
      <label htmlFor={id}>Platform</label>
      <select id={id} value={value} onChange={(e) => onChange(e.target.value as Platform)}>
        {PLATFORMS.map((p) => (
          <option key={p} value={p}>
            {PLATFORM_NAMES[p]} ({PLATFORM_LIMITS[p]} characters per post)
          </option>
        ))}
      </select>
    </div>
  );
}
