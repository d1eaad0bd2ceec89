import { useState } from 'react';
import type { Profile } from '../../../contract/analytics.js';
import { copyText } from '../../components/save-file.js';

/** The personal card in words: what its picture shows. */
export function personalCardAlt(p: Profile): string {
  const streak = p.momentum.streakDays;
  return `Share card for ${p.displayName}: ${p.archetype.name}, a ${streak}-day streak, momentum score ${p.momentum.score} out of 100.`;
}

/**
 * The owner's way to show their profile elsewhere: its address to copy and the card other sites show for it
 * (public, like the profile, so a plain image of the app's own address).
 */
export function ProfileShare({ profile }: { profile: Profile }) {
  const [copied, setCopied] = useState('');
  const link = new URL(`/u/${profile.userId}`, window.location.origin).href;

  async function copy() {
    if (await copyText(link)) setCopied('Link copied.');
    else (document.getElementById('profile-link') as HTMLInputElement | null)?.select();
  }

  return (
    <section className="card profile-share stack tight" aria-labelledby="profile-share-title">
      <h2 id="profile-share-title">Share your profile</h2>
      <img
        src={`/v1/users/${profile.userId}/share-card.png`}
        alt={personalCardAlt(profile)}
        width={1200}
        height={630}
        loading="lazy"
        data-testid="personal-card-image"
      />
      <div className="row tight">
        <label htmlFor="profile-link" className="visually-hidden">
          Profile link
        </label>
        <input id="profile-link" readOnly value={link} onFocus={(e) => e.target.select()} />
        <button type="button" onClick={copy}>
          Copy link
        </button>
      </div>
      <p className="notice" role="status">
        {copied}
      </p>
    </section>
  );
}
