/** "in about 3 hours", "in about 20 minutes", from the seconds a `429 ai_budget_exhausted` names. */
export function renewsIn(seconds: number): string {
  if (seconds < 90) return 'in a minute or so';
  const minutes = Math.round(seconds / 60);
  if (minutes < 90) return `in about ${minutes} minutes`;
  const hours = Math.round(minutes / 60);
  return `in about ${hours} ${hours === 1 ? 'hour' : 'hours'}`;
}
