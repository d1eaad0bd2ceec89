import { NotFoundError } from '../../platform/errors.js';

/** Unknown and revoked links answer alike, so a guess cannot tell one from the other. */
export const previewLinkNotFound = () => new NotFoundError('preview_link_not_found', 'This preview link is not valid; it may have been withdrawn.');
