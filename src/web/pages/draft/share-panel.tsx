import { useMutation } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { Draft } from '../../../contract/drafts.js';
import { formatThread } from '../../../contract/thread-text.js';
import type { ExportFormat } from '../../../contract/transfer.js';
import { api } from '../../api/client.js';
import { FormError } from '../../components/form.js';
import { saveFile } from '../../components/save-file.js';

const FORMATS: Array<{ format: ExportFormat; label: string }> = [
  { format: 'text', label: 'Text' },
  { format: 'markdown', label: 'Markdown' },
  { format: 'json', label: 'JSON' },
];

/**
 * Gets the thread out: copied in one click (numbered 1/n or not), ready to paste into a platform's composer,
 * or downloaded as text, Markdown or JSON from the export endpoint (with this session's token, so a fetch
 * and a blob rather than a plain link).
 */
export function SharePanel({ draft }: { draft: Draft }) {
  const [numbered, setNumbered] = useState(false);
  const [copied, setCopied] = useState('');
  /** Shown selected when the browser refuses clipboard access, to copy by hand. */
  const [manual, setManual] = useState<string | null>(null);
  const manualField = useRef<HTMLTextAreaElement>(null);
  const download = useMutation({
    mutationFn: (format: ExportFormat) => api.exportDraft(draft.id, format, numbered),
    onSuccess: ({ blob, filename }) => saveFile(blob, filename),
  });
  const count = draft.segments.length;
  useEffect(() => manualField.current?.select(), [manual]);

  async function copy() {
    const text = formatThread(
      draft.segments.map((s) => s.content),
      { format: 'text', numbered },
    );
    try {
      await navigator.clipboard.writeText(text);
      setManual(null);
      setCopied(`Copied ${count} ${count === 1 ? 'post' : 'posts'}${numbered ? ', numbered' : ''}.`);
    } catch {
      setCopied('');
      setManual(text);
    }
  }

  return (
    <section className="card share-panel" aria-labelledby="share-title">
      <h2 id="share-title">Copy and export</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={numbered}
          onChange={(e) => {
            setNumbered(e.target.checked);
            setCopied('');
          }}
        />
        Number the posts (1/{count || 'n'})
      </label>
      <div className="row tight">
        <button type="button" onClick={copy} disabled={count === 0}>
          Copy thread
        </button>
        <span role="status" className="notice" data-testid="copy-status">
          {copied}
        </span>
      </div>
      {manual !== null && (
        <div className="field">
          <label htmlFor="copy-by-hand">This browser did not let the page copy. Copy the thread from here:</label>
          <textarea id="copy-by-hand" ref={manualField} readOnly rows={6} value={manual} />
        </div>
      )}
      <p className="row tight export-links">
        <span>Download as</span>
        {FORMATS.map(({ format, label }) => (
          <button
            key={format}
            type="button"
            className="link-button"
            aria-label={`Download as ${label}`}
            onClick={() => download.mutate(format)}
            disabled={download.isPending}
          >
            {label}
          </button>
        ))}
      </p>
      <FormError error={download.error} />
    </section>
  );
}
