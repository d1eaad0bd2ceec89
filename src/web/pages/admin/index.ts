/** The admin console's pages, loaded together when an admin first opens one. */
export { AdminAuditPage } from './audit-page.js';
export { AdminPlansPage } from './plans-page.js';
export { AdminUserPage } from './user-page.js';
export { AdminUsersPage } from './users-page.js';
