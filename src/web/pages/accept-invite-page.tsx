import { useMutation, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams } from 'react-router';
import { api } from '../api/client.js';
import { useAuth } from '../auth/auth-context.js';
import { FormError } from '../components/form.js';

/** `/ref/:token`: shows what the invite is for; signed-out visitors sign up or log in and come back here. */
export function AcceptInvitePage() {
  const { token = '' } = useParams();
  const { state } = useAuth();
  const navigate = useNavigate();
  const preview = useQuery({ queryKey: ['invite', token], queryFn: () => api.previewInvite(token), retry: false });
  const accept = useMutation({ mutationFn: () => api.acceptInvite(token), onSuccess: (draft) => navigate(`/drafts/${draft.id}`) });
  const back = encodeURIComponent(`/ref/${token}`);

  return (
    <section className="card narrow" aria-labelledby="invite-title">
      <h1 id="invite-title">You are invited</h1>
      {preview.isPending && <p role="status">Loading…</p>}
      <FormError error={preview.error} />
      {preview.data && (
        <>
          <p data-testid="invite-preview">
            <strong>{preview.data.inviterDisplayName}</strong> invites you to write <strong>“{preview.data.title}”</strong> together.
          </p>
          {state.status === 'signed-in' ? (
            <button type="button" onClick={() => accept.mutate()} disabled={accept.isPending}>
              Join the draft
            </button>
          ) : state.status === 'signed-out' ? (
            <p className="row">
              <Link className="button" to={`/signup?next=${back}`}>
                Sign up to join
              </Link>
              <Link to={`/login?next=${back}`}>I have an account</Link>
            </p>
          ) : null}
          <FormError error={accept.error} quotaOf="owner" />
        </>
      )}
    </section>
  );
}
