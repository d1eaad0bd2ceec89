import { AppError, ConflictError, ForbiddenError, NotFoundError, ValidationError } from '../../platform/errors.js';

/** Someone else's draft answers exactly like a missing one, so ids do not leak. */
export const draftNotFound = () => new NotFoundError('draft_not_found', 'No such draft.');
export const ringRequired = () => new ForbiddenError('ring_required', 'Only the ring holder can do this; ask them to pass you the ring.');
export const ownerRequired = () => new ForbiddenError('owner_required', 'Only the owner of this draft can do this.');
export const draftNotEditable = (status: string) =>
  new ConflictError('draft_not_editable', `This draft is ${status} and can no longer change.`);
export const ringTargetNotMember = () =>
  new AppError(422, 'ring_target_not_member', 'The ring can only go to the owner or a collaborator of this draft.', {
    errors: [{ path: 'body.toUserId', message: 'Not a member of this draft.' }],
  });
export const ringAlreadyHeld = () =>
  new AppError(422, 'ring_already_held', 'You already hold the ring.', { errors: [{ path: 'body.toUserId', message: 'That is you.' }] });
/** The owner taking back a ring they already hold. */
export const ringAlreadyYours = () => new AppError(422, 'ring_already_held', 'You already hold the ring.');
/** A segment that is not (or no longer) in this draft. */
export const segmentNotFound = () => new NotFoundError('segment_not_found', 'This draft has no such segment; it may have been deleted.');
/** Unknown ids and people who share no draft with the owner get this same answer, so ids do not leak. */
export const userNotFound = () =>
  new NotFoundError('user_not_found', 'No one you already write with has this id; invite them with a link instead.');
export const alreadyCollaborator = () => new ConflictError('already_collaborator', 'This person is already on the draft.');
export const collaboratorNotFound = () => new NotFoundError('collaborator_not_found', 'This person is not on the draft.');
export const ownerCannotLeave = () =>
  new ConflictError('owner_cannot_leave', 'The owner cannot leave or be removed; archive the draft instead.');
export const invalidField = (path: string, message: string) => new ValidationError([{ path, message }], message);
