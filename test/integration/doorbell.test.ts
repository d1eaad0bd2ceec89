import { describe, expect, it } from 'vitest';
import { draftTopic } from '../../src/server/features/drafts/service.js';
import { MemoryBus } from '../../src/server/platform/bus.js';
import { addCollaborator, call, createDraft, passRing, registerUser } from '../helpers/api.js';
import { useTestApp } from '../helpers/app.js';

const t = useTestApp();

describe('committed changes ring the draft doorbell', () => {
  it('announces the new end of the log after every change, never for a refused one', async () => {
    const bus = new MemoryBus();
    const { app } = await t.build({ bus });
    const owner = await registerUser(app);
    const sam = await registerUser(app);
    const draft = await createDraft(app, owner);
    const heard: string[] = [];
    await bus.subscribe(draftTopic(draft.id), (m) => heard.push(m));
    await call(app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: owner.accessToken, body: { content: 'one' } });
    await addCollaborator(app, owner, draft.id, sam);
    await call(app, 'POST', `/v1/drafts/${draft.id}/segments`, { token: sam.accessToken, body: { content: 'refused: no ring' } });
    await passRing(app, owner, draft.id, sam);
    const invite = (await call(app, 'POST', `/v1/drafts/${draft.id}/invites`, { token: owner.accessToken, body: {} })).json();
    const pip = await registerUser(app);
    await call(app, 'POST', '/v1/invites/accept', { token: pip.accessToken, body: { token: invite.token } });
    await call(app, 'POST', `/v1/drafts/${draft.id}/events`, {
      token: pip.accessToken,
      body: { type: 'comment.added', clientId: 'c', clientSeq: 1, payload: { text: 'hi' } },
    });
    expect(heard).toEqual(['2', '3', '4', '5', '6', '7', '8']);
    const { lastServerSeq } = (await call(app, 'GET', `/v1/drafts/${draft.id}/events`, { token: owner.accessToken })).json();
    expect(lastServerSeq).toBe(8);
  });
});
